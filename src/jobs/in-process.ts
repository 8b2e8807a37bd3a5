import type pg from 'pg';
import { insertJob, listSchedules, saveSchedule, unfinishedJobs } from './repository.ts';
import {
  parsePayload,
  QUEUE_CONCURRENCY,
  QUEUE_NAMES,
  queuedTypes,
  untilNextRun,
  withLevels,
  type EnqueueOptions,
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
  let closed = false;
  let idleWaiters: (() => void)[] = [];
  const busy = () => Object.values(lanes).some((lane) => lane.size > 0);
  const settled = () => {
    if (busy()) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };
  const lanes = Object.fromEntries(QUEUE_NAMES.map((name) => [name, new Lane(QUEUE_CONCURRENCY[name], settled)])) as Record<
    QueueName,
    Lane
  >;
  // Keyed by type@workspace. The id is a promise set before any await, so concurrent enqueues share one row.
  const debounced = new Map<string, { id: Promise<string>; timer: NodeJS.Timeout }>();
  const scheduled = new Map<string, NodeJS.Timeout>();

  const levels = withLevels(log);
  const run = (job: UnfinishedJob) => {
    const handler = handlers[job.type] as JobHandler<unknown>;
    const process = wholeJob(handler.process);
    lanes[handler.queue as QueueName].push(job.workspaceId, () => {
      const started = Date.now();
      return runJob(pool, process, job, queue.enqueue, levels).then(
        (result) => logJobFinished(levels, handler, job, started, { result }),
        (error) => logJobFinished(levels, handler, job, started, { error }),
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

  // Untyped inside (the payload is checked against its handler's schema); `queue.enqueue` is the typed face.
  const enqueue = async (workspaceId: string, type: JobType, payload: unknown, options: EnqueueOptions = {}) => {
    if (closed) throw new Error('The job queue is shutting down');
    const checked = parsePayload(handlers, type, payload);
    const handler = handlers[type] as JobHandler<unknown>;
    if (handler.queue === 'here')
      return enqueueHere(pool, handler, { workspaceId, type, payload: checked }, options, queue.enqueue, levels);
    if (!options.debounceMs) {
      const id = await insertJob(pool, workspaceId, type, checked);
      await options.prepare?.(id);
      run({ id, workspaceId, type, payload: checked });
      return { id };
    }
    const key = `${type}@${workspaceId}`;
    const pending = debounced.get(key);
    clearTimeout(pending?.timer);
    const id = pending?.id ?? insertJob(pool, workspaceId, type, checked);
    const timer = setTimeout(() => {
      debounced.delete(key);
      id.then(
        (jobId) => run({ id: jobId, workspaceId, type, payload: checked }),
        () => undefined,
      );
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
      const checked = parsePayload(handlers, type, payload);
      await saveSchedule(pool, workspaceId, type, checked, every);
      if (every !== null) return arm({ workspaceId, type, payload: checked, every });
      clearTimeout(scheduled.get(`${type}@${workspaceId}`));
      scheduled.delete(`${type}@${workspaceId}`);
    },
    async recover() {
      // In-process, a job lives in the memory of the process that queued it: an unfinished one was cut short
      // by a stop or a crash (on an embedded database, the only process). Processors are safe to run again.
      const jobs = await unfinishedJobs(pool, queuedTypes(handlers));
      for (const job of jobs) run(job);
      for (const s of await listSchedules(pool)) arm(s);
      return jobs.length;
    },
    endInterrupted: () => endInterruptedJobs(pool, handlers),
    idle() {
      // Jobs may enqueue jobs (training schedules scoring) before they end: every lane must be empty at once.
      if (!busy()) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
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
