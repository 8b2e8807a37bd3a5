import type pg from 'pg';
import { accountIdsByDomain } from '../accounts/repository.ts';
import { normaliseBatchDomains } from '../accounts/service.ts';
import { DomainError } from '../lib/errors.ts';
import { insertSignals, type SignalRow } from './repository.ts';
import { MAX_SIGNALS_PER_REQUEST, type SignalInput } from './schema.ts';

export async function recordSignals(pool: pg.Pool, workspaceId: string, signals: SignalInput[]) {
  if (signals.length > MAX_SIGNALS_PER_REQUEST) {
    throw new DomainError('too_large', 'batch_too_large', `At most ${MAX_SIGNALS_PER_REQUEST} signals per request (got ${signals.length})`);
  }
  const domains = normaliseBatchDomains(signals, 'signals');
  const ids = await accountIdsByDomain(pool, workspaceId, [...new Set(domains)]);
  const unknownDomains: { index: number; domain: string }[] = [];
  const rows: SignalRow[] = [];
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
  const inserted = await insertSignals(pool, workspaceId, rows);
  return { inserted, duplicates: rows.length - inserted, unknownDomains };
}
