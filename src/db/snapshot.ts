import type { Queryable } from './pool.ts';

/**
 * The database's current snapshot (pg_current_snapshot) as text. Any transaction that commits, in any
 * process and on any table, moves it (xmax, or its entry in the in-progress list), so two equal texts
 * mean that nothing was committed in between: what was read at the first still reads the same at the
 * second. Reading it takes no transaction id and writes nothing.
 */
export async function databaseSnapshot(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ snapshot: string }>('SELECT pg_current_snapshot()::text AS snapshot');
  return rows[0].snapshot;
}
