import type { Queryable } from '../db/pool.ts';

/** Whether the workspace has at least one won account. */
export async function hasWonOutcome(db: Queryable, workspaceId: string): Promise<boolean> {
  const { rowCount } = await db.query("SELECT 1 FROM outcomes WHERE workspace_id = $1 AND status = 'won' LIMIT 1", [workspaceId]);
  return Boolean(rowCount);
}
