import type { Database } from '../db/pool.ts';
import { refreshVectors } from '../features/service.ts';
import { ensureVectorIndex } from '../features/vector-index.ts';
import { trainModel } from '../model/training.ts';
import { scoreUniverse } from '../prospects/scoring.ts';
import { inProcessQueue, type JobQueue, type Processors } from './queue.ts';
import { scheduleScoring } from './schedule.ts';

/** Job type → processor: the same services the API calls, for both queue modes. */
export function createProcessors(db: Database): Processors {
  return {
    'model.train': async ({ pool, job, progress, enqueue }) => {
      const outcome = await trainModel(pool, job.payload.modelId, progress);
      const scoring = outcome.activated ? await scheduleScoring(pool, enqueue, job.workspaceId, outcome.modelId) : null;
      return { ...outcome, scoringJob: scoring };
    },
    'scores.refresh': async ({ pool, job, progress }) => scoreUniverse(pool, job.payload.runId, progress),
    'vectors.refresh': async ({ pool, job, progress }) => {
      const result = await refreshVectors(pool, job.workspaceId, (accountsDone) => progress({ accountsDone }));
      return { ...result, search: await ensureVectorIndex(db) };
    },
  };
}

export function createJobQueue(db: Database, log: { error(obj: unknown, msg: string): void }): JobQueue {
  return inProcessQueue(db.pool, createProcessors(db), log);
}
