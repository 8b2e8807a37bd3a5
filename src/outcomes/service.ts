import type pg from 'pg';
import { accountIdsByDomain, upsertAccounts } from '../accounts/repository.ts';
import { ACCOUNT_FIELDS, parseAccountRow } from '../accounts/row.ts';
import type { Account } from '../accounts/schema.ts';
import { normaliseBatchDomains } from '../accounts/service.ts';
import { withTransaction, type Queryable } from '../db/pool.ts';
import { DomainError, MAX_ERROR_DETAILS } from '../lib/errors.ts';
import { toDate } from '../lib/schemas.ts';
import { upsertOutcomes, type OutcomeRow } from './repository.ts';
import { MAX_OUTCOMES_PER_REQUEST, OUTCOME_FIELDS, type OutcomeInput } from './schema.ts';

const ACCOUNT_FIELD_NAMES = new Set<string>(ACCOUNT_FIELDS);

/**
 * Stores each account's current outcome and appends every change to outcome_history. Returns how many
 * outcomes changed, which is what schedules a retrain.
 */
export async function recordOutcomes(pool: pg.Pool, workspaceId: string, outcomes: OutcomeInput[]) {
  if (outcomes.length > MAX_OUTCOMES_PER_REQUEST) {
    throw new DomainError(
      'too_large',
      'batch_too_large',
      `At most ${MAX_OUTCOMES_PER_REQUEST} outcomes per request (got ${outcomes.length})`,
    );
  }
  refuseUnknownKeys(outcomes);
  const domains = normaliseBatchDomains(outcomes, 'outcomes');
  return withTransaction(pool, async (client) => {
    const { ids, accountsCreated, unknownDomains, rejected } = await findOrCreateAccounts(client, workspaceId, outcomes, domains);
    // Last row wins when a batch repeats a domain.
    const latest = new Map<string, OutcomeRow>();
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
    const changed = await upsertOutcomes(client, workspaceId, [...latest.values()]);
    return {
      recorded: changed.length,
      unchanged: latest.size - changed.length,
      accountsCreated,
      unknownDomains,
      rejected,
    };
  });
}

/** A key that is neither an outcome nor an Account field (a typo: "amout") would be dropped unseen: refuse it. */
function refuseUnknownKeys(outcomes: OutcomeInput[]): void {
  const unknownKeys = outcomes.flatMap((outcome, index) =>
    Object.keys(outcome)
      .filter((key) => !OUTCOME_FIELDS.has(key) && !ACCOUNT_FIELD_NAMES.has(key))
      .map((key) => `outcomes.${index}.${key}`),
  );
  if (unknownKeys.length > 0) {
    throw new DomainError(
      'invalid',
      'unknown_fields',
      `${unknownKeys.length} unknown field(s), e.g. ${unknownKeys[0]}: an outcome holds ${[...OUTCOME_FIELDS].join(', ')} and Account fields`,
      { fields: unknownKeys.slice(0, MAX_ERROR_DETAILS), count: unknownKeys.length },
    );
  }
}

/**
 * The account id of each outcome's domain. An outcome of a domain not in the universe creates its account
 * when it carries Account fields (rejected if those are invalid); without any, its domain is reported unknown.
 */
async function findOrCreateAccounts(db: Queryable, workspaceId: string, outcomes: OutcomeInput[], domains: string[]) {
  let ids = await accountIdsByDomain(db, workspaceId, [...new Set(domains)]);
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
  const { inserted: accountsCreated } = await upsertAccounts(db, workspaceId, [...toCreate.values()]);
  if (toCreate.size > 0) ids = await accountIdsByDomain(db, workspaceId, [...new Set(domains)]);
  return { ids, accountsCreated, unknownDomains, rejected };
}
