import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ZodApp } from '../http/zod-app.ts';
import type pg from 'pg';
import { withTransaction } from '../db/pool.ts';
import { API_KEY_SECURITY } from '../http/auth.ts';
import { ApiError, ErrorResponse, notFound } from '../http/errors.ts';
import type { Enqueue } from '../jobs/queue.ts';
import { JobRef } from '../jobs/schema.ts';
import { activateModel, afterActivation, type ActivationEffects } from './activation.ts';
import { getModel, listModels, noteUnpinned, unpinModel } from './repository.ts';
import { FEATURE_SPEC_VERSION } from '../features/spec.ts';
import { Model, type ModelRecord, type ModelScoring, TrainModelBody, trainingBudgetExceeded } from './schema.ts';
import { DEFAULT_LOOKALIKE_PARAMS } from './forest.ts';
import { requestTraining } from './training.ts';

export interface ModelRouteDeps {
  pool: pg.Pool;
  enqueue: Enqueue;
  /** What follows an activation by hand: the webhook, scoring of the universe. */
  activation: ActivationEffects;
  /** The scoring that follows each of these models (the prospects module reads it from its runs). */
  scoringOf(workspaceId: string, modelIds: string[]): Promise<Map<string, ModelScoring>>;
}

const common = { tags: ['models'], security: API_KEY_SECURITY };
const IdParams = z.object({ id: z.uuid() });

export function modelRoutes(deps: ModelRouteDeps): FastifyPluginAsyncZod {
  return async (app) => {
    trainRoute(app, deps);
    listRoute(app, deps);
    getRoute(app, deps);
    activateRoute(app, deps);
    unpinRoute(app, deps);
  };
}

async function withScoring(deps: ModelRouteDeps, workspaceId: string, models: ModelRecord[]): Promise<Model[]> {
  const scoring = await deps.scoringOf(
    workspaceId,
    models.map((m) => m.id),
  );
  return models.map((m) => ({ ...m, scoring: scoring.get(m.id)! }));
}

/** The model with its scoring, or a 404. */
async function found(deps: ModelRouteDeps, workspaceId: string, id: string): Promise<Model> {
  const model = await getModel(deps.pool, workspaceId, id);
  if (!model) throw notFound(`Model ${id}`);
  return (await withScoring(deps, workspaceId, [model]))[0];
}

function trainRoute(app: ZodApp, deps: ModelRouteDeps): void {
  app.post('/v1/models', {
    schema: {
      ...common,
      operationId: 'trainModel',
      summary: 'Train a new lookalike model version now (in the background)',
      description:
        'Returns at once with the queued model and its job. The newest ready model becomes active unless it is clearly ' +
        'worse than the active one on the same cross-validation folds, or the active model is pinned (activated by hand); ' +
        'then scoring of the universe is scheduled. Retrains after outcome changes or on a schedule reuse a ready model trained ' +
        'on exactly the same data (same trainingFingerprint) instead of adding a version. A workspace has at most one model ' +
        'queued for training: while one is queued, a request with the same seed and params is answered with it (202, the same ' +
        'model and job ids, alreadyQueued: true; its training reads the data when it starts), and one with other settings gets 409 ' +
        'training_already_queued naming it.',
      body: TrainModelBody,
      response: {
        202: z.object({
          model: Model.pick({ id: true, status: true }),
          job: JobRef,
          alreadyQueued: z
            .boolean()
            .meta({ description: 'true: the workspace already had this model queued, and this request is answered with it' }),
        }),
        400: ErrorResponse,
        401: ErrorResponse,
        409: ErrorResponse,
        503: ErrorResponse,
      },
    },
    handler: async (request, reply) => {
      const over = trainingBudgetExceeded(request.body.params, DEFAULT_LOOKALIKE_PARAMS);
      if (over) throw new ApiError(400, 'training_budget_exceeded', `Training parameters exceed the cost budget: ${over.message}`, over);
      const { modelId, job, alreadyQueued } = await requestTraining(deps.pool, deps.enqueue, request.workspaceId, request.body);
      return reply.code(202).send({ model: { id: modelId, status: 'queued' as const }, job: { id: job.id }, alreadyQueued });
    },
  });
}

function listRoute(app: ZodApp, deps: ModelRouteDeps): void {
  app.get('/v1/models', {
    schema: {
      ...common,
      operationId: 'listModels',
      summary: 'Model versions, newest first, with status, metrics and which one is active',
      response: { 200: z.object({ data: z.array(Model) }), 401: ErrorResponse },
    },
    handler: async (request) => ({ data: await withScoring(deps, request.workspaceId, await listModels(deps.pool, request.workspaceId)) }),
  });
}

function getRoute(app: ZodApp, deps: ModelRouteDeps): void {
  app.get('/v1/models/:id', {
    schema: {
      ...common,
      operationId: 'getModel',
      summary: 'One model version: status, training counts, cross-validated metrics, feature importances',
      params: IdParams,
      response: { 200: z.object({ model: Model }), 401: ErrorResponse, 404: ErrorResponse },
    },
    handler: async (request) => ({ model: await found(deps, request.workspaceId, request.params.id) }),
  });
}

function activateRoute(app: ZodApp, deps: ModelRouteDeps): void {
  app.post('/v1/models/:id/activate', {
    schema: {
      ...common,
      operationId: 'activateModel',
      summary: 'Make a ready model the active one and pin it (roll back or forward); rescoring is scheduled if needed',
      description:
        'The model is pinned: retrains (after outcome changes, on the schedule or by hand) still produce ready models, ' +
        'but none is activated while the pin holds; their note says so. Activating another model moves the pin to it; ' +
        'POST /v1/models/{id}/unpin removes it, so the next retrain may replace the model again.',
      params: IdParams,
      response: {
        200: z
          .object({ model: Model, scoringJob: JobRef.nullable() })
          .meta({ description: 'The model, now active and pinned, and the scoring job if its prospects need scoring' }),
        401: ErrorResponse,
        404: ErrorResponse,
        409: ErrorResponse,
      },
    },
    handler: async (request) => {
      const { workspaceId } = request;
      const model = await getModel(deps.pool, workspaceId, request.params.id);
      if (!model) throw notFound(`Model ${request.params.id}`);
      if (model.status !== 'ready')
        throw new ApiError(409, 'model_not_ready', `Model ${model.id} is ${model.status}; only a ready model can be activated`);
      if (model.featureSpecVersion !== FEATURE_SPEC_VERSION) {
        throw new ApiError(
          409,
          'model_retired',
          `Model ${model.id} was trained on feature spec ${model.featureSpecVersion ?? 1}, which this version has retired (it uses spec ${FEATURE_SPEC_VERSION}); train a new model (POST /v1/models)`,
        );
      }
      const note = `Activated by hand and pinned: retrains do not replace it until you activate another model or unpin it (POST /v1/models/${model.id}/unpin).`;
      await withTransaction(deps.pool, (client) => activateModel(client, workspaceId, model.id, 'api', note));
      const scoringJob = await afterActivation(deps.activation, deps.pool, deps.enqueue, request.log, workspaceId, model.id, 'api');
      return { model: await found(deps, workspaceId, model.id), scoringJob: scoringJob && { id: scoringJob.id } };
    },
  });
}

function unpinRoute(app: ZodApp, deps: ModelRouteDeps): void {
  app.post('/v1/models/:id/unpin', {
    schema: {
      ...common,
      operationId: 'unpinModel',
      summary: 'Unpin a model activated by hand: it stays active, and the next retrain may replace it',
      params: IdParams,
      response: {
        200: z
          .object({ model: Model })
          .meta({ description: 'The model, no longer pinned (unpinning a model that is not pinned changes nothing)' }),
        401: ErrorResponse,
        404: ErrorResponse,
      },
    },
    handler: async (request) => {
      const { workspaceId } = request;
      if (!(await getModel(deps.pool, workspaceId, request.params.id))) throw notFound(`Model ${request.params.id}`);
      if (await unpinModel(deps.pool, workspaceId, request.params.id)) await noteUnpinned(deps.pool, workspaceId, request.params.id);
      return { model: await found(deps, workspaceId, request.params.id) };
    },
  });
}
