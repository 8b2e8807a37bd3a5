/** Vectorising as a job: the 'vectors.refresh' job, and the trigger that schedules it after accounts changed. */
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

export function vectorJobs(db: Database): Pick<JobHandlers, 'vectors.refresh'> {
  return {
    'vectors.refresh': {
      payload: VectorsRefresh,
      queue: 'vectors',
      process: async ({ pool, job, progress }) => {
        // A bulk write (a first import, a new vocabulary) goes without the HNSW index, built once after.
        const vocabulary = await currentVocabulary(pool, job.workspaceId);
        const indexDropped = await dropVectorIndexForBulkWrite(db, job.workspaceId, vocabulary.version);
        const result = await writeStaleVectors(pool, job.workspaceId, vocabulary, (accountsDone) => progress({ accountsDone }));
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
