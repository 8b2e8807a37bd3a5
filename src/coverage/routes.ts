import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { API_KEY_SECURITY } from '../http/auth.ts';
import { ErrorResponse } from '../http/errors.ts';
import { CoverageReport } from './schema.ts';
import { accountsCoverage } from './service.ts';

export function coverageRoutes(deps: { pool: pg.Pool }): FastifyPluginAsyncZod {
  return async (app) => {
    // A static path: fastify (find-my-way) matches it before the parametric /v1/accounts/:domain.
    app.get('/v1/accounts/coverage', {
      schema: {
        tags: ['accounts'],
        security: API_KEY_SECURITY,
        operationId: 'getAccountCoverage',
        summary: 'Per account field: how many accounts miss it and how much the active model relies on it — what to enrich first',
        description:
          'reliance = the share of the active model’s feature importance on features from that field (industry:*, ' +
          'num:log_employees, tech:*, unknown:industry, …); a cold-start model weighs every field alike. Sorted by ' +
          'priority = reliance × missingShare.',
        response: { 200: CoverageReport, 401: ErrorResponse },
      },
      handler: async (request) => accountsCoverage(deps.pool, request.workspaceId),
    });
  };
}
