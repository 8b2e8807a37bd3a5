/** Vectorising as a job: the 'vectors.refresh' job, and the trigger that schedules it after accounts changed. */
import type pg from 'pg';
import { z } from 'zod';
import type { Database } from '../db/pool.ts';
import type { Enqueue, JobHandlers } from '../jobs/queue.ts';
import { currentVocabulary, writeStaleVectors } from './service.ts';
import { dropVectorIndexForBulkWrite, ensureVectorIndex } from './vector-index.ts';

/** Recompute vectors of accounts that changed since they were vectorised. */
const VectorsRefresh = z.object({});

declare module '../jobs/types.ts' {
  interface JobPayloads {
    'vectors.refresh': z.infer<typeof VectorsRefresh>;
  }
}

/**
 * Vectorising gives way to the work that ends in a workspace's ranked prospects (see GiveWay): whether
 * that work is under way for the workspace, how often to look again while paused, and the longest the
 * job pauses in all (a training or scoring job that never ends must not stop vectorising for good).
 */
export interface GiveWay {
  underway(pool: pg.Pool, workspaceId: string): Promise<boolean>;
  pollMs: number;
  maxPauseMs: number;
}

export const DEFAULT_GIVE_WAY: Omit<GiveWay, 'underway'> = { pollMs: 500, maxPauseMs: 15 * 60_000 };

/**
 * Pauses while the workspace's ranking work is under way, within what is left of the job's pause budget;
 * returns the milliseconds paused. Called between batches and before the index build: a first import
 * queues vectorising and, once a model is trained, scoring; on a small server the two compete for the
 * same cores (at a million accounts the HNSW build alone is ≈ 630 CPU seconds of PostgreSQL), and the
 * ranked page is what the workspace waits for first. Lookalikes come once vectorising resumes.
 */
async function pauseForRanking(
  pool: pg.Pool,
  workspaceId: string,
  giveWay: GiveWay,
  budgetMs: number,
  paused: (pausing: boolean) => Promise<void>,
): Promise<number> {
  const start = Date.now();
  if (budgetMs <= 0 || !(await giveWay.underway(pool, workspaceId))) return 0;
  await paused(true);
  do await new Promise((resolve) => setTimeout(resolve, giveWay.pollMs));
  while (Date.now() - start < budgetMs && (await giveWay.underway(pool, workspaceId)));
  await paused(false);
  return Date.now() - start;
}

export function vectorJobs(db: Database, giveWay: GiveWay): Pick<JobHandlers, 'vectors.refresh'> {
  return {
    'vectors.refresh': {
      payload: VectorsRefresh,
      queue: 'vectors',
      process: async ({ pool, job, progress }) => {
        let budgetMs = giveWay.maxPauseMs;
        let accountsDone = 0;
        const pause = async () => {
          budgetMs -= await pauseForRanking(pool, job.workspaceId, giveWay, budgetMs, (pausing) =>
            progress(pausing ? { accountsDone, pausedForRanking: true } : { accountsDone }),
          );
        };
        await pause();
        // A bulk write (a first import, a new vocabulary) goes without the HNSW index, built once after.
        const vocabulary = await currentVocabulary(pool, job.workspaceId);
        const indexDropped = await dropVectorIndexForBulkWrite(db, job.workspaceId, vocabulary.version);
        const result = await writeStaleVectors(pool, job.workspaceId, vocabulary, async (done) => {
          accountsDone = done;
          await progress({ accountsDone });
          await pause();
        });
        await pause();
        return { ...result, indexDropped, search: await ensureVectorIndex(db) };
      },
      describe: (result) => {
        const r = (result ?? {}) as { vectorised?: number; vocabularyVersion?: number };
        return `${Number(r.vectorised ?? 0).toLocaleString('en-US')} accounts vectorised (vocabulary v${r.vocabularyVersion})`;
      },
    },
  };
}

/** Imports often come as many batches: vectorise once they have stopped for this long. */
export const VECTOR_REFRESH_DEBOUNCE_MS = 15_000;

/** After accounts changed: one debounced re-vectorising job per workspace. */
export async function scheduleVectorRefresh(
  enqueue: Enqueue,
  workspaceId: string,
  counts: { inserted: number; updated: number },
  debounceMs = VECTOR_REFRESH_DEBOUNCE_MS,
) {
  if (counts.inserted + counts.updated === 0) return null;
  return enqueue(workspaceId, 'vectors.refresh', {}, { debounceMs });
}
