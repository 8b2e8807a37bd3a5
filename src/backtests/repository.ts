/** The only SQL on the backtest tables (sql/008_proof.sql). */
import type { Queryable } from '../db/pool.ts';
import { NOT_IN_CRM_SQL } from '../outcomes/repository.ts';
import type { Tier } from '../model/ranking.ts';
import type { TierChange } from './schema.ts';

export interface Snapshot {
  runId: string;
  workspaceId: string;
  modelId: string;
  modelVersion: number | null;
  finishedAt: Date;
  prospects: number;
}

interface SnapshotRow {
  run_id: string;
  workspace_id: string;
  model_id: string;
  model_version: number | null;
  finished_at: Date;
  prospects: number;
}
const SNAPSHOT_COLUMNS = 'run_id, workspace_id, model_id, model_version, finished_at, prospects';
const toSnapshot = (r: SnapshotRow): Snapshot => ({
  runId: r.run_id,
  workspaceId: r.workspace_id,
  modelId: r.model_id,
  modelVersion: r.model_version,
  finishedAt: r.finished_at,
  prospects: r.prospects,
});

/**
 * Copies a completed run's prospects (the accounts its tiers were cut over: no outcome, or a competitor's
 * customer) as (account, rank, score, tier). Once per run: null when it was snapshotted before (or the run is not complete). `modelVersion` is the version of the run's model.
 */
export async function insertSnapshot(db: Queryable, runId: string, modelVersion: number): Promise<Snapshot | null> {
  const { rows } = await db.query<SnapshotRow>(
    `INSERT INTO backtest_runs (run_id, workspace_id, model_id, model_version, finished_at, prospects, tier_cutoffs)
     SELECT r.id, r.workspace_id, r.model_id, $2, r.finished_at, 0, r.tier_cutoffs
     FROM score_runs r WHERE r.id = $1 AND r.status = 'completed'
     ON CONFLICT (run_id) DO NOTHING
     RETURNING ${SNAPSHOT_COLUMNS}`,
    [runId, modelVersion],
  );
  if (!rows[0]) return null;
  // Tiers as the API shows them (tierFor): score against the run's cut-offs, compared as real.
  const inserted = await db.query(
    `INSERT INTO backtest_scores (run_id, account_id, rank, score, tier)
     SELECT $1, s.account_id, row_number() OVER (ORDER BY s.score DESC, s.account_id DESC), s.score,
       CASE WHEN s.score >= (c.cutoffs->>'A')::real THEN 'A' WHEN s.score >= (c.cutoffs->>'B')::real THEN 'B'
            WHEN s.score >= (c.cutoffs->>'C')::real THEN 'C' ELSE 'D' END
     FROM account_scores s LEFT JOIN outcomes o ON o.account_id = s.account_id
     CROSS JOIN (SELECT tier_cutoffs AS cutoffs FROM score_runs WHERE id = $1) c
     WHERE s.run_id = $1 AND c.cutoffs IS NOT NULL AND ${NOT_IN_CRM_SQL}`,
    [runId],
  );
  const prospects = inserted.rowCount ?? 0;
  await db.query('UPDATE backtest_runs SET prospects = $2 WHERE run_id = $1', [runId, prospects]);
  return { ...toSnapshot(rows[0]), prospects };
}

/** Keeps the workspace's `keep` newest snapshots; returns how many went. */
export async function pruneSnapshots(db: Queryable, workspaceId: string, keep: number): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM backtest_runs WHERE workspace_id = $1 AND run_id NOT IN (
       SELECT run_id FROM backtest_runs WHERE workspace_id = $1 ORDER BY finished_at DESC, run_id DESC LIMIT $2)`,
    [workspaceId, keep],
  );
  return rowCount ?? 0;
}

export async function getSnapshot(db: Queryable, workspaceId: string, runId: string): Promise<Snapshot | null> {
  const { rows } = await db.query<SnapshotRow>(`SELECT ${SNAPSHOT_COLUMNS} FROM backtest_runs WHERE workspace_id = $1 AND run_id = $2`, [
    workspaceId,
    runId,
  ]);
  return rows[0] ? toSnapshot(rows[0]) : null;
}

/** The snapshot taken just before `runId`'s, if any. */
export async function previousSnapshot(db: Queryable, workspaceId: string, runId: string): Promise<Snapshot | null> {
  const { rows } = await db.query<SnapshotRow>(
    `SELECT ${SNAPSHOT_COLUMNS} FROM backtest_runs p
     WHERE p.workspace_id = $1 AND (p.finished_at, p.run_id) < (SELECT finished_at, run_id FROM backtest_runs WHERE run_id = $2)
     ORDER BY p.finished_at DESC, p.run_id DESC LIMIT 1`,
    [workspaceId, runId],
  );
  return rows[0] ? toSnapshot(rows[0]) : null;
}

/** Snapshots newest first, finished at or after `since`, of one model if given. */
export async function listSnapshots(db: Queryable, workspaceId: string, filter: { since?: Date; modelId?: string }): Promise<Snapshot[]> {
  const { rows } = await db.query<SnapshotRow>(
    `SELECT ${SNAPSHOT_COLUMNS} FROM backtest_runs
     WHERE workspace_id = $1 AND ($2::timestamptz IS NULL OR finished_at >= $2) AND ($3::uuid IS NULL OR model_id = $3)
     ORDER BY finished_at DESC, run_id DESC`,
    [workspaceId, filter.since ?? null, filter.modelId ?? null],
  );
  return rows.map(toSnapshot);
}

/** Accounts per tier of each run. */
export async function tierSizes(db: Queryable, runIds: string[]): Promise<Map<string, Record<Tier, number>>> {
  const { rows } = await db.query<{ run_id: string; tier: Tier; n: number }>(
    'SELECT run_id, tier::text AS tier, count(*)::int AS n FROM backtest_scores WHERE run_id = ANY ($1::uuid[]) GROUP BY run_id, tier',
    [runIds],
  );
  const sizes = new Map<string, Record<Tier, number>>();
  for (const id of runIds) sizes.set(id, { A: 0, B: 0, C: 0, D: 0 });
  for (const r of rows) sizes.get(r.run_id)![r.tier] = r.n;
  return sizes;
}

export type DecidedStatus = 'won' | 'lost' | 'churned' | 'open' | 'competitor_customer';

export interface Decided {
  rank: number;
  tier: Tier;
  status: DecidedStatus;
}

/**
 * The accounts of each run whose current outcome was decided after the run: its closedAt, or, without
 * one, when it was recorded (outcomes.updated_at), is later than the run's finish. An outcome recorded
 * later but closed before the run is left out: the run could not have predicted what had happened.
 * Driven from the workspace's outcomes (few) into the snapshots' primary key.
 */
export async function decidedSince(db: Queryable, workspaceId: string, runs: Snapshot[]): Promise<Map<string, Decided[]>> {
  const byRun = new Map<string, Decided[]>(runs.map((r) => [r.runId, []]));
  if (runs.length === 0) return byRun;
  const { rows } = await db.query<{ run_id: string; rank: number; tier: Tier; status: DecidedStatus }>(
    `SELECT s.run_id, s.rank, s.tier::text AS tier, o.status
     FROM outcomes o
     JOIN backtest_scores s ON s.account_id = o.account_id AND s.run_id = ANY ($2::uuid[])
     JOIN backtest_runs r ON r.run_id = s.run_id
     WHERE o.workspace_id = $1 AND coalesce(o.closed_at, o.updated_at) > r.finished_at`,
    [workspaceId, runs.map((r) => r.runId)],
  );
  for (const r of rows) byRun.get(r.run_id)!.push({ rank: r.rank, tier: r.tier, status: r.status });
  return byRun;
}

const CHANGES = `WITH cur AS (SELECT account_id, tier::text AS tier, score, rank FROM backtest_scores WHERE run_id = $1),
  prev AS (SELECT account_id, tier::text AS tier, score FROM backtest_scores WHERE run_id = $2),
  changes AS (
    SELECT account_id, prev.tier AS from_tier, cur.tier AS to_tier, cur.score, prev.score AS previous_score, cur.rank
    FROM cur FULL JOIN prev USING (account_id)
    WHERE (cur.tier IN ('A', 'B') OR prev.tier IN ('A', 'B')) AND cur.tier IS DISTINCT FROM prev.tier)`;

/** Accounts that entered, left or moved within tiers A and B between two runs: counts, and a page (best of this run first, then those that left). */
export async function tierChanges(db: Queryable, runId: string, previousRunId: string, limit: number, offset: number) {
  const { rows: counts } = await db.query<{ total: number; entered: number; left: number; moved: number }>(
    `${CHANGES} SELECT count(*)::int AS total,
       count(*) FILTER (WHERE to_tier IN ('A', 'B') AND (from_tier IS NULL OR from_tier NOT IN ('A', 'B')))::int AS entered,
       count(*) FILTER (WHERE from_tier IN ('A', 'B') AND (to_tier IS NULL OR to_tier NOT IN ('A', 'B')))::int AS left,
       count(*) FILTER (WHERE from_tier IN ('A', 'B') AND to_tier IN ('A', 'B'))::int AS moved
     FROM changes`,
    [runId, previousRunId],
  );
  const { rows } = await db.query<{
    domain: string;
    name: string | null;
    from_tier: Tier | null;
    to_tier: Tier | null;
    score: number | null;
    previous_score: number | null;
    rank: number | null;
  }>(
    `${CHANGES} SELECT a.domain, a.name, c.from_tier, c.to_tier, c.score, c.previous_score, c.rank
     FROM changes c JOIN accounts a ON a.id = c.account_id
     ORDER BY c.rank NULLS LAST, c.previous_score DESC, c.account_id LIMIT $3 OFFSET $4`,
    [runId, previousRunId, limit, offset],
  );
  const data: TierChange[] = rows.map((r) => ({
    domain: r.domain,
    name: r.name,
    from: r.from_tier,
    to: r.to_tier,
    score: r.score,
    previousScore: r.previous_score,
    rank: r.rank,
  }));
  return { counts: counts[0], data };
}
