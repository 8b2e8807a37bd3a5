import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { API_KEY_SECURITY } from '../http/auth.ts';
import { ErrorResponse, notFound } from '../http/errors.ts';
import { getJob, listJobs } from './repository.ts';
import { Job } from './schema.ts';

export function jobRoutes(deps: { pool: pg.Pool }): FastifyPluginAsyncZod {
  return async (app) => {
    const common = { tags: ['jobs'], security: API_KEY_SECURITY };
    app.get('/v1/jobs/:id', {
      schema: {
        ...common,
        operationId: 'getJob',
        summary: 'Status, progress, result and error of a background job',
        params: z.object({ id: z.uuid() }),
        response: { 200: z.object({ job: Job }), 401: ErrorResponse, 404: ErrorResponse },
      },
      handler: async (request) => {
        const job = await getJob(deps.pool, request.workspaceId, request.params.id);
        if (!job) throw notFound(`Job ${request.params.id}`);
        return { job };
      },
    });
    app.get('/v1/jobs', {
      schema: {
        ...common,
        operationId: 'listJobs',
        summary: "This workspace's most recent jobs, newest first",
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: { 200: z.object({ data: z.array(Job) }), 401: ErrorResponse },
      },
      handler: async (request) => ({ data: await listJobs(deps.pool, request.workspaceId, request.query.limit) }),
    });
  };
}
