import type { Queryable } from '../db/pool.ts';
import type { Outcome } from './schema.ts';

/**
 * Accounts already won, lost, churned or open are customers or deals, not prospects; a competitor's customer
 * is one. A condition on the outcome `o` LEFT JOINed to an account (`o.status IS NULL`: no outcome).
 */
export const NOT_IN_CRM_SQL = `(o.status IS NULL OR o.status = 'competitor_customer')`;

/** Whether the workspace has at least one won account. */
export async function hasWonOutcome(db: Queryable, workspaceId: string): Promise<boolean> {
  const { rowCount } = await db.query("SELECT 1 FROM outcomes WHERE workspace_id = $1 AND status = 'won' LIMIT 1", [workspaceId]);
  return Boolean(rowCount);
}

export interface OutcomeRow {
  account_id: string;
  status: Outcome['status'];
  amount: number | null;
  closed_at: string | null;
  churned_at: string | null;
}

/** Stores each account's current outcome and appends every change to outcome_history; returns the accounts whose outcome changed. */
export async function upsertOutcomes(db: Queryable, workspaceId: string, outcomes: OutcomeRow[]): Promise<{ account_id: string }[]> {
  const { rows } = await db.query<{ account_id: string }>(
    `WITH input AS (
       SELECT * FROM jsonb_to_recordset($2::jsonb)
         AS r(account_id bigint, status text, amount float8, closed_at timestamptz, churned_at timestamptz)
     ), upserted AS (
       INSERT INTO outcomes (account_id, workspace_id, status, amount, closed_at, churned_at)
       SELECT account_id, $1, status, amount, closed_at, churned_at FROM input
       -- Rows locked in one order by every writer: concurrent batches wait for each other instead of deadlocking.
       ORDER BY account_id
       ON CONFLICT (account_id) DO UPDATE SET status = EXCLUDED.status, amount = EXCLUDED.amount,
         closed_at = EXCLUDED.closed_at, churned_at = EXCLUDED.churned_at, updated_at = now()
       WHERE (outcomes.status, outcomes.amount, outcomes.closed_at, outcomes.churned_at)
         IS DISTINCT FROM (EXCLUDED.status, EXCLUDED.amount, EXCLUDED.closed_at, EXCLUDED.churned_at)
       RETURNING account_id, status, amount, closed_at, churned_at
     )
     INSERT INTO outcome_history (workspace_id, account_id, status, amount, closed_at, churned_at)
     SELECT $1, account_id, status, amount, closed_at, churned_at FROM upserted
     RETURNING account_id`,
    [workspaceId, JSON.stringify(outcomes)],
  );
  return rows;
}

export async function outcomeOf(db: Queryable, accountId: string): Promise<Outcome | null> {
  const { rows } = await db.query<{
    status: Outcome['status'];
    amount: number | null;
    closed_at: Date | null;
    churned_at: Date | null;
    updated_at: Date;
  }>('SELECT status, amount, closed_at, churned_at, updated_at FROM outcomes WHERE account_id = $1', [accountId]);
  const r = rows[0];
  if (!r) return null;
  return {
    status: r.status,
    amount: r.amount,
    closedAt: r.closed_at?.toISOString() ?? null,
    churnedAt: r.churned_at?.toISOString() ?? null,
    updatedAt: r.updated_at.toISOString(),
  };
}
