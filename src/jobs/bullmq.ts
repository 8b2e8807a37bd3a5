import { hostname } from 'node:os';
import { FlowProducer, Queue, Worker, type Job, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { withTransaction, type Queryable } from '../db/pool.ts';
import { ApiError } from '../http/errors.ts';
import { failJob, insertJob, setJobProgress } from './repository.ts';
import {
  chunkPlan,
  jobContext,
  listSchedules,
  logJobFinished,
  parsePayload,
  recordChunkDone,
  runJob,
  saveSchedule,
  settleJob,
  unfinishedQueueJobs,
  type ChunkedProcessor,
  type EnqueueOptions,
  type Every,
  type IdRange,
  type JobLog,
  type JobQueue,
  type JobSchedule,
  type Processor,
  type Processors,
  type UnfinishedJob,
} from './queue.ts';
import type { JobType } from './types.ts';

/** One BullMQ queue per kind of work: each gets lock settings that fit it, and can be watched on its own. */
export const QUEUE_OF = {
  'vectors.refresh': 'vectors',
  'model.train': 'training',
  'model.retrain': 'training',
  'scores.refresh': 'scoring',
  'webhooks.deliver': 'webhooks',
} as const satisfies Record<JobType, string>;
export type QueueName = (typeof QUEUE_OF)[JobType];
export const QUEUE_NAMES = [...new Set(Object.values(QUEUE_OF))];

/** BullMQ job name of a chunk (a child job) of a chunked job. */
const CHUNK = 'chunk';

/** What a BullMQ job carries. Its id is its jobs row's id, except a scheduler's tick, which has no row. */
interface JobData {
  workspaceId: string;
  payload: unknown;
  /** A job scheduler's tick: it enqueues the real job, as the in-process timer does. */
  scheduled?: true;
}

interface ChunkData {
  type: JobType;
  /** The parent's jobs row. */
  rowId: string;
  workspaceId: string;
  payload: unknown;
  index: number;
  range: IdRange;
}

/** Retried with backoff. Finished jobs stay in Redis a while for inspection; their state lives in Postgres. */
export const JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 24 * 3600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} satisfies JobsOptions;

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** ioredis' errors for a command that could not reach Redis. */
const isConnectionError = (err: unknown) =>
  err instanceof Error && /Connection is closed|Stream isn't writeable|max retries per request|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT/i.test(err.message);

/**
 * A Redis connection for BullMQ. Workers wait out an outage (BullMQ requires `maxRetriesPerRequest: null`
 * for them); the API fails fast instead of holding a request until Redis is back (`enableOfflineQueue:
 * false`). Outages are logged once, and the eviction policy is checked on connecting.
 */
export function redisConnection(url: string, role: 'producer' | 'worker', log: JobLog): Redis {
  const connection = new Redis(url, role === 'worker' ? { maxRetriesPerRequest: null } : { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  const where = new URL(url).host;
  let down = false;
  connection.on('error', (err) => {
    if (!down) log.warn({ err: err.message }, `Redis at ${where} is unreachable; retrying`);
    down = true;
  });
  connection.on('ready', () => {
    if (down) log.info({}, `Redis at ${where} is reachable again`);
    down = false;
  });
  connection.once('ready', () => {
    checkEvictionPolicy(connection, log).catch((err) => log.warn({ err: message(err) }, 'could not read the Redis eviction policy'));
  });
  return connection;
}

/** BullMQ loses jobs when Redis evicts keys under memory pressure: only `maxmemory-policy noeviction` is safe. */
export async function checkEvictionPolicy(connection: Redis, log: JobLog): Promise<string | null> {
  const policy = /maxmemory_policy:(\S+)/.exec(await connection.info('memory'))?.[1] ?? null;
  if (policy !== 'noeviction') {
    log.warn({ policy }, `Redis maxmemory-policy is ${policy ?? 'unknown'}, not noeviction: jobs may be lost (CONFIG SET maxmemory-policy noeviction)`);
  }
  return policy;
}

export interface BullmqQueueDeps {
  pool: pg.Pool;
  processors: Processors;
  /** Owned by the queue from now on: closed with it. */
  connection: Redis;
  /** Redis key prefix (BullMQ's default: bull); tests use their own. */
  prefix?: string;
  log: JobLog;
}

/** The JobQueue on BullMQ: what the API (producer) and the workers (for follow-up jobs) enqueue with. */
export function bullmqQueue({ pool, processors, connection, prefix, log }: BullmqQueueDeps): JobQueue {
  const queues = Object.fromEntries(
    QUEUE_NAMES.map((name) => [name, new Queue(name, { connection, prefix, defaultJobOptions: JOB_OPTIONS })]),
  ) as Record<QueueName, Queue>;
  const flows = new FlowProducer({ connection, prefix });
  // Connection errors are logged once per outage, by redisConnection.
  const onError = (err: Error) => {
    if (!isConnectionError(err)) log.error({ err: err.message }, 'BullMQ error');
  };
  for (const queue of Object.values(queues)) queue.on('error', onError);
  flows.on('error', onError);

  // On the API's connection (no offline queue) a command sent while Redis is away fails, or, before the
  // first connect, waits for it: check first, and answer 503 at once.
  const failsFast = connection.options.enableOfflineQueue === false;
  /** Whether Redis takes commands now; a connection on its way up gets a moment. */
  async function reachable(): Promise<boolean> {
    if (!failsFast || connection.status === 'ready') return true;
    if (connection.status !== 'connecting' && connection.status !== 'connect') return false;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        connection.off('ready', done);
        resolve(connection.status === 'ready');
      };
      const timer = setTimeout(done, 500);
      connection.once('ready', done);
    });
  }
  /** Whether a command failed because Redis went away. */
  const lost = (err: unknown) => failsFast && (connection.status !== 'ready' || isConnectionError(err));
  const unavailable = () => new ApiError(503, 'queue_unavailable', 'The job queue (Redis) is unreachable, so nothing was started; retry in a moment');

  /** Hands a recorded job to BullMQ, its jobs row id as the BullMQ job id (so handing it over twice adds it once). */
  async function dispatch(job: UnfinishedJob): Promise<void> {
    const queueName = QUEUE_OF[job.type];
    const data: JobData = { workspaceId: job.workspaceId, payload: job.payload };
    const processor = processors[job.type] as Processor<unknown>;
    if (typeof processor === 'function') {
      await queues[queueName].add(job.type, data, { jobId: job.id });
      return;
    }
    // A flow: the chunks are children any worker may take; the parent, which finishes, waits for all of them.
    const ranges = await processor.chunks(pool, job);
    await setJobProgress(pool, job.id, chunkPlan(ranges.length));
    await flows.add({
      name: job.type,
      queueName,
      data,
      opts: { ...JOB_OPTIONS, jobId: job.id },
      children: ranges.map((range, index) => ({
        name: CHUNK,
        queueName,
        data: { type: job.type, rowId: job.id, workspaceId: job.workspaceId, payload: job.payload, index, range } satisfies ChunkData,
        // A chunk failing for good fails the parent (and its jobs row) instead of leaving it waiting.
        opts: { ...JOB_OPTIONS, jobId: `${job.id}.${index}`, failParentOnFailure: true },
      })),
    });
  }

  async function enqueueDebounced(workspaceId: string, type: JobType, payload: unknown, debounceMs: number) {
    // A trigger, not a request: while Redis is away it is recorded (once) and recover() dispatches it.
    if (!(await reachable())) return { id: (await pendingJob(pool, workspaceId, type)) ?? (await insertJob(pool, workspaceId, type, payload)) };
    const id = await insertJob(pool, workspaceId, type, payload);
    let job;
    try {
      // BullMQ's debounce: while the first job is delayed, each add pushes its delay back (reschedule) and
      // keeps the deduplication key alive (extend), and returns that first job.
      job = await queues[QUEUE_OF[type]].add(
        type,
        { workspaceId, payload } satisfies JobData,
        { jobId: id, delay: debounceMs, deduplication: { id: `${type}@${workspaceId}`, ttl: debounceMs, extend: true, reschedule: true } },
      );
    } catch (err) {
      if (lost(err)) return { id };
      await failJob(pool, id, `Not queued: ${message(err)}`);
      throw err;
    }
    if (job.id !== id) await discardJob(pool, id);
    return { id: job.id! };
  }

  const schedulerId = (type: JobType, workspaceId: string) => `${type}@${workspaceId}`;

  async function applySchedule({ workspaceId, type, payload, every }: Omit<JobSchedule, 'every'> & { every: Every | null }) {
    const queue = queues[QUEUE_OF[type]];
    if (every === null) {
      await queue.removeJobScheduler(schedulerId(type, workspaceId));
      return;
    }
    await queue.upsertJobScheduler(
      schedulerId(type, workspaceId),
      // BullMQ aligns `every` to the epoch only with a non-zero offset (with 0 it starts now); one full interval is the same slot.
      { every: every.everyMs, offset: every.offsetMs % every.everyMs || every.everyMs },
      { name: type, data: { workspaceId, payload, scheduled: true } satisfies JobData, opts: JOB_OPTIONS },
    );
  }

  let recovering: Promise<number> | undefined;
  async function recover(): Promise<number> {
    let dispatched = 0;
    for (const job of await unfinishedQueueJobs(pool)) {
      if (await queues[QUEUE_OF[job.type]].getJob(job.id)) continue;
      await dispatch(job);
      dispatched++;
    }
    const schedules = await listSchedules(pool);
    for (const s of schedules) await applySchedule(s);
    const wanted = new Set(schedules.map((s) => schedulerId(s.type, s.workspaceId)));
    for (const queue of Object.values(queues)) {
      for (const scheduler of await queue.getJobSchedulers()) {
        if (!wanted.has(scheduler.key)) await queue.removeJobScheduler(scheduler.key);
      }
    }
    if (dispatched > 0) log.info({ dispatched }, 'unfinished jobs handed to the queue again');
    return dispatched;
  }

  return {
    mode: 'bullmq',
    async enqueue(workspaceId: string, type: JobType, payload: unknown, options: EnqueueOptions = {}) {
      const checked = parsePayload(type, payload);
      if (options.debounceMs) return enqueueDebounced(workspaceId, type, checked, options.debounceMs);
      if (!(await reachable())) throw unavailable();
      const id = await insertJob(pool, workspaceId, type, checked);
      try {
        await dispatch({ id, workspaceId, type, payload: checked });
      } catch (err) {
        if (!lost(err)) {
          await failJob(pool, id, `Not queued: ${message(err)}`);
          throw err;
        }
        // Redis went away just now: nothing started, as the 503 says.
        await discardJob(pool, id);
        throw unavailable();
      }
      return { id };
    },
    async schedule(workspaceId, type, payload, every) {
      const checked = parsePayload(type, payload);
      if (!(await reachable())) throw unavailable();
      try {
        // One transaction: if Redis refuses the change, the stored schedule keeps its old value too.
        await withTransaction(pool, async (client) => {
          await saveSchedule(client, workspaceId, type, checked, every);
          await applySchedule({ workspaceId, type, payload: checked, every });
        });
      } catch (err) {
        throw lost(err) ? unavailable() : err;
      }
    },
    recover() {
      // One at a time, each after the one before: a reconnect during a run (which may have stalled in
      // the outage) gets a run of its own.
      const run = (recovering ?? Promise.resolve(0)).catch(() => 0).then(recover);
      recovering = run;
      return run;
    },
    // The jobs run in worker processes, not here.
    async idle() {},
    async close() {
      await Promise.all([...Object.values(queues).map((q) => q.close()), flows.close()]);
      connection.disconnect();
    },
  };
}

/** When a chunked job's row went running (with its first chunk). */
async function chunkedStart(db: Queryable, id: string): Promise<number | null> {
  const { rows } = await db.query<{ started_at: Date | null }>('SELECT started_at FROM jobs WHERE id = $1', [id]);
  return rows[0]?.started_at?.getTime() ?? null;
}

/** Removes the row of a job that never reached the queue. */
async function discardJob(db: Queryable, id: string): Promise<void> {
  await db.query('DELETE FROM jobs WHERE id = $1', [id]);
}

/** The debounced job of this type still waiting in the workspace, if any. */
async function pendingJob(db: Queryable, workspaceId: string, type: JobType): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    "SELECT id FROM jobs WHERE workspace_id = $1 AND type = $2 AND status = 'queued' ORDER BY created_at LIMIT 1",
    [workspaceId, type],
  );
  return rows[0]?.id;
}

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
  processors: Processors;
  redisUrl: string;
  prefix?: string;
  log: JobLog;
  settings?: WorkerSettings;
}

/**
 * A worker process's job machinery: one BullMQ Worker per queue, one job at a time each, and a queue for
 * the follow-up jobs processors enqueue. Whenever Redis (re)connects, unfinished jobs recorded in Postgres
 * but missing in Redis are handed over again (see JobQueue.recover).
 */
export function startWorkers({ pool, processors, redisUrl, prefix, log, settings = WORKER_SETTINGS }: WorkerDeps) {
  const connection = redisConnection(redisUrl, 'worker', log);
  const jobs = bullmqQueue({ pool, processors, connection, prefix, log });

  async function processJob(job: Job): Promise<unknown> {
    if (job.name === CHUNK) return processChunk(job as Job<ChunkData>);
    const type = job.name as JobType;
    const { workspaceId, payload, scheduled } = job.data as JobData;
    const checked = parsePayload(type, payload);
    if (scheduled) return jobs.enqueue(workspaceId, type, checked);
    const processor = processors[type] as Processor<unknown>;
    const row = { id: job.id!, workspaceId, payload: checked };
    // Progress lives in Postgres (GET /v1/jobs/{id} reads it there); BullMQ's copy is a courtesy, and a
    // Redis that restarted empty mid-job ("Missing key") must not fail work that is going fine.
    const onProgress = (p: Record<string, unknown>) => job.updateProgress(p).catch((err: Error) => log.warn({ jobId: job.id, err: err.message }, 'progress not mirrored to Redis'));
    let started = Date.now();
    try {
      let result;
      if (typeof processor === 'function') result = await runJob(pool, processor, row, jobs.enqueue, onProgress);
      else {
        // A chunked job took from its first chunk on.
        started = (await chunkedStart(pool, row.id)) ?? started;
        // Every chunk is stored: the parent only finishes (its row went running with its first chunk).
        result = await settleJob(pool, row.id, () => processor.finish(jobContext(pool, row, jobs.enqueue, onProgress)));
      }
      logJobFinished(log, { id: row.id, type, workspaceId }, started, { result });
      return result;
    } catch (err) {
      logJobFinished(log, { id: row.id, type, workspaceId }, started, { error: err });
      const attempt = job.attemptsMade + 1;
      const attempts = job.opts.attempts ?? 1;
      if (attempt < attempts) {
        await pool.query("UPDATE jobs SET status = 'queued', finished_at = NULL, error = $2 WHERE id = $1", [
          row.id,
          `Attempt ${attempt} of ${attempts} failed, retrying: ${message(err)}`,
        ]);
      }
      throw err;
    }
  }

  async function processChunk(job: Job<ChunkData>): Promise<{ accounts: number }> {
    const { type, rowId, workspaceId, payload, index, range } = job.data;
    const processor = processors[type] as ChunkedProcessor<unknown>;
    await pool.query("UPDATE jobs SET status = 'running', started_at = now(), attempts = attempts + 1 WHERE id = $1 AND status = 'queued'", [rowId]);
    try {
      const accounts = await processor.chunk(pool, { id: rowId, workspaceId, payload: parsePayload(type, payload) }, range);
      await recordChunkDone(pool, rowId, index, accounts);
      await job.updateProgress({ accounts });
      return { accounts };
    } catch (err) {
      // Reported on the parent's row; BullMQ retries the chunk with backoff.
      const note = `chunk ${index + 1}, attempt ${job.attemptsMade + 1} of ${job.opts.attempts ?? 1}: ${message(err)}`;
      await pool.query(
        `UPDATE jobs SET progress = progress || jsonb_build_object('chunkErrors', coalesce(progress->'chunkErrors', '[]') || to_jsonb($2::text))
         WHERE id = $1`,
        [rowId, note],
      );
      throw err;
    }
  }

  function onFailed(job: Job | undefined, err: Error) {
    if (!job) return;
    const chunk = job.name === CHUNK ? (job.data as ChunkData) : null;
    const context = { jobId: job.id, name: job.name, attempt: job.attemptsMade, err: err.message };
    if (!job.finishedOn) return log.warn(context, 'job attempt failed; BullMQ retries it');
    log.error(context, 'job failed for good');
    if ((job.data as JobData).scheduled) return;
    // Also covers a job that stalled too often, which never reached its processor's error handling.
    const rowId = chunk ? chunk.rowId : job.id!;
    const error = chunk ? `Chunk ${chunk.index + 1} failed after ${job.attemptsMade} attempts: ${err.message}` : err.message;
    failJob(pool, rowId, error).catch((e) => log.error({ err: message(e), jobId: rowId }, 'could not record the failure'));
  }

  const workers = QUEUE_NAMES.map((name) => {
    const worker = new Worker(name, processJob, {
      // Stored on each job it takes (processedBy): which machine and process ran what.
      name: `${hostname()}:${process.pid}`,
      connection,
      prefix,
      concurrency: 1,
      lockDuration: settings.lockDuration[name],
      stalledInterval: settings.stalledInterval,
      maxStalledCount: settings.maxStalledCount,
    });
    worker.on('failed', onFailed);
    worker.on('stalled', (jobId) => log.warn({ jobId, queue: name }, 'job stalled (its worker died or was blocked); it runs again'));
    worker.on('error', (err) => {
      if (!isConnectionError(err)) log.error({ err: err.message, queue: name }, 'worker error');
    });
    return worker;
  });

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
