/**
 * Concurrent writers: batches in a stable order, and what PostgreSQL aborts for a conflict (deadlock,
 * serialisation failure) retried a bounded number of times, never a 500. The embedded database has one
 * connection, so its writes never overlap; these tests run there too and must pass as well.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../../src/db/pool.ts';
import { CONFLICT_ATTEMPTS, retryConflicts, WriteConflict } from '../../src/db/retry.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

const onPostgres = Boolean(process.env.DATABASE_URL);

describe('retryConflicts', () => {
  const conflict = (code: string) => Object.assign(new Error('deadlock detected'), { code });

  it('runs again what PostgreSQL aborted for a deadlock or a serialisation failure, and nothing else', async () => {
    let calls = 0;
    const result = await retryConflicts(async () => {
      calls++;
      if (calls === 1) throw conflict('40P01');
      if (calls === 2) throw conflict('40001');
      return 'done';
    });
    expect({ result, calls }).toEqual({ result: 'done', calls: 3 });

    calls = 0;
    const unique = Object.assign(new Error('duplicate key'), { code: '23505' });
    await expect(
      retryConflicts(async () => {
        calls++;
        throw unique;
      }),
    ).rejects.toBe(unique);
    expect(calls).toBe(1);
  });

  it('gives up after a bounded number of attempts with our own 503 error, not the database text', async () => {
    let calls = 0;
    const failure = retryConflicts(async () => {
      calls++;
      throw conflict('40P01');
    });
    await expect(failure).rejects.toBeInstanceOf(WriteConflict);
    await expect(failure).rejects.toMatchObject({ kind: 'unavailable', code: 'write_conflict' });
    await expect(failure).rejects.not.toHaveProperty('message', expect.stringContaining('deadlock'));
    expect(calls).toBe(CONFLICT_ATTEMPTS);
  });
});

describe('concurrent writes of the same accounts', () => {
  let t: TestApp;
  let ws: Awaited<ReturnType<TestApp['newWorkspace']>>;
  beforeAll(async () => {
    t = await createTestApp();
    ws = await t.newWorkspace();
  });
  afterAll(() => t?.close());

  const domains = Array.from({ length: 5_000 }, (_, i) => `concurrent-${String(i).padStart(5, '0')}.example`);
  const post = (accounts: object[]) => t.app.inject({ method: 'POST', url: '/v1/accounts', headers: ws.auth, payload: { accounts } });

  it('answers two POST /v1/accounts of the same 5,000 domains in opposite orders with 200, three times over', async () => {
    for (let round = 0; round < 3; round++) {
      // A new employee count each round, so every round updates every row (an unchanged row is not written).
      const accounts = domains.map((domain, i) => ({ domain, name: `Company ${i}`, employees: 10 + round }));
      const [forward, backward] = await Promise.all([post(accounts), post(accounts.slice().reverse())]);
      expect([forward.statusCode, backward.statusCode], `${forward.body.slice(0, 200)} ${backward.body.slice(0, 200)}`).toEqual([200, 200]);
      // Each accounts for every row (the later of the two finds most of them as the earlier left them).
      const counted = [forward, backward].map((r) => r.json().inserted + r.json().updated + r.json().unchanged);
      expect(counted).toEqual([5_000, 5_000]);
    }
    const { rows } = await t.db.pool.query('SELECT count(*)::int AS n, min(employees) AS lo FROM accounts WHERE workspace_id = $1', [
      ws.id,
    ]);
    expect(rows[0]).toEqual({ n: 5_000, lo: 12 });
  });

  it('imports the same CSV in opposite row orders at once without a failure', async () => {
    const lines = domains.map((domain, i) => `${domain},Imported ${i}`);
    const csv = (rows: string[]) => `domain,name\n${rows.join('\n')}\n`;
    const upload = (body: string) =>
      t.app.inject({ method: 'POST', url: '/v1/accounts/import', headers: { ...ws.auth, 'content-type': 'text/csv' }, payload: body });
    for (let round = 0; round < 3; round++) {
      const [a, b] = await Promise.all([upload(csv(lines)), upload(csv(lines.slice().reverse()))]);
      expect([a.statusCode, b.statusCode], `${a.body.slice(0, 200)} ${b.body.slice(0, 200)}`).toEqual([200, 200]);
      expect(a.json().rejectedCount + b.json().rejectedCount).toBe(0);
    }
  });

  // A real deadlock needs two connections; the embedded database has one, so two transactions never overlap there.
  it.runIf(onPostgres)('retries a transaction PostgreSQL aborted as a deadlock victim, so both writers succeed', async () => {
    const [first, second] = domains.slice(0, 2);
    let attempts = 0;
    let bothHoldOne!: () => void;
    const rendezvous = new Promise<void>((resolve) => (bothHoldOne = resolve));
    let holding = 0;
    // Each transaction locks one row, waits until the other holds its own, then asks for the other's: a cycle.
    const crossing = (mine: string, theirs: string) =>
      withTransaction(t.db.pool, async (client) => {
        attempts++;
        await client.query('UPDATE accounts SET name = name WHERE workspace_id = $1 AND domain = $2', [ws.id, mine]);
        if (++holding === 2) bothHoldOne();
        await rendezvous;
        await client.query('UPDATE accounts SET name = name WHERE workspace_id = $1 AND domain = $2', [ws.id, theirs]);
        return mine;
      });
    const results = await Promise.all([crossing(first, second), crossing(second, first)]);
    expect(results).toEqual([first, second]);
    // The victim ran again once the other had committed.
    expect(attempts).toBe(3);
  });
});
