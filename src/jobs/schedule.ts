import type pg from 'pg';
import { createScoreRun } from '../prospects/scoring.ts';
import type { Enqueue } from './queue.ts';

/** Schedules scoring of the universe under `modelId`, unless a run for it exists already (retries stay single). */
export async function scheduleScoring(pool: pg.Pool, enqueue: Enqueue, workspaceId: string, modelId: string) {
  // A run blocks a new one unless it failed, or its job failed for good (it would stay 'running' forever).
  const existing = await pool.query(
    `SELECT 1 FROM score_runs r WHERE r.model_id = $1 AND r.status <> 'failed' AND NOT EXISTS (
       SELECT 1 FROM jobs j WHERE j.type = 'scores.refresh' AND j.payload->>'runId' = r.id::text AND j.status = 'failed')
     LIMIT 1`,
    [modelId],
  );
  if (existing.rowCount) return null;
  const runId = await createScoreRun(pool, workspaceId, modelId);
  try {
    return await enqueue(workspaceId, 'scores.refresh', { runId });
  } catch (err) {
    // Not queued (e.g. Redis unreachable): the run must not stop the next attempt from scheduling one.
    await pool.query("UPDATE score_runs SET status = 'failed', finished_at = now() WHERE id = $1", [runId]);
    throw err;
  }
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
