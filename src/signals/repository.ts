import type { Queryable } from '../db/pool.ts';
import { INTENT_WINDOW_DAYS, type IntentSignal } from './intent.ts';

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
