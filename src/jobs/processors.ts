import type { Database } from '../db/pool.ts';
import { refreshVectors } from '../features/service.ts';
import { ensureVectorIndex } from '../features/vector-index.ts';
import { trainModel } from '../model/training.ts';
import { accountIdRanges, finishScoreRun, scoreAccountRange } from '../prospects/scoring.ts';
import { bullmqQueue, redisConnection } from './bullmq.ts';
import { inProcessQueue, withLevels, type JobLog, type JobQueue, type Processors } from './queue.ts';
import { scheduleScoring } from './schedule.ts';
import { retrain } from './triggers.ts';
import { deliverDue, notifyModelTrained } from '../webhooks/service.ts';

/** Accounts per scoring chunk: with BullMQ each chunk is a child job, so several workers share a universe. */
export const SCORE_CHUNK_ACCOUNTS = 50_000;

export interface ProcessorOptions {
  scoreChunkAccounts?: number;
}

/** Job type → processor: the same services the API calls, for both queue modes. */
export function createProcessors(db: Database, options: ProcessorOptions = {}): Processors {
  const chunkAccounts = options.scoreChunkAccounts ?? SCORE_CHUNK_ACCOUNTS;
  return {
    'model.train': async ({ pool, job, progress, enqueue }) => {
      const outcome = await trainModel(pool, job.payload.modelId, progress);
      await notifyModelTrained(pool, enqueue, job.workspaceId, outcome);
      const scoring = outcome.activated ? await scheduleScoring(pool, enqueue, job.workspaceId, outcome.modelId) : null;
      return { ...outcome, scoringJob: scoring };
    },
    'model.retrain': retrain,
    'scores.refresh': {
      chunks: (pool, job) => accountIdRanges(pool, job.workspaceId, chunkAccounts),
      chunk: (pool, job, range) => scoreAccountRange(pool, job.payload.runId, range),
      finish: ({ pool, job, enqueue }) => finishScoreRun(pool, job.payload.runId, enqueue),
    },
    'vectors.refresh': async ({ pool, job, progress }) => {
      const result = await refreshVectors(pool, job.workspaceId, (accountsDone) => progress({ accountsDone }));
      return { ...result, search: await ensureVectorIndex(db) };
    },
    'webhooks.deliver': ({ pool, job, enqueue }) => deliverDue(pool, job.workspaceId, enqueue),
  };
}

export interface JobQueueOptions extends ProcessorOptions {
  /** BullMQ on this Redis; without it, jobs run in this process. */
  redisUrl?: string;
  /** BullMQ's Redis key prefix (tests use their own). */
  prefix?: string;
}

export function createJobQueue(db: Database, log: Pick<JobLog, 'error'> & Partial<JobLog>, options: JobQueueOptions = {}): JobQueue {
  const processors = createProcessors(db, options);
  if (!options.redisUrl) return inProcessQueue(db.pool, processors, log);
  const levels = withLevels(log);
  return bullmqQueue({ pool: db.pool, processors, connection: redisConnection(options.redisUrl, 'producer', levels), prefix: options.prefix, log: levels });
}
