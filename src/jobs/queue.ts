/**
 * The job queue's port: what a job is (its handler), what the rest of the service may ask of a queue, and
 * the small helpers both queue modes share. The job types themselves belong to the modules that handle them.
 */
import type pg from 'pg';
import type { z } from 'zod';
import type { Queryable } from '../db/pool.ts';
import type { JobLog } from '../lib/log.ts';
import type { UnfinishedJob } from './repository.ts';
import type { JobPayload, JobType } from './types.ts';

export type { UnfinishedJob } from './repository.ts';

export interface EnqueueOptions {
  /**
   * Debounce: the job runs this long after the last enqueue of the same type for the same workspace, and
   * enqueues within that delay collapse into the one pending job. Such enqueues are triggers, not requests:
   * with the queue unreachable they are recorded in Postgres and dispatched by `recover()` once it is back.
   */
  debounceMs?: number;
  /** Runs once the job is recorded and before it can start, e.g. to spool its input under its id. */
  prepare?: (jobId: string) => Promise<void>;
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
  /** The log of the process running it. */
  log: JobLog;
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
  chunk(pool: pg.Pool, job: JobContext<P>['job'], range: IdRange, log: JobLog): Promise<number>;
  finish(ctx: JobContext<P>): Promise<unknown>;
}

export type Processor<P> = ((ctx: JobContext<P>) => Promise<unknown>) | ChunkedProcessor<P>;

/** One BullMQ queue per kind of work: each gets lock settings that fit it, and can be watched on its own. */
export const QUEUE_NAMES = ['training', 'scoring', 'vectors', 'webhooks'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/**
 * Jobs of each queue one process runs at once: in-process, each queue is a lane of its own (a webhook
 * delivery never waits behind a training) whose jobs of different workspaces run side by side, up to
 * this many; with BullMQ it is each worker's concurrency per queue. CPU-bound steps share the compute
 * thread, which gives the workspaces turns (src/compute/thread.ts), so a large training of one workspace
 * slows a small one of another a little instead of holding it up. Deliveries mostly wait on receivers
 * (each at most 10 s), so more of them run at once.
 */
export const QUEUE_CONCURRENCY: Readonly<Record<QueueName, number>> = { training: 3, scoring: 2, vectors: 2, webhooks: 8 };

/** A job type as its module registers it. */
export interface JobHandler<P> {
  /** Checked before the job is recorded and again before it runs. */
  payload: z.ZodType<P>;
  /**
   * The BullMQ queue it goes to; 'here': it runs in the process that enqueued it, in both queue modes, at
   * once and beside the queue (its input is local to that process).
   */
  queue: QueueName | 'here';
  process: Processor<P>;
  /** Its result in a few words, for the job's log line. */
  describe?(result: unknown): string;
  /**
   * 'here' jobs only: what a start does with the unfinished ones (a stop cut them short, and their input
   * went with the process), instead of running them again. Returns the ids of the jobs it ended.
   */
  interrupted?(db: Queryable, jobs: UnfinishedJob[]): Promise<string[]>;
}

/** Every job type's handler: assembled by the composition root (src/app.ts) from the modules' own. */
export type JobHandlers = { [T in JobType]: JobHandler<JobPayload<T>> };

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
  /** Ends the 'here' jobs a stop cut short, as their handlers say (at start, in the process that runs them). Returns their ids. */
  endInterrupted(): Promise<string[]>;
  /** Resolves when no job is queued or running here (tests and shutdown); debounced jobs still waiting for their delay don't count. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Validates a payload against its handler's schema before it is recorded or processed. */
export function parsePayload<T extends JobType>(handlers: JobHandlers, type: T, payload: unknown): JobPayload<T> {
  const handler = handlers[type] as JobHandler<unknown> | undefined;
  if (!handler) throw new Error(`No handler for job type ${type}`);
  return handler.payload.parse(payload) as JobPayload<T>;
}

/** Job types that go to a queue (not 'here'). */
export const queuedTypes = (handlers: JobHandlers) =>
  (Object.keys(handlers) as JobType[]).filter((type) => handlers[type].queue !== 'here');

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

/** Milliseconds until the next run of `every` after `now`: the slot BullMQ's job schedulers pick too. */
export function untilNextRun({ everyMs, offsetMs }: Every, now = Date.now()): number {
  const next = Math.floor(now / everyMs) * everyMs + (offsetMs % everyMs);
  return (next > now ? next : next + everyMs) - now;
}

export type { JobLog };

/** A JobLog from a log that may have `error` only: its warnings and notes then go there too. */
export function withLevels(log: Pick<JobLog, 'error'> & Partial<JobLog>): JobLog {
  return {
    error: (obj, msg) => log.error(obj, msg),
    warn: (obj, msg) => (log.warn ?? log.error).call(log, obj, msg),
    info: (obj, msg) => (log.info ?? log.error).call(log, obj, msg),
  };
}
