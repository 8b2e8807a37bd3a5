import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { API_KEY_SECURITY } from '../http/auth.ts';
import { ErrorResponse } from '../http/errors.ts';
import { BacktestQuery, BacktestResponse, TierChangesQuery, TierChangesResponse } from './schema.ts';
import { listBacktests, tierChangesPage } from './service.ts';

export function backtestRoutes(deps: { pool: pg.Pool; retentionRuns: number }): FastifyPluginAsyncZod {
  return async (app) => {
    const common = { tags: ['backtests'], security: API_KEY_SECURITY };

    app.get('/v1/backtests', {
      schema: {
        ...common,
        operationId: 'listBacktests',
        summary: 'How earlier rankings turned out: outcomes decided after each scoring run, by tier, at k, and the lift of tier A',
        description:
          'Every completed scoring run is snapshotted (rank, score and tier of its prospects) and kept for the last ' +
          'BACKTEST_RETENTION_RUNS runs (default 12). For each, the accounts that were prospects then and whose outcome was ' +
          'decided after it (closedAt later than the run, or recorded later when there is no closedAt): counts and win ' +
          'rate by tier, precision and recall at 10, 50 and 100, lift of tier A over all the run’s prospects, with 95% ' +
          'Wilson intervals, and a sentence to quote.',
        querystring: BacktestQuery,
        response: { 200: BacktestResponse, 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse },
      },
      handler: async (request) => listBacktests(deps.pool, deps.retentionRuns, request.workspaceId, request.query),
    });

    app.get('/v1/backtests/:runId/tier-changes', {
      schema: {
        ...common,
        operationId: 'listTierChanges',
        summary: 'Accounts that entered, left or moved within tiers A and B at a scoring run, against the run before it',
        description: 'The rest of a prospects.tier_changed webhook payload, which carries the first 500.',
        params: z.object({ runId: z.uuid() }),
        querystring: TierChangesQuery,
        response: { 200: TierChangesResponse, 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse },
      },
      handler: async (request) =>
        tierChangesPage(deps.pool, request.workspaceId, request.params.runId, request.query.limit, request.query.offset),
    });
  };
}
