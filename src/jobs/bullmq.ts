/** The JobQueue on BullMQ (the producer the API and the workers enqueue with) and its Redis connection. */
import { FlowProducer, PRIORITY_LIMIT, Queue, type FlowJob, type Job, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { withTransaction } from '../db/pool.ts';
import { QueueUnavailable } from '../lib/errors.ts';
import {
  countUnfinishedJobs,
  discardJob,
  failJob,
  insertJob,
  listSchedules,
  pendingJob,
  saveSchedule,
  setJobProgress,
  unfinishedJobs,
} from './repository.ts';
import {
  parsePayload,
  queuedTypes,
  QUEUE_NAMES,
  type Enqueue,
  type EnqueueOptions,
  type Every,
  type IdRange,
  type JobHandler,
  type JobHandlers,
  type JobLog,
  type JobQueue,
  type JobSchedule,
  type QueueName,
  type UnfinishedJob,
} from './queue.ts';
import { chunkPlan, endInterruptedJobs, enqueueHere } from './run.ts';
import type { JobType } from './types.ts';

/** BullMQ job name of a chunk (a child job) of a chunked job. */
export const CHUNK = 'chunk';

/** What a BullMQ job carries. Its id is its jobs row's id, except a scheduler's tick, which has no row. */
export interface JobData {
  workspaceId: string;
  payload: unknown;
  /** A job scheduler's tick: it enqueues the real job, as the in-process timer does. */
  scheduled?: true;
}

export interface ChunkData {
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

export const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** ioredis' errors for a command that could not reach Redis. */
export const isConnectionError = (err: unknown) =>
  err instanceof Error &&
  /Connection is closed|Stream isn't writeable|max retries per request|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT/i.test(err.message);

/**
 * A Redis connection for BullMQ. Workers wait out an outage (BullMQ requires `maxRetriesPerRequest: null`
 * for them); the API fails fast instead of holding a request until Redis is back (`enableOfflineQueue:
 * false`). Outages are logged once, and the eviction policy is checked on connecting.
 */
export function redisConnection(url: string, role: 'producer' | 'worker', log: JobLog): Redis {
  const connection = new Redis(
    url,
    role === 'worker' ? { maxRetriesPerRequest: null } : { maxRetriesPerRequest: 1, enableOfflineQueue: false },
  );
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
    log.warn(
      { policy },
      `Redis maxmemory-policy is ${policy ?? 'unknown'}, not noeviction: jobs may be lost (CONFIG SET maxmemory-policy noeviction)`,
    );
  }
  return policy;
}

export interface BullmqQueueDeps {
  pool: pg.Pool;
  handlers: JobHandlers;
  /** Owned by the queue from now on: closed with it. */
  connection: Redis;
  /** Redis key prefix (BullMQ's default: bull); tests use their own. */
  prefix?: string;
  log: JobLog;
}

/** The JobQueue on BullMQ: what the API (producer) and the workers (for follow-up jobs) enqueue with. */
export function bullmqQueue({ pool, handlers, connection, prefix, log }: BullmqQueueDeps): JobQueue {
  const producer = new BullmqProducer(pool, handlers, connection, prefix, log);
  let recovering: Promise<number> | undefined;
  const queue: JobQueue = {
    mode: 'bullmq',
    enqueue: (workspaceId, type, payload, options = {}) => producer.enqueue(workspaceId, type, payload, options, queue.enqueue),
    schedule: (workspaceId, type, payload, every) => producer.schedule(workspaceId, type, payload, every),
    recover() {
      // One at a time, each after the one before: a reconnect during a run (which may have stalled in
      // the outage) gets a run of its own.
      const run = (recovering ?? Promise.resolve(0)).catch(() => 0).then(() => producer.recover());
      recovering = run;
      return run;
    },
    endInterrupted: () => endInterruptedJobs(pool, handlers),
    // The jobs run in worker processes, not here.
    async idle() {},
    close: () => producer.close(),
  };
  return queue;
}

/**
 * Whether Redis takes commands. On the API's connection (no offline queue) a command sent while Redis is
 * away fails, or, before the first connect, waits for it: check first, and refuse at once. A worker's
 * connection waits out outages: for it Redis is always reachable, and no failure is an outage.
 */
class RedisGate {
  private readonly failsFast: boolean;

  constructor(private readonly connection: Redis) {
    this.failsFast = connection.options.enableOfflineQueue === false;
  }

  /** Whether Redis takes commands now; a connection on its way up gets a moment. */
  async reachable(): Promise<boolean> {
    const { connection } = this;
    if (!this.failsFast || connection.status === 'ready') return true;
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
  lost(err: unknown): boolean {
    return this.failsFast && (this.connection.status !== 'ready' || isConnectionError(err));
  }
}

const priorityAt = (base: number, offset = 0) => Math.min(PRIORITY_LIMIT, base + offset);

const schedulerId = (type: JobType, workspaceId: string) => `${type}@${workspaceId}`;

/** The error recorded on the jobs row of a job Redis refused for another reason than an outage. */
const REFUSED = 'Not queued: the job queue (Redis) refused it; the service log has the details';

/**
 * A chunked job as a BullMQ flow: the chunks are children any worker may take; the parent, which
 * finishes, waits for all of them.
 */
function chunkFlow(job: UnfinishedJob, queueName: QueueName, ranges: IdRange[], priority: number): FlowJob {
  const data: JobData = { workspaceId: job.workspaceId, payload: job.payload };
  return {
    name: job.type,
    queueName,
    data,
    opts: { ...JOB_OPTIONS, jobId: job.id, priority: priorityAt(priority) },
    children: ranges.map((range, index) => ({
      name: CHUNK,
      queueName,
      data: { type: job.type, rowId: job.id, workspaceId: job.workspaceId, payload: job.payload, index, range } satisfies ChunkData,
      // A chunk failing for good fails the parent (and its jobs row) instead of leaving it waiting. Each
      // chunk one step further back: another workspace's job waits for one chunk, not the whole run.
      opts: { ...JOB_OPTIONS, jobId: `${job.id}.${index}`, failParentOnFailure: true, priority: priorityAt(priority, index) },
    })),
  };
}

/** BullMQ's side of the queue: a queue per QueueName and a flow producer on one connection, and what puts jobs and schedules on them. */
class BullmqProducer {
  private readonly queues: Record<QueueName, Queue>;
  private readonly flows: FlowProducer;
  private readonly redis: RedisGate;

  constructor(
    private readonly pool: pg.Pool,
    private readonly handlers: JobHandlers,
    private readonly connection: Redis,
    prefix: string | undefined,
    private readonly log: JobLog,
  ) {
    this.queues = Object.fromEntries(
      QUEUE_NAMES.map((name) => [name, new Queue(name, { connection, prefix, defaultJobOptions: JOB_OPTIONS })]),
    ) as Record<QueueName, Queue>;
    this.flows = new FlowProducer({ connection, prefix });
    // Connection errors are logged once per outage, by redisConnection.
    const onError = (err: Error) => {
      if (!isConnectionError(err)) log.error({ err: err.message }, 'BullMQ error');
    };
    for (const queue of Object.values(this.queues)) queue.on('error', onError);
    this.flows.on('error', onError);
    this.redis = new RedisGate(connection);
  }

  /** `followUps`: the Enqueue a 'here' job's follow-up jobs are enqueued with. */
  async enqueue(
    workspaceId: string,
    type: JobType,
    payload: unknown,
    options: EnqueueOptions,
    followUps: Enqueue,
  ): Promise<{ id: string }> {
    const { pool, handlers } = this;
    const checked = parsePayload(handlers, type, payload);
    const handler = handlers[type] as JobHandler<unknown>;
    if (handler.queue === 'here') return enqueueHere(pool, handler, { workspaceId, type, payload: checked }, options, followUps, this.log);
    if (options.debounceMs) return this.enqueueDebounced(workspaceId, type, checked, options.debounceMs);
    if (!(await this.redis.reachable())) throw new QueueUnavailable();
    const id = await insertJob(pool, workspaceId, type, checked);
    await options.prepare?.(id);
    try {
      await this.dispatch({ id, workspaceId, type, payload: checked });
    } catch (err) {
      if (!this.redis.lost(err)) {
        await failJob(pool, id, REFUSED);
        throw err;
      }
      // Redis went away just now: nothing started, as QueueUnavailable says.
      await discardJob(pool, id);
      throw new QueueUnavailable();
    }
    return { id };
  }

  async schedule(workspaceId: string, type: JobType, payload: unknown, every: Every | null): Promise<void> {
    const checked = parsePayload(this.handlers, type, payload);
    if (!(await this.redis.reachable())) throw new QueueUnavailable();
    try {
      // One transaction: if Redis refuses the change, the stored schedule keeps its old value too.
      await withTransaction(this.pool, async (client) => {
        await saveSchedule(client, workspaceId, type, checked, every);
        await this.applySchedule({ workspaceId, type, payload: checked, every });
      });
    } catch (err) {
      throw this.redis.lost(err) ? new QueueUnavailable() : err;
    }
  }

  /** Hands the unfinished jobs BullMQ lacks to it again, and makes its schedulers those stored. Returns how many jobs. */
  async recover(): Promise<number> {
    const dispatched = await this.redispatchUnfinished();
    await this.restoreSchedules();
    if (dispatched > 0) this.log.info({ dispatched }, 'unfinished jobs handed to the queue again');
    return dispatched;
  }

  async close(): Promise<void> {
    await Promise.all([...Object.values(this.queues).map((q) => q.close()), this.flows.close()]);
    this.connection.disconnect();
  }

  /** The queue a job type goes to ('here' jobs never reach dispatch). */
  private queueOf(type: JobType): Queue {
    return this.queues[this.handlers[type].queue as QueueName];
  }

  /**
   * The BullMQ priority of a workspace's job: 1 + the jobs of the same queue it already has queued or
   * running. Workers take lower numbers first and equal ones in order, so workspaces take turns: one with
   * a hundred jobs queued delays another's first job by one of its own. (Open-source BullMQ has no groups,
   * BullMQ Pro's way to do this; priorities are its own.)
   */
  private async fairPriority(job: Pick<UnfinishedJob, 'id' | 'workspaceId' | 'type'>): Promise<number> {
    const { handlers } = this;
    const queueName = handlers[job.type].queue;
    const sameQueue = queuedTypes(handlers).filter((type) => handlers[type].queue === queueName);
    return 1 + (await countUnfinishedJobs(this.pool, job.workspaceId, sameQueue, { exceptId: job.id }));
  }

  /** Hands a recorded job to BullMQ, its jobs row id as the BullMQ job id (so handing it over twice adds it once). */
  private async dispatch(job: UnfinishedJob): Promise<void> {
    const queueName = this.handlers[job.type].queue as QueueName;
    const processor = (this.handlers[job.type] as JobHandler<unknown>).process;
    const priority = await this.fairPriority(job);
    if (typeof processor === 'function') {
      const data: JobData = { workspaceId: job.workspaceId, payload: job.payload };
      await this.queues[queueName].add(job.type, data, { jobId: job.id, priority: priorityAt(priority) });
      return;
    }
    const ranges = await processor.chunks(this.pool, job);
    await setJobProgress(this.pool, job.id, chunkPlan(ranges.length));
    await this.flows.add(chunkFlow(job, queueName, ranges, priority));
  }

  /** A trigger, not a request: while Redis is away it is recorded (once) and recover() dispatches it. */
  private async enqueueDebounced(workspaceId: string, type: JobType, payload: unknown, debounceMs: number): Promise<{ id: string }> {
    const { pool } = this;
    if (!(await this.redis.reachable()))
      return { id: (await pendingJob(pool, workspaceId, type)) ?? (await insertJob(pool, workspaceId, type, payload)) };
    const id = await insertJob(pool, workspaceId, type, payload);
    let job: Job | undefined;
    try {
      // BullMQ's debounce: while the first job is delayed, each add pushes its delay back (reschedule) and
      // keeps the deduplication key alive (extend), and returns that first job.
      job = await this.queueOf(type).add(type, { workspaceId, payload } satisfies JobData, {
        jobId: id,
        priority: priorityAt(await this.fairPriority({ id, workspaceId, type })),
        delay: debounceMs,
        deduplication: { id: `${type}@${workspaceId}`, ttl: debounceMs, extend: true, reschedule: true },
      });
    } catch (err) {
      if (this.redis.lost(err)) return { id };
      await failJob(pool, id, REFUSED);
      throw err;
    }
    if (job.id !== id) await discardJob(pool, id);
    return { id: job.id! };
  }

  private async applySchedule({ workspaceId, type, payload, every }: Omit<JobSchedule, 'every'> & { every: Every | null }): Promise<void> {
    const queue = this.queueOf(type);
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

  private async redispatchUnfinished(): Promise<number> {
    let dispatched = 0;
    for (const job of await unfinishedJobs(this.pool, queuedTypes(this.handlers))) {
      if (await this.queueOf(job.type).getJob(job.id)) continue;
      await this.dispatch(job);
      dispatched++;
    }
    return dispatched;
  }

  /** Applies the stored schedules, and removes the schedulers none of them wants (Redis may hold them from before). */
  private async restoreSchedules(): Promise<void> {
    const schedules = await listSchedules(this.pool);
    for (const s of schedules) await this.applySchedule(s);
    const wanted = new Set(schedules.map((s) => schedulerId(s.type, s.workspaceId)));
    for (const q of Object.values(this.queues)) {
      for (const scheduler of await q.getJobSchedulers()) {
        if (!wanted.has(scheduler.key)) await q.removeJobScheduler(scheduler.key);
      }
    }
  }
}
