import type { Queryable } from '../db/pool.ts';

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
