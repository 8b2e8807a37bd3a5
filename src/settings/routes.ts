import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type pg from 'pg';
import { API_KEY_SECURITY } from '../http/auth.ts';
import { ErrorResponse } from '../http/errors.ts';
import type { JobQueue } from '../jobs/queue.ts';
import { getRetrainSchedule, RETRAIN_DEBOUNCE_MS, RETRAIN_SCHEDULES, setRetrainSchedule, type RetrainSchedule } from '../model/jobs.ts';

export const RetrainingSettings = z
  .object({
    schedule: z
      .enum(Object.keys(RETRAIN_SCHEDULES) as [RetrainSchedule, ...RetrainSchedule[]])
      .meta({ description: 'Retrain on a schedule: daily at 03:00 UTC, weekly on Mondays at 03:00 UTC, or off', example: 'weekly' }),
  })
  .meta({ id: 'RetrainingSettings' });

export function settingsRoutes(deps: { pool: pg.Pool; jobs: JobQueue }): FastifyPluginAsyncZod {
  return async (app) => {
    const common = { tags: ['settings'], security: API_KEY_SECURITY };
    const description =
      `Besides the schedule, recorded outcome changes (POST /v1/outcomes) trigger a retrain ${RETRAIN_DEBOUNCE_MS / 1000} s after ` +
      'the last change. A retrained model becomes active unless it is clearly worse than the active one; then the universe is rescored.';
    app.get('/v1/settings/retraining', {
      schema: {
        ...common,
        operationId: 'getRetrainingSettings',
        summary: "The workspace's retraining schedule",
        description,
        response: { 200: RetrainingSettings, 401: ErrorResponse },
      },
      handler: async (request) => ({ schedule: await getRetrainSchedule(deps.pool, request.workspaceId) }),
    });
    app.put('/v1/settings/retraining', {
      schema: {
        ...common,
        operationId: 'putRetrainingSettings',
        summary: 'Set the retraining schedule (daily, weekly or off)',
        description,
        body: RetrainingSettings,
        response: { 200: RetrainingSettings, 400: ErrorResponse, 401: ErrorResponse, 503: ErrorResponse },
      },
      handler: async (request) => {
        await setRetrainSchedule(deps.jobs, request.workspaceId, request.body.schedule);
        return { schedule: request.body.schedule };
      },
    });
  };
}
