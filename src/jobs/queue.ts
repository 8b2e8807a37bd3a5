import type pg from 'pg';
import { completeJob, failJob, insertJob, markJobRunning, setJobProgress } from './repository.ts';

export interface JobContext<P> {
  pool: pg.Pool;
  job: { id: string; workspaceId: string; payload: P };
  /** Stores progress where `GET /v1/jobs/{id}` reads it. */
  progress(progress: Record<string, unknown>): Promise<void>;
}

export type Processor<P = any> = (ctx: JobContext<P>) => Promise<unknown>;
export type Processors = Record<string, Processor>;

export interface JobQueue {
  mode: 'in-process' | 'bullmq';
  /** Records the job (status `queued`) and hands it to a processor; returns its id. */
  enqueue(workspaceId: string, type: string, payload: unknown): Promise<{ id: string }>;
  /** Resolves when no job is queued or running (in-process mode; tests and shutdown). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Runs one job's processor with the state bookkeeping both queue modes share. */
export async function runJob(pool: pg.Pool, processors: Processors, job: JobContext<unknown>['job'] & { type: string }) {
  const processor = processors[job.type];
  if (!processor) throw new Error(`No processor for job type ${job.type}`);
  await markJobRunning(pool, job.id);
  try {
    const result = await processor({ pool, job, progress: (p) => setJobProgress(pool, job.id, p) });
    await completeJob(pool, job.id, result);
    return result;
  } catch (err) {
    await failJob(pool, job.id, err instanceof Error ? err.message : String(err));
    throw err;
  }
}

/** The embedded default: the same processors, run in this process one at a time. */
export function inProcessQueue(pool: pg.Pool, processors: Processors, log: { error(obj: unknown, msg: string): void }): JobQueue {
  let tail: Promise<void> = Promise.resolve();
  let closed = false;
  return {
    mode: 'in-process',
    async enqueue(workspaceId, type, payload) {
      if (closed) throw new Error('The job queue is shutting down');
      if (!processors[type]) throw new Error(`No processor for job type ${type}`);
      const id = await insertJob(pool, workspaceId, type, payload);
      tail = tail.then(() =>
        runJob(pool, processors, { id, type, workspaceId, payload }).then(
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
      await this.idle();
    },
  };
}
