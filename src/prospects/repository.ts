import type { Queryable } from '../db/pool.ts';
import type { TierCutoffs } from '../model/ranking.ts';
import { ELIGIBILITY_JOINS, PROSPECT_SQL } from './eligibility.ts';
import { NOT_IN_CRM_SQL } from '../outcomes/repository.ts';

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

export async function createScoreRun(db: Queryable, workspaceId: string, modelId: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>('INSERT INTO score_runs (workspace_id, model_id) VALUES ($1, $2) RETURNING id', [workspaceId, modelId]);
  return rows[0].id;
}

export async function scoreRun(db: Queryable, runId: string): Promise<{ workspace_id: string; model_id: string } | undefined> {
  const { rows } = await db.query<{ workspace_id: string; model_id: string }>('SELECT workspace_id, model_id FROM score_runs WHERE id = $1', [runId]);
  return rows[0];
}

/**
 * Stores a batch of scored rows (JSON text of ScoreRow objects; src/prospects/scoring.ts), replacing
 * rows already stored for the same accounts. The attributes prospect pages filter on are copied from
 * the account (sql/011_page_filters.sql). Returns how many rows were written.
 */
export async function insertScoreRows(db: Queryable, runId: string, rows: string): Promise<number> {
  const { rowCount } = await db.query(
    `INSERT INTO account_scores (run_id, account_id, score, fit, similarity, intent, criteria, reason_features, reason_weights, similar_ids, similar_scores,
       explanation, industry, country, employees, technologies, keywords)
     SELECT $1, r.account_id, r.score, r.fit, r.similarity, r.intent, r.criteria, r.reason_features, r.reason_weights, r.similar_ids, r.similar_scores,
       r.explanation, a.industry, a.country, a.employees, a.technologies, a.keywords
     FROM json_to_recordset($2::json) AS r(account_id bigint, score real, fit real, similarity real, intent real, criteria real,
       reason_features integer[], reason_weights real[], similar_ids bigint[], similar_scores real[], explanation json)
     JOIN accounts a ON a.id = r.account_id
     ON CONFLICT (run_id, account_id) DO UPDATE SET score = EXCLUDED.score, fit = EXCLUDED.fit, similarity = EXCLUDED.similarity,
       intent = EXCLUDED.intent, criteria = EXCLUDED.criteria, reason_features = EXCLUDED.reason_features, reason_weights = EXCLUDED.reason_weights,
       similar_ids = EXCLUDED.similar_ids, similar_scores = EXCLUDED.similar_scores, explanation = EXCLUDED.explanation, industry = EXCLUDED.industry, country = EXCLUDED.country,
       employees = EXCLUDED.employees, technologies = EXCLUDED.technologies, keywords = EXCLUDED.keywords`,
    [runId, rows],
  );
  return rowCount ?? 0;
}

/** How many accounts a run scored, and the scores of its prospects (read as one JSON text: one row, not one per account). */
export async function runScores(db: Queryable, runId: string): Promise<{ scored: number; prospectScores: number[] }> {
  const { rows } = await db.query<{ scored: number; prospect_scores: string | null }>(
    `SELECT count(*)::int AS scored, json_agg(s.score) FILTER (WHERE ${NOT_IN_CRM_SQL})::text AS prospect_scores
     FROM account_scores s LEFT JOIN outcomes o ON o.account_id = s.account_id WHERE s.run_id = $1`,
    [runId],
  );
  return { scored: rows[0].scored, prospectScores: JSON.parse(rows[0].prospect_scores ?? '[]') as number[] };
}

/** Marks a run completed with its size and tier cut-offs: from now on it is the run prospect pages read. */
export async function completeScoreRun(db: Queryable, runId: string, scored: number, cutoffs: TierCutoffs | null): Promise<{ workspaceId: string }> {
  const { rows } = await db.query<{ workspace_id: string }>(
    `UPDATE score_runs SET status = 'completed', finished_at = now(), accounts_scored = $2, tier_cutoffs = $3 WHERE id = $1 RETURNING workspace_id`,
    [runId, scored, JSON.stringify(cutoffs)],
  );
  return { workspaceId: rows[0].workspace_id };
}

/** Deletes a workspace's finished runs beyond its `kept` most recent completed ones (their scored rows go with them). */
export async function pruneScoreRuns(db: Queryable, workspaceId: string, kept: number): Promise<void> {
  await db.query(
    `DELETE FROM score_runs WHERE workspace_id = $1 AND status <> 'running' AND id NOT IN (
       SELECT id FROM score_runs WHERE workspace_id = $1 AND status = 'completed' ORDER BY finished_at DESC LIMIT $2)`,
    [workspaceId, kept],
  );
}

export async function analyzeScores(db: Queryable): Promise<void> {
  await db.query('ANALYZE account_scores');
}
