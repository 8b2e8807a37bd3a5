import type pg from 'pg';
import { insertJob, listSchedules, saveSchedule, unfinishedJobs } from './repository.ts';
import {
  parsePayload,
  QUEUE_CONCURRENCY,
  QUEUE_NAMES,
  queuedTypes,
  untilNextRun,
  withLevels,
  type Enqueue,
  type EnqueueOptions,
  type Every,
  type JobHandler,
  type JobHandlers,
  type JobLog,
  type JobQueue,
  type JobSchedule,
  type QueueName,
  type UnfinishedJob,
} from './queue.ts';
import { Lane } from './lane.ts';
import { endInterruptedJobs, enqueueHere, logJobFinished, runJob, wholeJob } from './run.ts';
import type { JobType } from './types.ts';

/**
 * The embedded default: the same handlers, run in this process, each queue in a lane of its own (./lane.ts:
 * a workspace's jobs in order, workspaces taking turns, QUEUE_CONCURRENCY of them at once).
 */
export function inProcessQueue(pool: pg.Pool, handlers: JobHandlers, log: Pick<JobLog, 'error'> & Partial<JobLog>): JobQueue {
  const jobs = new InProcessJobs(pool, handlers, log);
  return {
    mode: 'in-process',
    enqueue: jobs.enqueue,
    schedule: (workspaceId, type, payload, every) => jobs.schedule(workspaceId, type, payload, every),
    recover: () => jobs.recover(),
    endInterrupted: () => endInterruptedJobs(pool, handlers),
    idle: () => jobs.lanes.idle(),
    close: () => jobs.close(),
  };
}

/** The lane of each queue, and who waits for all of them to be empty at once. */
class Lanes {
  private readonly lanes: Record<QueueName, Lane>;
  private idleWaiters: (() => void)[] = [];

  constructor() {
    this.lanes = Object.fromEntries(QUEUE_NAMES.map((name) => [name, new Lane(QUEUE_CONCURRENCY[name], () => this.settled())])) as Record<
      QueueName,
      Lane
    >;
  }

  push(queue: QueueName, workspaceId: string, job: () => Promise<void>): void {
    this.lanes[queue].push(workspaceId, job);
  }

  /** Jobs may enqueue jobs (training schedules scoring) before they end: every lane must be empty at once. */
  idle(): Promise<void> {
    if (!this.busy()) return Promise.resolve();
    return new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private busy(): boolean {
    return Object.values(this.lanes).some((lane) => lane.size > 0);
  }

  private settled(): void {
    if (this.busy()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

class InProcessJobs {
  readonly lanes = new Lanes();
  private closed = false;
  /** Keyed by type@workspace. The id is a promise set before any await, so concurrent enqueues share one row. */
  private readonly debounced = new Map<string, { id: Promise<string>; timer: NodeJS.Timeout }>();
  /** The next run of each schedule, keyed by type@workspace. */
  private readonly scheduled = new Map<string, NodeJS.Timeout>();
  private readonly log: JobLog;

  constructor(
    private readonly pool: pg.Pool,
    private readonly handlers: JobHandlers,
    log: Pick<JobLog, 'error'> & Partial<JobLog>,
  ) {
    this.log = withLevels(log);
  }

  /** The typed face of enqueueAny: the queue's enqueue, and what jobs enqueue their follow-ups with. */
  readonly enqueue: Enqueue = (workspaceId, type, payload, options = {}) => this.enqueueAny(workspaceId, type, payload, options);

  async schedule(workspaceId: string, type: JobType, payload: unknown, every: Every | null): Promise<void> {
    const checked = parsePayload(this.handlers, type, payload);
    await saveSchedule(this.pool, workspaceId, type, checked, every);
    if (every !== null) return this.arm({ workspaceId, type, payload: checked, every });
    clearTimeout(this.scheduled.get(`${type}@${workspaceId}`));
    this.scheduled.delete(`${type}@${workspaceId}`);
  }

  async recover(): Promise<number> {
    // In-process, a job lives in the memory of the process that queued it: an unfinished one was cut short
    // by a stop or a crash (on an embedded database, the only process). Processors are safe to run again.
    const jobs = await unfinishedJobs(this.pool, queuedTypes(this.handlers));
    for (const job of jobs) this.run(job);
    for (const s of await listSchedules(this.pool)) this.arm(s);
    return jobs.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    // Debounced jobs keep their queued row; recover() runs them at the next start.
    for (const { timer } of this.debounced.values()) clearTimeout(timer);
    for (const timer of this.scheduled.values()) clearTimeout(timer);
    await this.lanes.idle();
  }

  /** Untyped inside (the payload is checked against its handler's schema); `enqueue` is the typed face. */
  private async enqueueAny(workspaceId: string, type: JobType, payload: unknown, options: EnqueueOptions): Promise<{ id: string }> {
    if (this.closed) throw new Error('The job queue is shutting down');
    const checked = parsePayload(this.handlers, type, payload);
    const handler = this.handlers[type] as JobHandler<unknown>;
    if (handler.queue === 'here')
      return enqueueHere(this.pool, handler, { workspaceId, type, payload: checked }, options, this.enqueue, this.log);
    if (options.debounceMs) return this.enqueueDebounced({ workspaceId, type, payload: checked }, options.debounceMs);
    const id = await insertJob(this.pool, workspaceId, type, checked);
    await options.prepare?.(id);
    this.run({ id, workspaceId, type, payload: checked });
    return { id };
  }

  /** One job row for every enqueue within `debounceMs` of the one before; it runs `debounceMs` after the last. */
  private async enqueueDebounced(job: Omit<UnfinishedJob, 'id'>, debounceMs: number): Promise<{ id: string }> {
    const { workspaceId, type, payload } = job;
    const key = `${type}@${workspaceId}`;
    const pending = this.debounced.get(key);
    clearTimeout(pending?.timer);
    const id = pending?.id ?? insertJob(this.pool, workspaceId, type, payload);
    const timer = setTimeout(() => {
      this.debounced.delete(key);
      id.then(
        (jobId) => this.run({ ...job, id: jobId }),
        () => undefined,
      );
    }, debounceMs);
    this.debounced.set(key, { id, timer });
    try {
      return { id: await id };
    } catch (err) {
      // No row, nothing pending: the next change starts afresh.
      if (this.debounced.get(key)?.id === id) {
        clearTimeout(timer);
        this.debounced.delete(key);
      }
      throw err;
    }
  }

  private run(job: UnfinishedJob): void {
    const { log } = this;
    const handler = this.handlers[job.type] as JobHandler<unknown>;
    const process = wholeJob(handler.process);
    this.lanes.push(handler.queue as QueueName, job.workspaceId, () => {
      const started = Date.now();
      return runJob(this.pool, process, job, this.enqueue, log).then(
        (result) => logJobFinished(log, handler, job, started, { result }),
        (error) => logJobFinished(log, handler, job, started, { error }),
      );
    });
  }

  /** Sets the timer of a schedule's next run, which sets the one after. */
  private arm(s: JobSchedule): void {
    const key = `${s.type}@${s.workspaceId}`;
    clearTimeout(this.scheduled.get(key));
    const timer = setTimeout(() => {
      this.arm(s);
      this.enqueueAny(s.workspaceId, s.type, s.payload, {}).catch((err) =>
        this.log.error({ err, type: s.type }, 'scheduled job not enqueued'),
      );
    }, untilNextRun(s.every));
    // A schedule alone does not keep the process alive.
    this.scheduled.set(key, timer.unref());
  }
}
