import { z } from 'zod';
import type { Queryable } from '../db/pool.ts';
import { Outcome } from '../outcomes/schema.ts';
import { outcomeOf } from '../outcomes/repository.ts';
import { Signal } from '../signals/schema.ts';
import { recentSignals } from '../signals/repository.ts';
import { toAccount, type AccountRow } from '../accounts/repository.ts';
import { Account } from '../accounts/schema.ts';

/** One account as GET /v1/accounts/{domain} shows it: the record, its recent signals and its CRM outcome. */
export const AccountDetails = z
  .object({
    account: Account,
    signals: z.array(Signal).meta({ description: 'The 100 most recent signals, newest first' }),
    outcome: Outcome.nullable(),
  })
  .meta({ id: 'AccountDetails' });
export type AccountDetails = z.infer<typeof AccountDetails>;

export async function accountDetails(db: Queryable, row: AccountRow): Promise<AccountDetails> {
  const [signals, outcome] = await Promise.all([recentSignals(db, row.id), outcomeOf(db, row.id)]);
  return { account: toAccount(row), signals, outcome };
}
