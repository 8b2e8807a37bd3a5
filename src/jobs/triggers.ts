import type pg from 'pg';
import { withTransaction, type Queryable } from '../db/pool.ts';
import { ApiError } from '../http/errors.ts';
import { activateModel, pinnedModel, pinnedNote, setModelJob } from '../model/repository.ts';
import { currentFingerprint, requestTraining } from '../model/training.ts';
import { scheduleScoring } from './schedule.ts';
import { listSchedules, type Enqueue, type Every, type JobContext, type JobQueue } from './queue.ts';
import type { JobPayload } from './types.ts';

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
export async function retrain({ pool, job, enqueue }: JobContext<JobPayload<'model.retrain'>>) {
  // Stamped once, on the database's clock, before anything is requested: models from then on are this job's.
  const { rows } = await pool.query<{ since: string }>(
    `UPDATE jobs SET progress = coalesce(progress, jsonb_build_object('since', now())) WHERE id = $1 RETURNING progress->>'since' AS since`,
    [job.id],
  );
  const requested = await pool.query<{ id: string; job_id: string | null }>(
    'SELECT id, job_id FROM models WHERE workspace_id = $1 AND created_at >= $2 ORDER BY created_at, id LIMIT 1',
    [job.workspaceId, rows[0].since],
  );
  const model = requested.rows[0];
  if (model?.job_id) return { modelId: model.id, trainingJob: model.job_id };
  if (model) {
    // The first attempt stopped between creating the model and recording its training job.
    const training = await enqueue(job.workspaceId, 'model.train', { modelId: model.id });
    await setModelJob(pool, model.id, training.id);
    return { modelId: model.id, trainingJob: training.id };
  }
  const reused = await reuseIdenticalModel(pool, enqueue, job.workspaceId);
  if (reused) return reused;
  try {
    const { modelId, job: training } = await requestTraining(pool, enqueue, job.workspaceId, {});
    return { modelId, trainingJob: training.id };
  } catch (err) {
    // Nothing to learn from yet: done, not failed (a retry would not help).
    if (err instanceof ApiError && err.code === 'no_won_accounts') return { skipped: err.message };
    throw err;
  }
}

/**
 * A retrain on data a ready model was trained on (same training fingerprint: examples, labels, weights,
 * vocabulary, seed and settings) would train the same model again. The retrain reuses that model instead
 * of adding a version: it is activated (and scored) as a new model would be, unless it is active already
 * or another model is pinned. Returns null when there is no such model.
 */
export async function reuseIdenticalModel(pool: pg.Pool, enqueue: Enqueue, workspaceId: string) {
  const { rows } = await pool.query<{ ready: boolean; won: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM models WHERE workspace_id = $1 AND status = 'ready' AND training_fingerprint IS NOT NULL) AS ready,
            EXISTS (SELECT 1 FROM outcomes WHERE workspace_id = $1 AND status = 'won') AS won`,
    [workspaceId],
  );
  if (!rows[0].ready || !rows[0].won) return null;
  const fingerprint = await currentFingerprint(pool, workspaceId);
  const match = (
    await pool.query<{ id: string; version: number; active: boolean }>(
      `SELECT id, version, active FROM models WHERE workspace_id = $1 AND status = 'ready' AND training_fingerprint = $2
       ORDER BY version DESC LIMIT 1`,
      [workspaceId, fingerprint],
    )
  ).rows[0];
  if (!match) return null;
  const { activated, note } = await withTransaction(pool, async (client) => {
    const pinned = await pinnedModel(client, workspaceId);
    if (match.active) return { activated: false, note: `Version ${match.version}, already active, was trained on exactly this data: no new version.` };
    if (pinned) return { activated: false, note: pinnedNote(pinned).replace('Activate this one', `Version ${match.version} was trained on exactly this data (reused, no new version). Activate it`) };
    await activateModel(client, workspaceId, match.id, `Activated: a retrain found exactly the data this version was trained on, so it was reused instead of training a new version.`);
    return { activated: true, note: `Version ${match.version} was trained on exactly this data: reused and activated, no new version.` };
  });
  const scoringJob = activated ? await scheduleScoring(pool, enqueue, workspaceId, match.id) : null;
  return { reused: true, modelId: match.id, version: match.version, activated, note, scoringJob };
}
