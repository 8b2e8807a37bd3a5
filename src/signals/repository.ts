import type { Queryable } from '../db/pool.ts';
import { INTENT_WINDOW_DAYS, type IntentSignal } from './intent.ts';
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
     -- In the dedupe index's order for every writer: concurrent batches of the same signals wait instead of deadlocking.
     ORDER BY r.account_id, r.type, r.occurred_at, r.topic, r.source
     ON CONFLICT DO NOTHING`,
    [workspaceId, JSON.stringify(rows)],
  );
  return rowCount ?? 0;
}

export async function recentSignals(db: Queryable, accountId: string, limit = 100): Promise<Signal[]> {
  const { rows } = await db.query<{
    type: Signal['type'];
    occurred_at: Date;
    value: number | null;
    topic: string | null;
    source: string | null;
  }>('SELECT type, occurred_at, value, topic, source FROM signals WHERE account_id = $1 ORDER BY occurred_at DESC LIMIT $2', [
    accountId,
    limit,
  ]);
  return rows.map((r) => ({ type: r.type, occurredAt: r.occurred_at.toISOString(), value: r.value, topic: r.topic, source: r.source }));
}

/**
 * Recent signals (inside INTENT_WINDOW_DAYS) of some accounts: those listed, or a workspace's accounts
 * in an id range (a scoring batch: `afterId` < id ≤ `lastId`). They come back as one JSON text, not as
 * rows: on PGlite every row costs far more than its bytes (≈ 3× faster for a page's few hundred signals),
 * and a scoring batch passes the text to the compute thread as it is (`signalsFromText`).
 */
export async function recentSignalsText(
  db: Queryable,
  accounts: { ids: string[] } | { workspaceId: string; afterId: string; lastId: string },
): Promise<string> {
  const select = `SELECT json_agg(json_build_array(account_id::text, type, occurred_at, value, topic))::text AS signals FROM signals
    WHERE occurred_at > now() - make_interval(days => $1) AND `;
  const { rows } =
    'ids' in accounts
      ? await db.query<{ signals: string | null }>(`${select} account_id = ANY($2::bigint[])`, [INTENT_WINDOW_DAYS, accounts.ids])
      : await db.query<{ signals: string | null }>(`${select} workspace_id = $2 AND account_id > $3 AND account_id <= $4`, [
          INTENT_WINDOW_DAYS,
          accounts.workspaceId,
          accounts.afterId,
          accounts.lastId,
        ]);
  return rows[0]?.signals ?? '[]';
}

/** The signals of a `recentSignalsText` answer, by account id. */
export function signalsFromText(text: string): Map<string, IntentSignal[]> {
  const byAccount = new Map<string, IntentSignal[]>();
  for (const [accountId, type, occurredAt, value, topic] of JSON.parse(text) as [string, string, string, number | null, string | null][]) {
    const list = byAccount.get(accountId) ?? [];
    list.push({ type, occurredAt: new Date(occurredAt), value, topic });
    byAccount.set(accountId, list);
  }
  return byAccount;
}

/** Recent signals of a set of accounts, grouped by account id. */
export async function signalsFor(db: Queryable, accountIds: string[]): Promise<Map<string, IntentSignal[]>> {
  if (accountIds.length === 0) return new Map();
  return signalsFromText(await recentSignalsText(db, { ids: accountIds }));
}
