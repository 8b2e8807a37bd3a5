import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { API_KEY_SECURITY } from '../http/auth.ts';
import { ErrorResponse } from '../http/errors.ts';
import { MAX_SIGNALS_BODY_BYTES, MAX_SIGNALS_PER_REQUEST, SignalInput, SignalsSummary } from './schema.ts';
import { recordSignals } from './service.ts';

export function signalRoutes(deps: { pool: pg.Pool }): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/v1/signals', {
      bodyLimit: MAX_SIGNALS_BODY_BYTES,
      schema: {
        tags: ['signals'],
        security: API_KEY_SECURITY,
        operationId: 'recordSignals',
        summary: `Record up to ${MAX_SIGNALS_PER_REQUEST} intent and trigger signals`,
        description:
          'Signals for accounts not in the universe are reported in unknownDomains and not stored. A malformed row ' +
          'rejects the request (400) with the path of the first 20 bad fields, e.g. body.signals.3.type. ' +
          `Bodies over ${MAX_SIGNALS_BODY_BYTES / 1024 / 1024} MiB are refused (413).`,
        body: z.object({ signals: z.array(SignalInput).max(MAX_SIGNALS_PER_REQUEST) }),
        response: { 200: SignalsSummary, 400: ErrorResponse, 401: ErrorResponse, 413: ErrorResponse },
      },
      handler: async (request) => recordSignals(deps.pool, request.workspaceId, request.body.signals),
    });
  };
}
