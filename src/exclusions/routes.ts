import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { API_KEY_SECURITY } from '../http/auth.ts';
import { ErrorResponse } from '../http/errors.ts';
import { ExclusionRules } from './schema.ts';
import { getExclusions } from './repository.ts';
import { putExclusions } from './service.ts';

export function exclusionRoutes(deps: { pool: pg.Pool }): FastifyPluginAsyncZod {
  return async (app) => {
    const common = { tags: ['exclusions'], security: API_KEY_SECURITY };
    app.get('/v1/exclusions', {
      schema: {
        ...common,
        operationId: 'getExclusions',
        summary: "The workspace's hard exclusion rules",
        response: { 200: ExclusionRules, 401: ErrorResponse },
      },
      handler: async (request) => getExclusions(deps.pool, request.workspaceId),
    });
    app.put('/v1/exclusions', {
      schema: {
        ...common,
        operationId: 'putExclusions',
        summary: 'Replace the exclusion rules applied to every prospect list and lookalike result',
        body: ExclusionRules,
        response: { 200: ExclusionRules, 400: ErrorResponse, 401: ErrorResponse },
      },
      handler: async (request) => putExclusions(deps.pool, request.workspaceId, request.body),
    });
  };
}
