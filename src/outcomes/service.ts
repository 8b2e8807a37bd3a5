import type pg from 'pg';
import { accountIdsByDomain, upsertAccounts } from '../accounts/repository.ts';
import { parseAccountRow } from '../accounts/row.ts';
import type { Account } from '../accounts/schema.ts';
import { normaliseBatchDomains } from '../accounts/service.ts';
import { withTransaction, type Queryable } from '../db/pool.ts';
import { ApiError } from '../http/errors.ts';
import { toDate } from '../lib/schemas.ts';
import { MAX_OUTCOMES_PER_REQUEST, OUTCOME_FIELDS, type Outcome, type OutcomeInput } from './schema.ts';

/**
 * Stores each account's current outcome and appends every change to outcome_history. Returns how many
 * outcomes changed, which is what schedules a retrain.
 */
export async function recordOutcomes(pool: pg.Pool, workspaceId: string, outcomes: OutcomeInput[]) {
  if (outcomes.length > MAX_OUTCOMES_PER_REQUEST) {
    throw new ApiError(413, 'batch_too_large', `At most ${MAX_OUTCOMES_PER_REQUEST} outcomes per request (got ${outcomes.length})`);
  }
  const domains = normaliseBatchDomains(outcomes, 'outcomes');
  return withTransaction(pool, async (client) => {
    let ids = await accountIdsByDomain(client, workspaceId, [...new Set(domains)]);
    const unknownDomains: { index: number; domain: string }[] = [];
    const rejected: { index: number; domain?: string; errors: string[] }[] = [];
    const toCreate = new Map<string, Account>();
    outcomes.forEach((outcome, index) => {
      if (ids.has(domains[index])) return;
      const accountFields = Object.fromEntries(Object.entries(outcome).filter(([k]) => !OUTCOME_FIELDS.has(k)));
      if (Object.keys(accountFields).length === 0) return void unknownDomains.push({ index, domain: domains[index] });
      const parsed = parseAccountRow({ ...accountFields, domain: domains[index] });
      if (parsed.ok) toCreate.set(parsed.account.domain, parsed.account);
      else rejected.push({ index, domain: domains[index], errors: parsed.errors });
    });
    const { inserted: accountsCreated } = await upsertAccounts(client, workspaceId, [...toCreate.values()]);
    if (toCreate.size > 0) ids = await accountIdsByDomain(client, workspaceId, [...new Set(domains)]);

    // Last row wins when a batch repeats a domain.
    const latest = new Map<string, object>();
    outcomes.forEach((o, index) => {
      const accountId = ids.get(domains[index]);
      if (!accountId) return;
      latest.set(accountId, {
        account_id: accountId,
        status: o.status,
        amount: o.amount ?? null,
        closed_at: toDate(o.closedAt)?.toISOString() ?? null,
        churned_at: toDate(o.churnedAt)?.toISOString() ?? null,
      });
    });
    const { rows: changed } = await client.query<{ account_id: string }>(
      `WITH input AS (
         SELECT * FROM jsonb_to_recordset($2::jsonb)
           AS r(account_id bigint, status text, amount float8, closed_at timestamptz, churned_at timestamptz)
       ), upserted AS (
         INSERT INTO outcomes (account_id, workspace_id, status, amount, closed_at, churned_at)
         SELECT account_id, $1, status, amount, closed_at, churned_at FROM input
         ON CONFLICT (account_id) DO UPDATE SET status = EXCLUDED.status, amount = EXCLUDED.amount,
           closed_at = EXCLUDED.closed_at, churned_at = EXCLUDED.churned_at, updated_at = now()
         WHERE (outcomes.status, outcomes.amount, outcomes.closed_at, outcomes.churned_at)
           IS DISTINCT FROM (EXCLUDED.status, EXCLUDED.amount, EXCLUDED.closed_at, EXCLUDED.churned_at)
         RETURNING account_id, status, amount, closed_at, churned_at
       )
       INSERT INTO outcome_history (workspace_id, account_id, status, amount, closed_at, churned_at)
       SELECT $1, account_id, status, amount, closed_at, churned_at FROM upserted
       RETURNING account_id`,
      [workspaceId, JSON.stringify([...latest.values()])],
    );
    return {
      recorded: changed.length,
      unchanged: latest.size - changed.length,
      accountsCreated,
      unknownDomains,
      rejected,
    };
  });
}

export async function outcomeOf(db: Queryable, accountId: string): Promise<Outcome | null> {
  const { rows } = await db.query<{ status: Outcome['status']; amount: number | null; closed_at: Date | null; churned_at: Date | null; updated_at: Date }>(
    'SELECT status, amount, closed_at, churned_at, updated_at FROM outcomes WHERE account_id = $1',
    [accountId],
  );
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
