/**
 * The one way a model becomes active, whichever asks: a training whose model wins, a retrain that finds a
 * ready model trained on exactly the current data, or a user (POST /v1/models/{id}/activate). Inside the
 * caller's transaction, `activateModel` applies the pin rule and records it; once that has committed,
 * `afterActivation` sends `model.activated` and schedules scoring of the universe.
 */
import type pg from 'pg';
import type { Queryable } from '../db/pool.ts';
import type { Enqueue } from '../jobs/queue.ts';
import type { JobLog } from '../lib/log.ts';
import { pinnedModel, setActiveModel } from './repository.ts';

/** Who activated a model, as the `model.activated` webhook reports it. */
export type ActivatedBy = 'training' | 'retrain' | 'api';

/** What follows an activation elsewhere: given by the composition root, as those modules build on this one. */
export interface ActivationEffects {
  /** Sends the `model.activated` webhook. Never throws. */
  notifyActivated(
    pool: pg.Pool,
    enqueue: Enqueue,
    log: Pick<JobLog, 'error'>,
    workspaceId: string,
    modelId: string,
    by: ActivatedBy,
  ): Promise<void>;
  /** Schedules scoring of the universe under the newly active model; returns its job, or null if one exists. */
  scheduleScoring(pool: pg.Pool, enqueue: Enqueue, workspaceId: string, modelId: string): Promise<{ id: string } | null>;
}

export type Activation = { activated: true } | { activated: false; pinned: { id: string; version: number } };

/**
 * Makes `modelId` the workspace's active model, inside the caller's transaction. A model activated by hand
 * is pinned and stays active until the user activates another one or unpins it: only `by: 'api'` moves the
 * pin; any other activation answers with the pinned model instead. `note` (if given) becomes the model's note.
 */
export async function activateModel(
  client: Queryable,
  workspaceId: string,
  modelId: string,
  by: ActivatedBy,
  note: string | null = null,
): Promise<Activation> {
  if (by !== 'api') {
    const pinned = await pinnedModel(client, workspaceId);
    if (pinned && pinned.id !== modelId) return { activated: false, pinned };
  }
  await setActiveModel(client, workspaceId, modelId, note, by === 'api');
  return { activated: true };
}

/** After the activation has committed: `model.activated`, then scoring of the universe (its job, or null). */
export async function afterActivation(
  effects: ActivationEffects,
  pool: pg.Pool,
  enqueue: Enqueue,
  log: Pick<JobLog, 'error'>,
  workspaceId: string,
  modelId: string,
  by: ActivatedBy,
): Promise<{ id: string } | null> {
  await effects.notifyActivated(pool, enqueue, log, workspaceId, modelId, by);
  return effects.scheduleScoring(pool, enqueue, workspaceId, modelId);
}
