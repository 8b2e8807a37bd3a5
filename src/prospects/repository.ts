import type { Queryable } from '../db/pool.ts';

/** Runs of this model that have not failed. */
export async function unfailedScoreRuns(db: Queryable, modelId: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>("SELECT id FROM score_runs WHERE model_id = $1 AND status <> 'failed'", [modelId]);
  return rows.map((r) => r.id);
}

export async function failScoreRun(db: Queryable, runId: string): Promise<void> {
  await db.query("UPDATE score_runs SET status = 'failed', finished_at = now() WHERE id = $1", [runId]);
}
