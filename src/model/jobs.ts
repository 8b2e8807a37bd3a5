/**
 * Training as jobs: 'model.train' trains a requested version; 'model.retrain' requests one after outcome
 * changes (debounced) or on the workspace's retraining schedule, reusing a model trained on the same data.
 */
import type pg from 'pg';
import { z } from 'zod';
import { withTransaction, type Queryable } from '../db/pool.ts';
import { firstAttemptAt, listSchedules } from '../jobs/repository.ts';
import type { Enqueue, Every, JobContext, JobHandlers, JobQueue } from '../jobs/queue.ts';
import type { JobPayload } from '../jobs/types.ts';
import { FEATURE_SPEC_VERSION } from '../features/spec.ts';
import type { JobLog } from '../lib/log.ts';
import { hasWonOutcome } from '../outcomes/repository.ts';
import { activateModel, afterActivation, type ActivationEffects } from './activation.ts';
import {
  firstModelSince,
  hasFingerprintedModel,
  pinnedNote,
  readyModelWithFingerprint,
  setModelJob,
  trainingUnderWay,
  workspacesWithRetiredModels,
} from './repository.ts';
import { currentFingerprint, liveQueuedModel, NoWonAccounts, requestTraining, trainModel, type TrainOutcome } from './training.ts';

/** Train the model version `modelId` (created, status queued, by the API). */
const ModelTrain = z.object({ modelId: z.uuid() });
/**
 * Request a new model version (then trained by 'model.train'): after outcomes changed (debounced, one
 * pending per workspace), on the workspace's retraining schedule, or after a feature-spec change retired
 * the workspace's models.
 */
const ModelRetrain = z.object({ reason: z.enum(['outcomes', 'schedule', 'spec']) });

declare module '../jobs/types.ts' {
  interface JobPayloads {
    'model.train': z.infer<typeof ModelTrain>;
    'model.retrain': z.infer<typeof ModelRetrain>;
  }
}

/** What follows a training elsewhere: given by the composition root, as those modules build on this one. */
export interface ModelJobDeps extends ActivationEffects {
  /** Sends the `model.ready` webhook. Never throws. */
  notifyReady(pool: pg.Pool, enqueue: Enqueue, log: Pick<JobLog, 'error'>, workspaceId: string, outcome: TrainOutcome): Promise<void>;
}

const model = (id: unknown) => `model ${String(id).slice(0, 8)}`;

export function describeTraining(result: unknown): string {
  const r = (result ?? {}) as Record<string, unknown>;
  return `${model(r.modelId)} ready (${r.kind}), ${r.activated ? 'activated' : `not activated: ${r.note}`}`;
}

export function describeRetrain(result: unknown): string {
  const r = (result ?? {}) as Record<string, unknown>;
  if (r.skipped) return `skipped: ${r.skipped}`;
  if (r.reused) return `reused version ${r.version}, ${r.activated ? 'activated' : 'not activated'}`;
  return `requested ${model(r.modelId)} (training job ${String(r.trainingJob).slice(0, 8)})`;
}

export function modelJobs(deps: ModelJobDeps): Pick<JobHandlers, 'model.train' | 'model.retrain'> {
  return {
    'model.train': {
      payload: ModelTrain,
      queue: 'training',
      process: async ({ pool, job, progress, enqueue, log }) => {
        const outcome = await trainModel(pool, job.payload.modelId, progress);
        await deps.notifyReady(pool, enqueue, log, job.workspaceId, outcome);
        const scoring = outcome.activated
          ? await afterActivation(deps, pool, enqueue, log, job.workspaceId, outcome.modelId, 'training')
          : null;
        return { ...outcome, scoringJob: scoring };
      },
      describe: describeTraining,
    },
    'model.retrain': {
      payload: ModelRetrain,
      queue: 'training',
      process: (ctx) => retrain(ctx, deps),
      describe: describeRetrain,
    },
  };
}

/** Outcome changes less than this apart lead to one retrain, this long after the last of them. */
export const RETRAIN_DEBOUNCE_MS = 60_000;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Retraining schedules a workspace can choose: daily at 03:00 UTC, or weekly on Mondays at 03:00 UTC. */
export const RETRAIN_SCHEDULES = {
  off: null,
  daily: { everyMs: DAY_MS, offsetMs: 3 * HOUR_MS },
  // The epoch fell on a Thursday: Monday is 4 days later.
  weekly: { everyMs: 7 * DAY_MS, offsetMs: 4 * DAY_MS + 3 * HOUR_MS },
} as const satisfies Record<string, Every | null>;
export type RetrainSchedule = keyof typeof RETRAIN_SCHEDULES;

/** After outcomes changed: one pending retrain per workspace, `debounceMs` after the last change. */
export function scheduleRetrain(enqueue: Enqueue, workspaceId: string, debounceMs = RETRAIN_DEBOUNCE_MS) {
  return enqueue(workspaceId, 'model.retrain', { reason: 'outcomes' }, { debounceMs });
}

/**
 * A feature-spec change retires models of older specs (see FEATURE_SPEC_VERSION and its migration): each
 * workspace left with no model gets a retrain, so prospects come back without anyone asking. Run at start;
 * returns the workspaces. A retrain that finds no won accounts is skipped, and asked again at the next start.
 */
export async function retrainRetiredModels(pool: pg.Pool, enqueue: Enqueue): Promise<string[]> {
  const workspaces = await workspacesWithRetiredModels(pool, FEATURE_SPEC_VERSION);
  for (const workspaceId of workspaces) await enqueue(workspaceId, 'model.retrain', { reason: 'spec' });
  return workspaces;
}

export async function getRetrainSchedule(db: Queryable, workspaceId: string): Promise<RetrainSchedule> {
  const [stored] = await listSchedules(db, { workspaceId, type: 'model.retrain' });
  if (!stored) return 'off';
  const names = Object.keys(RETRAIN_SCHEDULES) as RetrainSchedule[];
  return names.find((name) => RETRAIN_SCHEDULES[name]?.everyMs === stored.every.everyMs) ?? 'off';
}

export function setRetrainSchedule(jobs: JobQueue, workspaceId: string, schedule: RetrainSchedule): Promise<void> {
  return jobs.schedule(workspaceId, 'model.retrain', { reason: 'schedule' }, RETRAIN_SCHEDULES[schedule]);
}

/**
 * The 'model.retrain' job: requests a new model version, which its own 'model.train' job trains. A retry
 * (after a crash) finds the version its first attempt requested, so it never creates a second one.
 */
async function retrain({ pool, job, enqueue, log }: JobContext<JobPayload<'model.retrain'>>, deps: ActivationEffects) {
  // Stamped once, on the database's clock, before anything is requested: models from then on are this job's.
  const since = await firstAttemptAt(pool, job.id);
  const requested = await firstModelSince(pool, job.workspaceId, since);
  if (requested?.jobId) return { modelId: requested.id, trainingJob: requested.jobId };
  if (requested) {
    // The first attempt stopped between creating the model and recording its training job.
    const training = await enqueue(job.workspaceId, 'model.train', { modelId: requested.id });
    await setModelJob(pool, requested.id, training.id);
    return { modelId: requested.id, trainingJob: training.id };
  }
  // A version already queued trains on the data as it is when it starts: that is this retrain. One that is
  // training may be exactly the version this retrain would train: wait for it, then see. Asked in this order
  // (a version goes from queued to training to ready), so one starting to train between the two is not missed.
  const queued = await liveQueuedModel(pool, job.workspaceId);
  if (queued) return { modelId: queued.id, trainingJob: queued.jobId, alreadyQueued: true };
  await untilNoTrainingUnderWay(pool, job.workspaceId);
  const reused = await reuseIdenticalModel(pool, enqueue, log, job.workspaceId, deps);
  if (reused) return reused;
  try {
    // A model already queued trains on the data as it is when it starts: that is this retrain.
    const { modelId, job: training, alreadyQueued } = await requestTraining(pool, enqueue, job.workspaceId, {}, { anyParams: true });
    return { modelId, trainingJob: training.id, ...(alreadyQueued && { alreadyQueued }) };
  } catch (err) {
    // Nothing to learn from yet: done, not failed (a retry would not help).
    if (err instanceof NoWonAccounts) return { skipped: err.message };
    throw err;
  }
}

/** How long a retrain waits for a training of its workspace to end: as long as a training job holds its lock. */
const TRAINING_WAIT_MS = 5 * 60_000;

/**
 * Workers run a workspace's trainings side by side (in-process they take turns): a retrain that starts
 * while a version trains waits for it, as that version may be exactly the one the retrain would train.
 * Bounded, so a version left in training by a crash cannot hold a retrain for ever.
 */
async function untilNoTrainingUnderWay(pool: pg.Pool, workspaceId: string) {
  const deadline = Date.now() + TRAINING_WAIT_MS;
  while (Date.now() < deadline && (await trainingUnderWay(pool, workspaceId))) await new Promise((r) => setTimeout(r, 500));
}

/**
 * A retrain on data a ready model was trained on (same training fingerprint: examples, labels, weights,
 * vocabulary, seed and settings) would train the same model again. The retrain reuses that model instead
 * of adding a version: it is activated (and scored) as a new model would be, unless it is active already
 * or another model is pinned. Returns null when there is no such model.
 */
async function reuseIdenticalModel(
  pool: pg.Pool,
  enqueue: Enqueue,
  log: Pick<JobLog, 'error'>,
  workspaceId: string,
  deps: ActivationEffects,
) {
  if (!(await hasFingerprintedModel(pool, workspaceId)) || !(await hasWonOutcome(pool, workspaceId))) return null;
  const fingerprint = await currentFingerprint(pool, workspaceId);
  const match = await readyModelWithFingerprint(pool, workspaceId, fingerprint);
  if (!match) return null;
  if (match.active) {
    const note = `Version ${match.version}, already active, was trained on exactly this data: no new version.`;
    return { reused: true, modelId: match.id, version: match.version, activated: false, note, scoringJob: null };
  }
  const activation = await withTransaction(pool, (client) =>
    activateModel(
      client,
      workspaceId,
      match.id,
      'retrain',
      'Activated: a retrain found exactly the data this version was trained on, so it was reused instead of training a new version.',
    ),
  );
  const note = activation.activated
    ? `Version ${match.version} was trained on exactly this data: reused and activated, no new version.`
    : pinnedNote(activation.pinned).replace(
        'Activate this one',
        `Version ${match.version} was trained on exactly this data (reused, no new version). Activate it`,
      );
  const scoringJob = activation.activated ? await afterActivation(deps, pool, enqueue, log, workspaceId, match.id, 'retrain') : null;
  return { reused: true, modelId: match.id, version: match.version, activated: activation.activated, note, scoringJob };
}
