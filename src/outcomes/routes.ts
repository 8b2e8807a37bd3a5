import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { API_KEY_SECURITY } from '../http/auth.ts';
import { ErrorResponse } from '../http/errors.ts';
import { MAX_OUTCOMES_BODY_BYTES, MAX_OUTCOMES_PER_REQUEST, OutcomeInput, OutcomesSummary } from './schema.ts';
import { recordOutcomes } from './service.ts';

export function outcomeRoutes(deps: { pool: pg.Pool; onOutcomesChanged?: (workspaceId: string) => Promise<void> }): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/v1/outcomes', {
      bodyLimit: MAX_OUTCOMES_BODY_BYTES,
      schema: {
        tags: ['outcomes'],
        security: API_KEY_SECURITY,
        operationId: 'recordOutcomes',
        summary: `Record up to ${MAX_OUTCOMES_PER_REQUEST} CRM outcomes (won, lost, churned, open, competitor_customer)`,
        description:
          'Upserts the current outcome per account and keeps every change in its history. Unknown domains are reported, ' +
          'or created when Account fields (name, industry, employees, ...) are sent in the same object. ' +
          `Bodies over ${MAX_OUTCOMES_BODY_BYTES / 1024 / 1024} MiB are refused (413).`,
        body: z.object({ outcomes: z.array(OutcomeInput).max(MAX_OUTCOMES_PER_REQUEST) }),
        response: { 200: OutcomesSummary, 400: ErrorResponse, 401: ErrorResponse, 413: ErrorResponse },
      },
      handler: async (request) => {
        const summary = await recordOutcomes(deps.pool, request.workspaceId, request.body.outcomes);
        if (summary.recorded > 0) await deps.onOutcomesChanged?.(request.workspaceId);
        return summary;
      },
    });
  };
}
