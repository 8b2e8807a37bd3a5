import type pg from 'pg';
import { accountIdsByDomain } from '../accounts/repository.ts';
import { normaliseBatchDomains } from '../accounts/service.ts';
import type { Queryable } from '../db/pool.ts';
import { ApiError } from '../http/errors.ts';
import { MAX_SIGNALS_PER_REQUEST, type Signal, type SignalInput } from './schema.ts';

export async function recordSignals(pool: pg.Pool, workspaceId: string, signals: SignalInput[]) {
  if (signals.length > MAX_SIGNALS_PER_REQUEST) {
    throw new ApiError(413, 'batch_too_large', `At most ${MAX_SIGNALS_PER_REQUEST} signals per request (got ${signals.length})`);
  }
  const domains = normaliseBatchDomains(signals, 'signals');
  const ids = await accountIdsByDomain(pool, workspaceId, [...new Set(domains)]);
  const unknownDomains: { index: number; domain: string }[] = [];
  const rows: object[] = [];
  signals.forEach((s, index) => {
    const accountId = ids.get(domains[index]);
    if (!accountId) return void unknownDomains.push({ index, domain: domains[index] });
    rows.push({
      account_id: accountId,
      type: s.type,
      occurred_at: new Date(s.occurredAt).toISOString(),
      value: s.value ?? null,
      topic: s.topic ?? null,
      source: s.source ?? null,
    });
  });
  const { rowCount } = await pool.query(
    `INSERT INTO signals (workspace_id, account_id, type, occurred_at, value, topic, source)
     SELECT $1, r.account_id, r.type, r.occurred_at, r.value, r.topic, r.source
     FROM jsonb_to_recordset($2::jsonb) AS r(account_id bigint, type text, occurred_at timestamptz, value float8, topic text, source text)
     ON CONFLICT DO NOTHING`,
    [workspaceId, JSON.stringify(rows)],
  );
  const inserted = rowCount ?? 0;
  return { inserted, duplicates: rows.length - inserted, unknownDomains };
}

export async function recentSignals(db: Queryable, accountId: string, limit = 100): Promise<Signal[]> {
  const { rows } = await db.query<{ type: Signal['type']; occurred_at: Date; value: number | null; topic: string | null; source: string | null }>(
    'SELECT type, occurred_at, value, topic, source FROM signals WHERE account_id = $1 ORDER BY occurred_at DESC LIMIT $2',
    [accountId, limit],
  );
  return rows.map((r) => ({ type: r.type, occurredAt: r.occurred_at.toISOString(), value: r.value, topic: r.topic, source: r.source }));
}
