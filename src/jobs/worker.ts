/** BullMQ workers: a worker process takes jobs from the queues and runs their handlers. */
import { hostname } from 'node:os';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { bullmqQueue, CHUNK, isConnectionError, message, redisConnection, type ChunkData, type JobData } from './bullmq.ts';
import {
  parsePayload,
  QUEUE_CONCURRENCY,
  QUEUE_NAMES,
  type ChunkedProcessor,
  type Enqueue,
  type JobHandler,
  type JobHandlers,
  type JobLog,
  type QueueName,
} from './queue.ts';
import { failJob, jobStartedAt, markChunkedJobRunning, recordChunkDone, recordChunkError, requeueJob } from './repository.ts';
import { jobContext, jobErrorMessage, logJobFinished, runJob, settleJob } from './run.ts';
import type { JobType } from './types.ts';

export interface WorkerSettings {
  /** ms a worker holds a job without renewing its lock; a dead worker's job is taken over after this (plus stalledInterval). */
  lockDuration: Record<QueueName, number>;
  /** ms between checks for jobs whose lock expired (stalled: their worker died). */
  stalledInterval: number;
  /** Times a job may stall before it fails. */
  maxStalledCount: number;
}

export const WORKER_SETTINGS: WorkerSettings = {
  lockDuration: {
    // ml-random-forest trains and cross-validates synchronously: on a large workspace the event loop, and
    // with it lock renewal, is blocked for tens of seconds. The lock must outlive that.
    training: 5 * 60_000,
    // Shorter, yet these may share a process with a training, which blocks their renewals too.
    scoring: 2 * 60_000,
    vectors: 2 * 60_000,
    // A delivery answers within 10 s; a batch of them in well under a minute.
    webhooks: 2 * 60_000,
  },
  stalledInterval: 30_000,
  // One stall is a lost worker; a second one may be a job that keeps killing its worker.
  maxStalledCount: 2,
};

export interface WorkerDeps {
  pool: pg.Pool;
  handlers: JobHandlers;
  redisUrl: string;
  prefix?: string;
  log: JobLog;
  settings?: WorkerSettings;
}

/**
 * A worker process's job machinery: one BullMQ Worker per queue, QUEUE_CONCURRENCY jobs at a time each, and a queue for
 * the follow-up jobs processors enqueue. Whenever Redis (re)connects, unfinished jobs recorded in Postgres
 * but missing in Redis are handed over again (see JobQueue.recover).
 */
export function startWorkers({ pool, handlers, redisUrl, prefix, log, settings = WORKER_SETTINGS }: WorkerDeps) {
  const connection = redisConnection(redisUrl, 'worker', log);
  const jobs = bullmqQueue({ pool, handlers, connection, prefix, log });
  const processor = new JobProcessor(pool, handlers, jobs.enqueue, log);
  const workers = QUEUE_NAMES.map((name) => queueWorker(name, processor, { connection, prefix, settings, log }));
  const recover = () => jobs.recover().catch((err) => log.error({ err: message(err) }, 'recovering unfinished jobs failed'));
  connection.on('ready', recover);

  return {
    jobs,
    /** Finishes the jobs in hand (`worker.close()`), then disconnects. */
    async close() {
      connection.off('ready', recover);
      await Promise.all(workers.map((w) => w.close()));
      await jobs.close();
    },
  };
}

function queueWorker(
  name: QueueName,
  processor: JobProcessor,
  { connection, prefix, settings, log }: { connection: Redis; prefix?: string; settings: WorkerSettings; log: JobLog },
): Worker {
  const worker = new Worker(name, (job) => processor.process(job), {
    // Stored on each job it takes (processedBy): which machine and process ran what.
    name: `${hostname()}:${process.pid}`,
    connection,
    prefix,
    // Jobs of several workspaces at once (their CPU-bound steps take turns on the compute thread).
    concurrency: QUEUE_CONCURRENCY[name],
    lockDuration: settings.lockDuration[name],
    stalledInterval: settings.stalledInterval,
    maxStalledCount: settings.maxStalledCount,
  });
  worker.on('failed', (job, err) => processor.failed(job, err));
  worker.on('stalled', (jobId) => log.warn({ jobId, queue: name }, 'job stalled (its worker died or was blocked); it runs again'));
  worker.on('error', (err) => {
    if (!isConnectionError(err)) log.error({ err: err.message, queue: name }, 'worker error');
  });
  return worker;
}

/** What a worker does with the jobs it takes: runs their handlers, and keeps their jobs rows up to date. */
class JobProcessor {
  constructor(
    private readonly pool: pg.Pool,
    private readonly handlers: JobHandlers,
    /** Follow-up jobs are enqueued with it. */
    private readonly enqueue: Enqueue,
    private readonly log: JobLog,
  ) {}

  async process(job: Job): Promise<unknown> {
    if (job.name === CHUNK) return this.processChunk(job as Job<ChunkData>);
    const { workspaceId, payload, scheduled } = job.data as JobData;
    const type = job.name as JobType;
    const checked = parsePayload(this.handlers, type, payload);
    if (scheduled) return this.enqueue(workspaceId, type, checked);
    return this.processWhole(job, { id: job.id!, workspaceId, payload: checked }, type);
  }

  /** A job, or the parent of a chunked job once every chunk is stored (its finish). */
  private async processWhole(job: Job, row: { id: string; workspaceId: string; payload: unknown }, type: JobType): Promise<unknown> {
    const { pool, log } = this;
    const handler = this.handlers[type] as JobHandler<unknown>;
    const processor = handler.process;
    // Progress lives in Postgres (GET /v1/jobs/{id} reads it there); BullMQ's copy is a courtesy, and a
    // Redis that restarted empty mid-job ("Missing key") must not fail work that is going fine.
    const onProgress = (p: Record<string, unknown>) =>
      job.updateProgress(p).catch((err: Error) => log.warn({ jobId: job.id, err: err.message }, 'progress not mirrored to Redis'));
    const logged = { id: row.id, type, workspaceId: row.workspaceId };
    let started = Date.now();
    try {
      let result: unknown;
      if (typeof processor === 'function') result = await runJob(pool, processor, row, this.enqueue, log, onProgress);
      else {
        // A chunked job took from its first chunk on.
        started = (await jobStartedAt(pool, row.id)) ?? started;
        // Every chunk is stored: the parent only finishes (its row went running with its first chunk).
        result = await settleJob(pool, row.id, () => processor.finish(jobContext(pool, row, this.enqueue, log, onProgress)));
      }
      logJobFinished(log, handler, logged, started, { result });
      return result;
    } catch (err) {
      logJobFinished(log, handler, logged, started, { error: err });
      const attempt = job.attemptsMade + 1;
      const attempts = job.opts.attempts ?? 1;
      if (attempt < attempts) {
        await requeueJob(pool, row.id, `Attempt ${attempt} of ${attempts} failed, retrying: ${jobErrorMessage(err)}`);
      }
      throw err;
    }
  }

  private async processChunk(job: Job<ChunkData>): Promise<{ accounts: number }> {
    const { pool } = this;
    const { type, rowId, workspaceId, payload, index, range } = job.data;
    const processor = (this.handlers[type] as JobHandler<unknown>).process as ChunkedProcessor<unknown>;
    await markChunkedJobRunning(pool, rowId);
    try {
      const checked = parsePayload(this.handlers, type, payload);
      const accounts = await processor.chunk(pool, { id: rowId, workspaceId, payload: checked }, range, this.log);
      await recordChunkDone(pool, rowId, index, accounts);
      await job.updateProgress({ accounts });
      return { accounts };
    } catch (err) {
      // Reported on the parent's row; BullMQ retries the chunk with backoff.
      const note = `chunk ${index + 1}, attempt ${job.attemptsMade + 1} of ${job.opts.attempts ?? 1}: ${jobErrorMessage(err)}`;
      await recordChunkError(pool, rowId, note);
      throw err;
    }
  }

  /** A failed attempt: logged; a job failed for good has its jobs row (its parent's, for a chunk) failed too. */
  failed(job: Job | undefined, err: Error): void {
    const { log } = this;
    if (!job) return;
    const chunk = job.name === CHUNK ? (job.data as ChunkData) : null;
    const context = { jobId: job.id, name: job.name, attempt: job.attemptsMade, err: err.message };
    if (!job.finishedOn) {
      log.warn(context, 'job attempt failed; BullMQ retries it');
      return;
    }
    log.error(context, 'job failed for good');
    if ((job.data as JobData).scheduled) return;
    // Also covers a job that stalled too often, which never reached its processor's error handling.
    const rowId = chunk ? chunk.rowId : job.id!;
    // BullMQ's own words for a job whose worker kept dying or blocking; ours for the client.
    const reason = /stalled/i.test(err.message) ? 'its worker stopped or blocked too many times (stalled)' : jobErrorMessage(err);
    const error = chunk ? `Chunk ${chunk.index + 1} failed after ${job.attemptsMade} attempts: ${reason}` : reason;
    failJob(this.pool, rowId, error).catch((e) => log.error({ err: message(e), jobId: rowId }, 'could not record the failure'));
  }
}
