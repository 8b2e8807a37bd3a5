/** Running a job: the state bookkeeping both queue modes share, and the jobs that run where they were enqueued. */
import type pg from 'pg';
import type { Queryable } from '../db/pool.ts';
import { inBackground } from '../lib/priority.ts';
import { publicMessage } from '../lib/errors.ts';
import { completeJob, failJob, insertJob, markJobRunning, recordChunkDone, setJobProgress, unfinishedJobs } from './repository.ts';
import type { EnqueueOptions, Enqueue, JobContext, JobHandler, JobHandlers, JobLog, Processor } from './queue.ts';
import type { JobType } from './types.ts';

/** Runs one job's processor with the state bookkeeping both queue modes share. */
export async function runJob<P, R>(
  pool: pg.Pool,
  process: (ctx: JobContext<P>) => Promise<R>,
  job: JobContext<P>['job'],
  enqueue: Enqueue,
  log: JobLog,
  onProgress?: (progress: Record<string, unknown>) => Promise<void>,
): Promise<R> {
  // Jobs are bulk work: on the embedded database their statements let requests' go first.
  return inBackground(async () => {
    await markJobRunning(pool, job.id);
    return settleJob(pool, job.id, () => process(jobContext(pool, job, enqueue, log, onProgress)));
  });
}

export function jobContext<P>(
  pool: pg.Pool,
  job: JobContext<P>['job'],
  enqueue: Enqueue,
  log: JobLog,
  onProgress?: (progress: Record<string, unknown>) => Promise<void>,
): JobContext<P> {
  const progress = async (p: Record<string, unknown>) => {
    await setJobProgress(pool, job.id, p);
    await onProgress?.(p);
  };
  return { pool, job, log, progress, enqueue };
}

/** Stores what `work` returns as the job's result, or its error (rethrown). */
export async function settleJob<R>(pool: pg.Pool, id: string, work: () => Promise<R>): Promise<R> {
  try {
    const result = await work();
    await completeJob(pool, id, result);
    return result;
  } catch (err) {
    await failJob(pool, id, jobErrorMessage(err));
    throw err;
  }
}

/**
 * A job's error as `GET /v1/jobs/{id}` shows it: our own words (a DomainError's message), never a
 * database's or a library's text, which the job's log line keeps.
 */
export const jobErrorMessage = (err: unknown) =>
  publicMessage(err, 'The job stopped on an internal error; the service log has the details under this job id');

/** A chunked job's progress before any chunk is done. */
export const chunkPlan = (chunks: number) => ({ chunks, chunksDone: 0, accountsDone: 0, doneChunks: [] as number[] });

/** The whole job in this process: a chunked job's chunks one after another, then its finish. */
export function wholeJob<P>(processor: Processor<P>): (ctx: JobContext<P>) => Promise<unknown> {
  if (typeof processor === 'function') return processor;
  return async (ctx) => {
    const ranges = await processor.chunks(ctx.pool, ctx.job);
    await ctx.progress(chunkPlan(ranges.length));
    for (const [index, range] of ranges.entries()) {
      await recordChunkDone(ctx.pool, ctx.job.id, index, await processor.chunk(ctx.pool, ctx.job, range, ctx.log));
    }
    return processor.finish(ctx);
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

/** One line per finished job, in whichever process ran it: type, workspace, duration and result. */
export function logJobFinished(
  log: JobLog,
  handler: Pick<JobHandler<unknown>, 'describe'>,
  job: { id: string; type: string; workspaceId: string },
  startedAt: number,
  outcome: { result: unknown } | { error: unknown },
) {
  const durationMs = Date.now() - startedAt;
  const context = { jobId: job.id, type: job.type, workspaceId: job.workspaceId, durationMs };
  if ('error' in outcome) {
    const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
    log.error(
      { ...context, err: message },
      `job ${job.type} failed after ${seconds(durationMs)} (workspace ${job.workspaceId}): ${message}`,
    );
  } else {
    const described = handler.describe ? handler.describe(outcome.result) : JSON.stringify(outcome.result ?? null).slice(0, 200);
    log.info(context, `job ${job.type} done in ${seconds(durationMs)} (workspace ${job.workspaceId}): ${described}`);
  }
}

/**
 * Records and starts a job that runs in this process ('here'), beside the queue, in either mode: its
 * input is local to this process. Not awaited: it reports through its row and the log.
 */
export async function enqueueHere(
  pool: pg.Pool,
  handler: JobHandler<unknown>,
  job: { workspaceId: string; type: JobType; payload: unknown },
  options: EnqueueOptions,
  enqueue: Enqueue,
  log: JobLog,
): Promise<{ id: string }> {
  const id = await insertJob(pool, job.workspaceId, job.type, job.payload);
  await options.prepare?.(id);
  const started = Date.now();
  const row = { id, ...job };
  runJob(pool, wholeJob(handler.process), row, enqueue, log).then(
    (result) => logJobFinished(log, handler, row, started, { result }),
    (error) => logJobFinished(log, handler, row, started, { error }),
  );
  return { id };
}

/** Ends the unfinished 'here' jobs as their handlers say: a stop cut them short. Returns their ids. */
export async function endInterruptedJobs(db: Queryable, handlers: JobHandlers): Promise<string[]> {
  const ended: string[] = [];
  for (const type of Object.keys(handlers) as JobType[]) {
    const handler = handlers[type] as JobHandler<unknown>;
    if (handler.queue !== 'here' || !handler.interrupted) continue;
    ended.push(...(await handler.interrupted(db, await unfinishedJobs(db, [type]))));
  }
  return ended;
}
