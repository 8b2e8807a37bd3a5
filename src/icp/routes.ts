import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ZodApp } from '../http/zod-app.ts';
import type pg from 'pg';
import { API_KEY_SECURITY } from '../http/auth.ts';
import { ErrorResponse } from '../http/errors.ts';
import { wantsCsv } from '../http/negotiation.ts';
import { putCriteria } from './criteria.ts';
import { getCriteria } from './repository.ts';
import { attributesCsv, segmentsCsv } from './csv.ts';
import { MIN_WON_FOR_MODEL } from './schema.ts';
import { FDR, IcpCriteria, IcpCriteriaUpdate, IcpProfile, IcpQuery, MIN_STRONG_LIFT, MIN_WON_SUPPORT } from './schema.ts';
import type { ModelProfiles } from './drift.ts';
import { icpProfile } from './service.ts';

export interface IcpRouteDeps {
  pool: pg.Pool;
  modelProfiles: ModelProfiles;
}

const common = { tags: ['icp'], security: API_KEY_SECURITY };

export function icpRoutes(deps: IcpRouteDeps): FastifyPluginAsyncZod {
  return async (app) => {
    icpRoute(app, deps);
    criteriaRoute(app, deps);
    saveCriteriaRoute(app, deps);
  };
}

function icpRoute(app: ZodApp, deps: IcpRouteDeps): void {
  app.get('/v1/icp', {
    schema: {
      ...common,
      operationId: 'getIcp',
      summary: 'The ICP your outcomes imply: attribute lift, top segments, criteria check, drift and a summary',
      description:
        'Lift = share among won accounts / share in the universe, with a 95% Wilson interval. An attribute is strong when ' +
        `at least ${MIN_WON_SUPPORT} won accounts have it, its lift is at least ${MIN_STRONG_LIFT}× and its one-sided Fisher's ` +
        `exact test survives Benjamini–Hochberg at q ≤ ${FDR} over every value held by ${MIN_WON_SUPPORT}+ universe accounts; ` +
        `with fewer than ${MIN_WON_FOR_MODEL} won accounts the evidence is thin and nothing is strong. Segments combine 2–3 strong attributes. ` +
        'CSV: ?format=csv (or Accept: text/csv) returns one table, chosen by part=attributes (default) or part=segments. ' +
        '400 no_outcomes when the workspace has no outcomes, no_won_accounts when none is won.',
      querystring: IcpQuery,
      response: {
        200: {
          description: 'The profile (JSON), or one of its tables (CSV)',
          content: {
            'application/json': { schema: IcpProfile },
            'text/csv': {
              schema: z
                .string()
                .meta({ example: 'attribute,value,label,strength,lift,...\ntechnology,snowflake,Uses Snowflake,strong,4.97,...\n' }),
            },
          },
        },
        400: ErrorResponse,
        401: ErrorResponse,
      },
    },
    handler: async (request, reply) => {
      const profile = await icpProfile(deps.pool, request.workspaceId, deps.modelProfiles);
      const { format, part } = request.query;
      const csv = wantsCsv(format, request.headers.accept);
      // The answer depends on both headers: a cache must keep JSON and CSV, plain and compressed, apart.
      reply.header('vary', 'accept, accept-encoding');
      if (!csv) return profile;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="icp-${part}.csv"`)
        .send(part === 'segments' ? segmentsCsv(profile.segments) : attributesCsv(profile.attributes));
    },
  });
}

function criteriaRoute(app: ZodApp, deps: IcpRouteDeps): void {
  app.get('/v1/icp/criteria', {
    schema: {
      ...common,
      operationId: 'getIcpCriteria',
      summary: 'Your declared ICP criteria (weighted hypotheses for a cold start)',
      response: { 200: IcpCriteria, 401: ErrorResponse },
    },
    handler: async (request) => getCriteria(deps.pool, request.workspaceId),
  });
}

function saveCriteriaRoute(app: ZodApp, deps: IcpRouteDeps): void {
  app.put('/v1/icp/criteria', {
    schema: {
      ...common,
      operationId: 'putIcpCriteria',
      summary: 'Replace your declared ICP criteria; GET /v1/icp checks each against your outcomes',
      body: IcpCriteriaUpdate,
      response: { 200: IcpCriteria, 400: ErrorResponse, 401: ErrorResponse },
    },
    handler: async (request) => putCriteria(deps.pool, request.workspaceId, request.body),
  });
}
