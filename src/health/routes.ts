import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Database } from '../db/pool.ts';
import { pendingMigrations } from '../db/migrate.ts';

const Ready = z.object({
  status: z.enum(['ready', 'not_ready']),
  database: z.object({ mode: z.enum(['postgres', 'pglite']), reachable: z.boolean(), pendingMigrations: z.array(z.string()) }),
  queue: z.object({ mode: z.enum(['bullmq', 'in-process']) }),
  error: z.string().optional(),
});

/** `closing`: the app is shutting down, so a load balancer should send its requests elsewhere. */
export function healthRoutes(deps: { db: Database; queueMode: 'bullmq' | 'in-process'; closing: () => boolean }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/health', {
      schema: {
        operationId: 'health',
        tags: ['health'],
        summary: 'The process is up',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
      handler: async () => ({ status: 'ok' as const }),
    });
    app.get('/ready', {
      schema: {
        operationId: 'ready',
        tags: ['health'],
        summary: 'The database is reachable and migrated; which database and queue modes are in use',
        response: { 200: Ready, 503: Ready },
      },
      handler: async (request, reply) => {
        const database = { mode: deps.db.mode, reachable: false, pendingMigrations: [] as string[] };
        const queue = { mode: deps.queueMode };
        try {
          database.pendingMigrations = await pendingMigrations(deps.db.pool);
          database.reachable = true;
        } catch (err) {
          // The driver's words (addresses, users) stay in the log: /ready needs no key.
          request.log.error({ err }, 'readiness: the database cannot be reached');
          return reply.code(503).send({ status: 'not_ready', database, queue, error: 'The database cannot be reached (the log says why)' });
        }
        if (deps.closing()) return reply.code(503).send({ status: 'not_ready', database, queue, error: 'The service is shutting down' });
        const ready = database.pendingMigrations.length === 0;
        return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', database, queue });
      },
    });
  };
}
