import type pg from 'pg';
import type { Queryable } from '../db/pool.ts';
import { completeJob, failJob, insertJob, markJobRunning, setJobProgress, unfinishedJobs } from './repository.ts';
import { JOB_PAYLOADS, JOB_TYPES, type JobPayload, type JobType } from './types.ts';

export interface EnqueueOptions {
  /**
   * Debounce: the job runs this long after the last enqueue of the same type for the same workspace, and
   * enqueues within that delay collapse into the one pending job. Such enqueues are triggers, not requests:
   * with the queue unreachable they are recorded in Postgres and dispatched by `recover()` once it is back.
   */
  debounceMs?: number;
}

export type Enqueue = <T extends JobType>(
  workspaceId: string,
  type: T,
  payload: JobPayload<T>,
  options?: EnqueueOptions,
) => Promise<{ id: string }>;

export interface JobContext<P> {
  pool: pg.Pool;
  job: { id: string; workspaceId: string; payload: P };
  /** Stores progress where `GET /v1/jobs/{id}` reads it. */
  progress(progress: Record<string, unknown>): Promise<void>;
  /** Schedules a follow-up job (training schedules scoring). */
  enqueue: Enqueue;
}

/** A range of account ids: `fromId < id <= toId`, either end open. */
export interface IdRange {
  fromId?: string;
  toId?: string;
}

/**
 * A job split by account id range into chunks that may run on different workers at once, in any order;
 * `finish` runs once every chunk is stored. Chunks must be safe to repeat.
 */
export interface ChunkedProcessor<P> {
  chunks(pool: pg.Pool, job: JobContext<P>['job']): Promise<IdRange[]>;
  /** Returns how many accounts it processed. */
  chunk(pool: pg.Pool, job: JobContext<P>['job'], range: IdRange): Promise<number>;
  finish(ctx: JobContext<P>): Promise<unknown>;
}

export type Processor<P> = ((ctx: JobContext<P>) => Promise<unknown>) | ChunkedProcessor<P>;
export type Processors = { [T in JobType]: Processor<JobPayload<T>> };

export interface JobQueue {
  mode: 'in-process' | 'bullmq';
  /** Records the job (status `queued`) and hands it to a processor; returns its id. */
  enqueue: Enqueue;
  /**
   * Runs `type` for the workspace on `every` (null: no more). The schedule is kept in Postgres, so
   * `recover()` can restore it.
   */
  schedule<T extends JobType>(workspaceId: string, type: T, payload: JobPayload<T>, every: Every | null): Promise<void>;
  /**
   * Hands unfinished jobs recorded in Postgres but not (or no longer) queued back to the queue, and
   * re-applies the stored schedules: after a restart, or after Redis lost its data. Returns how many jobs.
   */
  recover(): Promise<number>;
  /** Resolves when no job is queued or running here (tests and shutdown); debounced jobs still waiting for their delay don't count. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Runs one job's processor with the state bookkeeping both queue modes share. */
export async function runJob<P, R>(
  pool: pg.Pool,
  process: (ctx: JobContext<P>) => Promise<R>,
  job: JobContext<P>['job'],
  enqueue: Enqueue,
  onProgress?: (progress: Record<string, unknown>) => Promise<void>,
): Promise<R> {
  await markJobRunning(pool, job.id);
  return settleJob(pool, job.id, () => process(jobContext(pool, job, enqueue, onProgress)));
}

export function jobContext<P>(
  pool: pg.Pool,
  job: JobContext<P>['job'],
  enqueue: Enqueue,
  onProgress?: (progress: Record<string, unknown>) => Promise<void>,
): JobContext<P> {
  const progress = async (p: Record<string, unknown>) => {
    await setJobProgress(pool, job.id, p);
    await onProgress?.(p);
  };
  return { pool, job, progress, enqueue };
}

/** Stores what `work` returns as the job's result, or its error (rethrown). */
export async function settleJob<R>(pool: pg.Pool, id: string, work: () => Promise<R>): Promise<R> {
  try {
    const result = await work();
    await completeJob(pool, id, result);
    return result;
  } catch (err) {
    await failJob(pool, id, err instanceof Error ? err.message : String(err));
    throw err;
  }
}

/** Validates a payload against the shared map before it is recorded or processed. */
export function parsePayload<T extends JobType>(type: T, payload: unknown): JobPayload<T> {
  return JOB_PAYLOADS[type].parse(payload) as JobPayload<T>;
}

/** A chunked job's progress before any chunk is done. */
export const chunkPlan = (chunks: number) => ({ chunks, chunksDone: 0, accountsDone: 0, doneChunks: [] as number[] });

/**
 * Counts chunk `index` as done on the job row, once: a repeated chunk (retried, or run again after a
 * crash) is not counted twice. Safe with chunks finishing at once on several workers: the WHERE and SET
 * are re-evaluated on the latest row version.
 */
export async function recordChunkDone(db: Queryable, jobId: string, index: number, accounts: number): Promise<void> {
  await db.query(
    `UPDATE jobs SET progress = progress || jsonb_build_object(
       'chunksDone', (progress->>'chunksDone')::int + 1,
       'accountsDone', (progress->>'accountsDone')::int + $3,
       'doneChunks', (progress->'doneChunks') || to_jsonb($2::int))
     WHERE id = $1 AND NOT (progress->'doneChunks') @> to_jsonb($2::int)`,
    [jobId, index, accounts],
  );
}

/** The whole job in this process: a chunked job's chunks one after another, then its finish. */
export function wholeJob<P>(processor: Processor<P>): (ctx: JobContext<P>) => Promise<unknown> {
  if (typeof processor === 'function') return processor;
  return async (ctx) => {
    const ranges = await processor.chunks(ctx.pool, ctx.job);
    await ctx.progress(chunkPlan(ranges.length));
    for (const [index, range] of ranges.entries()) {
      await recordChunkDone(ctx.pool, ctx.job.id, index, await processor.chunk(ctx.pool, ctx.job, range));
    }
    return processor.finish(ctx);
  };
}

/** Jobs of the queue's types still queued or running, oldest first (`accounts.import` runs outside the queue). */
export const unfinishedQueueJobs = (db: Queryable) => unfinishedJobs<JobType>(db, JOB_TYPES);
export type UnfinishedJob = Awaited<ReturnType<typeof unfinishedQueueJobs>>[number];

/** A recurring time: `offsetMs` after each multiple of `everyMs` since the Unix epoch (a Thursday, 00:00 UTC). */
export interface Every {
  everyMs: number;
  offsetMs: number;
}

export interface JobSchedule {
  workspaceId: string;
  type: JobType;
  payload: unknown;
  every: Every;
}

export async function saveSchedule(db: Queryable, workspaceId: string, type: JobType, payload: unknown, every: Every | null): Promise<void> {
  if (every === null) {
    await db.query('DELETE FROM job_schedules WHERE workspace_id = $1 AND type = $2', [workspaceId, type]);
    return;
  }
  await db.query(
    `INSERT INTO job_schedules (workspace_id, type, payload, every_ms, offset_ms) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (workspace_id, type) DO UPDATE
       SET payload = EXCLUDED.payload, every_ms = EXCLUDED.every_ms, offset_ms = EXCLUDED.offset_ms, updated_at = now()`,
    [workspaceId, type, JSON.stringify(payload), every.everyMs, every.offsetMs],
  );
}

export async function listSchedules(db: Queryable, filter: { workspaceId?: string; type?: JobType } = {}): Promise<JobSchedule[]> {
  const { rows } = await db.query<{ workspace_id: string; type: JobType; payload: unknown; every_ms: string; offset_ms: string }>(
    `SELECT workspace_id, type, payload, every_ms, offset_ms FROM job_schedules
     WHERE ($1::uuid IS NULL OR workspace_id = $1) AND ($2::text IS NULL OR type = $2) ORDER BY workspace_id, type`,
    [filter.workspaceId ?? null, filter.type ?? null],
  );
  return rows.map((r) => ({
    workspaceId: r.workspace_id,
    type: r.type,
    payload: r.payload,
    every: { everyMs: Number(r.every_ms), offsetMs: Number(r.offset_ms) },
  }));
}

/** Milliseconds until the next run of `every` after `now`: the slot BullMQ's job schedulers pick too. */
export function untilNextRun({ everyMs, offsetMs }: Every, now = Date.now()): number {
  const next = Math.floor(now / everyMs) * everyMs + (offsetMs % everyMs);
  return (next > now ? next : next + everyMs) - now;
}

/** pino's (object, message) form; `console` fits too. */
export interface JobLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** A JobLog from a log that may have `error` only: its warnings and notes then go there too. */
export function withLevels(log: Pick<JobLog, 'error'> & Partial<JobLog>): JobLog {
  return {
    error: (obj, msg) => log.error(obj, msg),
    warn: (obj, msg) => (log.warn ?? log.error).call(log, obj, msg),
    info: (obj, msg) => (log.info ?? log.error).call(log, obj, msg),
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

/** A job's result in a few words, for its log line. */
export function describeResult(type: string, result: unknown): string {
  const r = (result ?? {}) as Record<string, unknown>;
  const model = (id: unknown) => `model ${String(id).slice(0, 8)}`;
  switch (type) {
    case 'model.train':
      return `${model(r.modelId)} ready (${r.kind}), ${r.activated ? 'activated' : `not activated: ${r.note}`}`;
    case 'model.retrain':
      if (r.skipped) return `skipped: ${r.skipped}`;
      if (r.reused) return `reused version ${r.version}, ${r.activated ? 'activated' : 'not activated'}`;
      return `requested ${model(r.modelId)} (training job ${String(r.trainingJob).slice(0, 8)})`;
    case 'scores.refresh':
      return `${Number(r.accountsScored ?? 0).toLocaleString('en-US')} accounts scored`;
    case 'vectors.refresh':
      return `${Number(r.vectorised ?? 0).toLocaleString('en-US')} accounts vectorised (vocabulary v${r.vocabularyVersion})`;
    default:
      return JSON.stringify(result ?? null).slice(0, 200);
  }
}

/** One line per finished job, in whichever process ran it: type, workspace, duration and result. */
export function logJobFinished(log: JobLog, job: { id: string; type: string; workspaceId: string }, startedAt: number, outcome: { result: unknown } | { error: unknown }) {
  const durationMs = Date.now() - startedAt;
  const context = { jobId: job.id, type: job.type, workspaceId: job.workspaceId, durationMs };
  if ('error' in outcome) {
    const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
    log.error({ ...context, err: message }, `job ${job.type} failed after ${seconds(durationMs)} (workspace ${job.workspaceId}): ${message}`);
  } else {
    log.info(context, `job ${job.type} done in ${seconds(durationMs)} (workspace ${job.workspaceId}): ${describeResult(job.type, outcome.result)}`);
  }
}

/** The embedded default: the same processors, run in this process one at a time. */
export function inProcessQueue(pool: pg.Pool, processors: Processors, log: Pick<JobLog, 'error'>): JobQueue {
  let tail: Promise<void> = Promise.resolve();
  let closed = false;
  // Keyed by type@workspace. The id is a promise set before any await, so concurrent enqueues share one row.
  const debounced = new Map<string, { id: Promise<string>; timer: NodeJS.Timeout }>();
  const scheduled = new Map<string, NodeJS.Timeout>();

  const levels = withLevels(log);
  const run = (job: UnfinishedJob) => {
    const process = wholeJob(processors[job.type] as Processor<unknown>);
    tail = tail.then(() => {
      const started = Date.now();
      return runJob(pool, process, job, queue.enqueue).then(
        (result) => logJobFinished(levels, job, started, { result }),
        (error) => logJobFinished(levels, job, started, { error }),
      );
    });
  };

  const arm = (s: JobSchedule) => {
    const key = `${s.type}@${s.workspaceId}`;
    clearTimeout(scheduled.get(key));
    const timer = setTimeout(() => {
      arm(s);
      enqueue(s.workspaceId, s.type, s.payload).catch((err) => log.error({ err, type: s.type }, 'scheduled job not enqueued'));
    }, untilNextRun(s.every));
    // A schedule alone does not keep the process alive.
    scheduled.set(key, timer.unref());
  };

  // Untyped inside (the payload is checked against the shared map); `queue.enqueue` is the typed face.
  const enqueue = async (workspaceId: string, type: JobType, payload: unknown, options: EnqueueOptions = {}) => {
    if (closed) throw new Error('The job queue is shutting down');
    const checked = parsePayload(type, payload);
    if (!options.debounceMs) {
      const id = await insertJob(pool, workspaceId, type, checked);
      run({ id, workspaceId, type, payload: checked });
      return { id };
    }
    const key = `${type}@${workspaceId}`;
    const pending = debounced.get(key);
    clearTimeout(pending?.timer);
    const id = pending?.id ?? insertJob(pool, workspaceId, type, checked);
    const timer = setTimeout(() => {
      debounced.delete(key);
      id.then((jobId) => run({ id: jobId, workspaceId, type, payload: checked }), () => undefined);
    }, options.debounceMs);
    debounced.set(key, { id, timer });
    try {
      return { id: await id };
    } catch (err) {
      // No row, nothing pending: the next change starts afresh.
      if (debounced.get(key)?.id === id) {
        clearTimeout(timer);
        debounced.delete(key);
      }
      throw err;
    }
  };

  const queue: JobQueue = {
    mode: 'in-process',
    enqueue,
    async schedule(workspaceId, type, payload, every) {
      const checked = parsePayload(type, payload);
      await saveSchedule(pool, workspaceId, type, checked, every);
      if (every !== null) return arm({ workspaceId, type, payload: checked, every });
      clearTimeout(scheduled.get(`${type}@${workspaceId}`));
      scheduled.delete(`${type}@${workspaceId}`);
    },
    async recover() {
      // In-process, a job lives in the memory of the process that queued it: an unfinished one was cut short
      // by a stop or a crash (on an embedded database, the only process). Processors are safe to run again.
      const jobs = await unfinishedQueueJobs(pool);
      for (const job of jobs) run(job);
      for (const s of await listSchedules(pool)) arm(s);
      return jobs.length;
    },
    async idle() {
      // Jobs may enqueue jobs (training schedules scoring): wait until the chain stops growing.
      for (let seen = tail; ; seen = tail) {
        await seen;
        if (seen === tail) return;
      }
    },
    async close() {
      closed = true;
      // Debounced jobs keep their queued row; recover() runs them at the next start.
      for (const { timer } of debounced.values()) clearTimeout(timer);
      for (const timer of scheduled.values()) clearTimeout(timer);
      await queue.idle();
    },
  };
  return queue;
}
