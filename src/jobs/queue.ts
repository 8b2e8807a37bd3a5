import type pg from 'pg';
import { completeJob, failJob, insertJob, markJobRunning, setJobProgress } from './repository.ts';
import { JOB_PAYLOADS, type JobPayload, type JobType } from './types.ts';

export type Enqueue = <T extends JobType>(workspaceId: string, type: T, payload: JobPayload<T>) => Promise<{ id: string }>;

export interface JobContext<P> {
  pool: pg.Pool;
  job: { id: string; workspaceId: string; payload: P };
  /** Stores progress where `GET /v1/jobs/{id}` reads it. */
  progress(progress: Record<string, unknown>): Promise<void>;
  /** Schedules a follow-up job (training schedules scoring). */
  enqueue: Enqueue;
}

export type Processors = { [T in JobType]: (ctx: JobContext<JobPayload<T>>) => Promise<unknown> };

export interface JobQueue {
  mode: 'in-process' | 'bullmq';
  /** Records the job (status `queued`) and hands it to a processor; returns its id. */
  enqueue: Enqueue;
  /** Resolves when no job is queued or running here (tests and shutdown). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Runs one job's processor with the state bookkeeping both queue modes share. */
export async function runJob<P, R>(
  pool: pg.Pool,
  process: (ctx: JobContext<P>) => Promise<R>,
  job: JobContext<P>['job'],
  enqueue: Enqueue,
): Promise<R> {
  await markJobRunning(pool, job.id);
  try {
    const result = await process({ pool, job, progress: (p) => setJobProgress(pool, job.id, p), enqueue });
    await completeJob(pool, job.id, result);
    return result;
  } catch (err) {
    await failJob(pool, job.id, err instanceof Error ? err.message : String(err));
    throw err;
  }
}

/** Validates a payload against the shared map before it is recorded or processed. */
export function parsePayload<T extends JobType>(type: T, payload: unknown): JobPayload<T> {
  return JOB_PAYLOADS[type].parse(payload) as JobPayload<T>;
}

/** The embedded default: the same processors, run in this process one at a time. */
export function inProcessQueue(pool: pg.Pool, processors: Processors, log: { error(obj: unknown, msg: string): void }): JobQueue {
  let tail: Promise<void> = Promise.resolve();
  let closed = false;
  const queue: JobQueue = {
    mode: 'in-process',
    async enqueue(workspaceId, type, payload) {
      if (closed) throw new Error('The job queue is shutting down');
      const checked = parsePayload(type, payload);
      const id = await insertJob(pool, workspaceId, type, checked);
      const process = processors[type] as (ctx: JobContext<unknown>) => Promise<unknown>;
      tail = tail.then(() =>
        runJob(pool, process, { id, workspaceId, payload: checked }, queue.enqueue).then(
          () => undefined,
          (err) => log.error({ err, jobId: id, type }, 'job failed'),
        ),
      );
      return { id };
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
      await queue.idle();
    },
  };
  return queue;
}
