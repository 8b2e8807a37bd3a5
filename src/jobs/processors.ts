import type pg from 'pg';
import { inProcessQueue, type JobQueue, type Processors } from './queue.ts';

/** Job type → processor: the one table the API (producer) and workers (consumers) share. */
export function createProcessors(): Processors {
  return {};
}

export function createJobQueue(pool: pg.Pool, log: { error(obj: unknown, msg: string): void }): JobQueue {
  return inProcessQueue(pool, createProcessors(), log);
}
