import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../src/db/pool.ts';
import { openTestDatabase } from '../support/db.ts';

// Embedded PGlite: every client of the pool shares one connection. pg.Pool used to discard a client
// whose query failed, which ended the shared connection under the next query.
let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.close());

it('a query the database refuses leaves the pool usable for the very next one', async () => {
  const started = Date.now();
  for (let i = 0; i < 3; i++) {
    let code: string | undefined;
    try {
      await db.pool.query("SELECT '3000000000'::int");
    } catch (err) {
      code = (err as { code?: string }).code;
    }
    expect(code).toBe('22003');
    expect((await db.pool.query('SELECT 1 AS x')).rows).toEqual([{ x: 1 }]);
  }
  // Before the fix the query after a failed one failed, or (depending on timing) waited for a reconnect.
  expect(Date.now() - started).toBeLessThan(3_000);
});
