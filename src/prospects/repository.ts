import type { Queryable } from '../db/pool.ts';
import type { TierCutoffs } from '../model/ranking.ts';
import { ELIGIBILITY_JOINS, PROSPECT_SQL } from './eligibility.ts';

/** Runs of this model that have not failed. */
export async function unfailedScoreRuns(db: Queryable, modelId: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>("SELECT id FROM score_runs WHERE model_id = $1 AND status <> 'failed'", [modelId]);
  return rows.map((r) => r.id);
}

export async function failScoreRun(db: Queryable, runId: string): Promise<void> {
  await db.query("UPDATE score_runs SET status = 'failed', finished_at = now() WHERE id = $1", [runId]);
}

/** Prospects of the run in each tier under these cutoffs. */
export async function prospectsPerTier(db: Queryable, runId: string, workspaceId: string, cutoffs: TierCutoffs) {
  const { rows } = await db.query<{ a: number; b: number; c: number; d: number }>(
    `SELECT count(*) FILTER (WHERE s.score >= $3::real)::int AS a,
            count(*) FILTER (WHERE s.score >= $4::real AND s.score < $3::real)::int AS b,
            count(*) FILTER (WHERE s.score >= $5::real AND s.score < $4::real)::int AS c,
            count(*) FILTER (WHERE s.score < $5::real)::int AS d
     FROM account_scores s JOIN accounts a ON a.id = s.account_id ${ELIGIBILITY_JOINS}
     WHERE s.run_id = $1 AND a.workspace_id = $2 AND ${PROSPECT_SQL}`,
    [runId, workspaceId, cutoffs.A, cutoffs.B, cutoffs.C],
  );
  return rows[0];
}
