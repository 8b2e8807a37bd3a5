import type pg from 'pg';
import { upsertAccounts } from '../accounts/repository.ts';
import { withTransaction } from '../db/pool.ts';
import { recordOutcomes } from '../outcomes/service.ts';
import { recordSignals } from '../signals/service.ts';
import { MAX_SIGNALS_PER_REQUEST } from '../signals/schema.ts';
import { MAX_OUTCOMES_PER_REQUEST } from '../outcomes/schema.ts';
import { generateUniverse, type CrmOptions } from './universe.ts';

/**
 * Loads a generated universe into a workspace through the same services the API uses (accounts,
 * then outcomes, then signals). For the demo workspace, tests and benchmarks.
 */
export async function loadGeneratedUniverse(pool: pg.Pool, workspaceId: string, options: CrmOptions & { count: number }) {
  const universe = generateUniverse(options);
  await withTransaction(pool, async (client) => {
    for (let i = 0; i < universe.accounts.length; i += 2_000)
      await upsertAccounts(client, workspaceId, universe.accounts.slice(i, i + 2_000));
  });
  for (let i = 0; i < universe.outcomes.length; i += MAX_OUTCOMES_PER_REQUEST) {
    await recordOutcomes(
      pool,
      workspaceId,
      universe.outcomes.slice(i, i + MAX_OUTCOMES_PER_REQUEST).map((o) => ({ ...o })),
    );
  }
  for (let i = 0; i < universe.signals.length; i += MAX_SIGNALS_PER_REQUEST) {
    await recordSignals(pool, workspaceId, universe.signals.slice(i, i + MAX_SIGNALS_PER_REQUEST));
  }
  return universe;
}
