import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { API_KEY_SECURITY } from '../http/auth.ts';
import { ErrorResponse } from '../http/errors.ts';
import { TIER_RULES, type TierCutoffs } from '../model/ranking.ts';
import { servedRun } from './readiness.ts';
import { ModelRef } from './schema.ts';
import { modelRef, prospectsPerTier } from './repository.ts';

export const ProspectSummary = z
  .object({
    model: ModelRef,
    prospects: z.number().int().meta({ description: 'Prospects in the current scoring run (not in the CRM, not excluded)' }),
    tiers: z
      .object({ A: z.number().int(), B: z.number().int(), C: z.number().int(), D: z.number().int() })
      .meta({ description: 'Prospects per tier' }),
    cutoffs: z
      .object({ A: z.number(), B: z.number(), C: z.number() })
      .meta({ description: 'Lowest score of tiers A, B and C in this run' }),
  })
  .meta({ id: 'ProspectSummary' });

/** Prospects per tier in the run prospect pages read (exclusion rules applied now, as pages apply them). */
export async function prospectSummary(pool: pg.Pool, workspaceId: string): Promise<z.infer<typeof ProspectSummary>> {
  const run = await servedRun(pool, workspaceId);
  const cutoffs: TierCutoffs = run.cutoffs ?? { A: TIER_RULES.A.floor, B: TIER_RULES.B.floor, C: TIER_RULES.C.floor };
  const { a, b, c, d } = await prospectsPerTier(pool, run.id, workspaceId, cutoffs);
  return { model: await modelRef(pool, run.modelId, run), prospects: a + b + c + d, tiers: { A: a, B: b, C: c, D: d }, cutoffs };
}

export function prospectSummaryRoutes(deps: { pool: pg.Pool }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/v1/prospects/summary', {
      schema: {
        tags: ['prospects'],
        security: API_KEY_SECURITY,
        operationId: 'getProspectSummary',
        summary: 'How many prospects each tier holds in the current scoring run (the report page shows it)',
        response: { 200: ProspectSummary, 401: ErrorResponse, 409: ErrorResponse },
      },
      handler: async (request) => prospectSummary(deps.pool, request.workspaceId),
    });
  };
}
