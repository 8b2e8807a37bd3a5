import type pg from 'pg';
import { createScoreRun } from '../prospects/scoring.ts';
import type { Enqueue } from './queue.ts';

/** Schedules scoring of the universe under `modelId`, unless a run for it exists already (retries stay single). */
export async function scheduleScoring(pool: pg.Pool, enqueue: Enqueue, workspaceId: string, modelId: string) {
  const existing = await pool.query("SELECT 1 FROM score_runs WHERE model_id = $1 AND status <> 'failed' LIMIT 1", [modelId]);
  if (existing.rowCount) return null;
  const runId = await createScoreRun(pool, workspaceId, modelId);
  return enqueue(workspaceId, 'scores.refresh', { runId });
}

/** After accounts changed: one pending re-vectorising job per workspace is enough. */
export async function scheduleVectorRefresh(pool: pg.Pool, enqueue: Enqueue, workspaceId: string, counts: { inserted: number; updated: number }) {
  if (counts.inserted + counts.updated === 0) return null;
  const pending = await pool.query("SELECT 1 FROM jobs WHERE workspace_id = $1 AND type = 'vectors.refresh' AND status = 'queued' LIMIT 1", [workspaceId]);
  if (pending.rowCount) return null;
  return enqueue(workspaceId, 'vectors.refresh', {});
}
