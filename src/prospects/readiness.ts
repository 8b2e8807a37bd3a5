/**
 * Where a workspace's prospects stand, for clients that poll: the scoring that follows each model (the
 * model resource's `scoring`), and, before any run can be served, what is under way and when to ask again.
 */
import type pg from 'pg';
import { getJob, pendingJob } from '../jobs/repository.ts';
import type { Job } from '../jobs/schema.ts';
import { DomainError, NotReadyYet } from '../lib/errors.ts';
import { RETRAIN_DEBOUNCE_MS } from '../model/jobs.ts';
import { activeModelId, newestModel } from '../model/repository.ts';
import type { ModelRecord, ModelScoring } from '../model/schema.ts';
import { currentRun, latestRuns, type RunState, type ScoreRun } from './repository.ts';

const NO_SCORING: ModelScoring = {
  status: 'none',
  progress: null,
  runId: null,
  job: null,
  startedAt: null,
  completedAt: null,
  error: null,
};

/** A run whose job could not be queued is failed at once (see scheduleScoring); it has no job to tell why. */
const NOT_QUEUED =
  'The scoring job could not be queued (the job queue was unreachable); activating or retraining the model schedules it again';

function scoringState(run: RunState, job: Job | null): ModelScoring {
  const base = { ...NO_SCORING, runId: run.id, job: run.jobId ? { id: run.jobId } : null };
  if (run.status === 'completed') {
    return { ...base, status: 'completed', progress: 1, startedAt: job?.startedAt ?? null, completedAt: run.finishedAt!.toISOString() };
  }
  if (run.status === 'failed' || job?.status === 'failed') {
    return { ...base, status: 'failed', startedAt: job?.startedAt ?? null, error: job?.error ?? NOT_QUEUED };
  }
  if (job?.status === 'queued') return { ...base, status: 'queued', progress: 0 };
  // Batches are counted as they are stored; a repeated chunk may count twice, so never "done" before completion.
  const progress = run.accountsTotal ? Math.min(0.99, run.accountsScored / Math.max(1, run.accountsTotal)) : null;
  return { ...base, status: 'running', progress, startedAt: job?.startedAt ?? run.createdAt.toISOString() };
}

/** The scoring that follows each of these models: its newest run, read with its job. */
export async function scoringOf(pool: pg.Pool, workspaceId: string, modelIds: string[]): Promise<Map<string, ModelScoring>> {
  const runs = await latestRuns(pool, workspaceId, modelIds);
  const states = new Map<string, ModelScoring>();
  for (const id of modelIds) {
    const run = runs.get(id);
    // Only unfinished runs need their job (a few at most): completed ones say everything themselves.
    const job = run?.jobId && run.status !== 'completed' ? await getJob(pool, workspaceId, run.jobId) : null;
    states.set(id, run ? scoringState(run, job) : NO_SCORING);
  }
  return states;
}

/** Seconds to suggest before asking again while a model trains (its progress has no share to extrapolate from). */
export const TRAINING_RETRY_SECONDS = 10;
/** A scheduled retrain starts once outcome changes pause this long. */
const RETRAIN_RETRY_SECONDS = RETRAIN_DEBOUNCE_MS / 1000;
const SCORING_RETRY_SECONDS = { min: 1, unknown: 5, max: 60 };

/** Time left of a scoring, extrapolated from its progress so far. */
function scoringRetrySeconds(scoring: ModelScoring, now: number): number {
  if (!scoring.progress || !scoring.startedAt) return SCORING_RETRY_SECONDS.unknown;
  const elapsed = (now - Date.parse(scoring.startedAt)) / 1000;
  const left = (elapsed * (1 - scoring.progress)) / scoring.progress;
  return Math.round(Math.min(SCORING_RETRY_SECONDS.max, Math.max(SCORING_RETRY_SECONDS.min, left)));
}

const percent = (share: number) => `${Math.floor(share * 100)} %`;

/** The active model's universe is being scored. */
function scoringUnderway(activeId: string, scoring: ModelScoring): NotReadyYet {
  const done = scoring.progress === null ? '' : ` (${percent(scoring.progress)} done)`;
  return new NotReadyYet(
    'no_scores',
    `No scored prospects yet: the universe is being scored under model ${activeId}${done}; poll GET /v1/models/${activeId} (scoring) or retry after the Retry-After seconds`,
    {
      underway: 'scoring',
      modelId: activeId,
      job: scoring.job,
      runId: scoring.runId,
      status: scoring.status,
      progress: scoring.progress,
    },
    scoringRetrySeconds(scoring, Date.now()),
  );
}

/** A model is training; scoring follows. */
function trainingUnderway(newest: ModelRecord, job: Job | null): NotReadyYet {
  const step = typeof job?.progress?.step === 'string' ? job.progress.step : null;
  return new NotReadyYet(
    'no_scores',
    `No scored prospects yet: model ${newest.id} is ${newest.status}${step ? ` (${step})` : ''}; scoring the universe follows. ` +
      `Poll GET /v1/models/${newest.id} (status, then scoring) or retry after the Retry-After seconds`,
    { underway: 'training', modelId: newest.id, job: newest.job, status: newest.status, progress: null, step },
    TRAINING_RETRY_SECONDS,
  );
}

/** Outcomes changed and no model yet: the retrain they scheduled (debounced) is what comes next. */
function retrainScheduled(retrainJobId: string): NotReadyYet {
  return new NotReadyYet(
    'no_scores',
    'No scored prospects yet: a model is trained shortly after your last outcome change (a retrain is scheduled); ' +
      'scoring the universe follows. Train now with POST /v1/models, or retry after the Retry-After seconds',
    { underway: 'training', modelId: null, job: { id: retrainJobId }, status: 'scheduled', progress: null },
    RETRAIN_RETRY_SECONDS,
  );
}

/** Nothing under way: the scoring or the training failed, or no model was ever trained. */
function nothingUnderway(activeId: string | null, scoring: ModelScoring | null, newest: ModelRecord | null): DomainError {
  if (activeId && scoring?.status === 'failed') {
    return new DomainError(
      'conflict',
      'no_scores',
      `No scored prospects: scoring the universe under model ${activeId} failed (${scoring.error}); train again (POST /v1/models)`,
      { underway: null, modelId: activeId, job: scoring.job, runId: scoring.runId, status: 'failed' },
    );
  }
  if (newest?.status === 'failed') {
    return new DomainError(
      'conflict',
      'no_scores',
      `No scored prospects: training model ${newest.id} failed (${newest.error}); fix what it says and train again (POST /v1/models)`,
      { underway: null, modelId: newest.id, job: newest.job, status: 'failed' },
    );
  }
  return new DomainError(
    'conflict',
    'no_scores',
    'No scored prospects yet: train a model (POST /v1/models); scoring the universe follows automatically',
    { underway: null },
  );
}

/**
 * Why a workspace has no scored prospects to serve, as the error GET /v1/prospects answers: what is
 * under way (the active model's scoring, or a model's training), with its job and progress and a
 * Retry-After, or what the client has to do first.
 */
export async function noProspectsYet(pool: pg.Pool, workspaceId: string): Promise<DomainError> {
  // The training first: once its job has ended, the model it activated and that model's run exist (read next).
  const newest = await newestModel(pool, workspaceId);
  const job = newest?.job ? await getJob(pool, workspaceId, newest.job.id) : null;
  const activeId = await activeModelId(pool, workspaceId);
  const scoring = activeId ? (await scoringOf(pool, workspaceId, [activeId])).get(activeId)! : null;
  if (activeId && scoring && (scoring.status === 'queued' || scoring.status === 'running')) return scoringUnderway(activeId, scoring);
  // A model is ready (and active) a moment before its training job schedules the scoring: still training.
  if (newest && (newest.status === 'queued' || newest.status === 'training' || job?.status === 'queued' || job?.status === 'running')) {
    return trainingUnderway(newest, job);
  }
  const retrain = await pendingJob(pool, workspaceId, 'model.retrain');
  if (retrain && !activeId) return retrainScheduled(retrain);
  return nothingUnderway(activeId, scoring, newest);
}

/**
 * The run prospect pages read, or the error saying why there is none yet. A run that completes while
 * that error is worked out is served instead: the error would describe a state already gone.
 */
export async function servedRun(pool: pg.Pool, workspaceId: string): Promise<ScoreRun> {
  const run = await currentRun(pool, workspaceId);
  if (run) return run;
  const why = await noProspectsYet(pool, workspaceId);
  const completedMeanwhile = await currentRun(pool, workspaceId);
  if (completedMeanwhile) return completedMeanwhile;
  throw why;
}
