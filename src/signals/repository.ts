import type { Queryable } from '../db/pool.ts';
import type { Signal } from './schema.ts';

export interface SignalRow {
  account_id: string;
  type: Signal['type'];
  occurred_at: string;
  value: number | null;
  topic: string | null;
  source: string | null;
}

/** Stores signals in one statement; a signal already stored is skipped. Returns how many were new. */
export async function insertSignals(db: Queryable, workspaceId: string, rows: SignalRow[]): Promise<number> {
  const { rowCount } = await db.query(
    `INSERT INTO signals (workspace_id, account_id, type, occurred_at, value, topic, source)
     SELECT $1, r.account_id, r.type, r.occurred_at, r.value, r.topic, r.source
     FROM jsonb_to_recordset($2::jsonb) AS r(account_id bigint, type text, occurred_at timestamptz, value float8, topic text, source text)
     ON CONFLICT DO NOTHING`,
    [workspaceId, JSON.stringify(rows)],
  );
  return rowCount ?? 0;
}

export async function recentSignals(db: Queryable, accountId: string, limit = 100): Promise<Signal[]> {
  const { rows } = await db.query<{ type: Signal['type']; occurred_at: Date; value: number | null; topic: string | null; source: string | null }>(
    'SELECT type, occurred_at, value, topic, source FROM signals WHERE account_id = $1 ORDER BY occurred_at DESC LIMIT $2',
    [accountId, limit],
  );
  return rows.map((r) => ({ type: r.type, occurredAt: r.occurred_at.toISOString(), value: r.value, topic: r.topic, source: r.source }));
}
