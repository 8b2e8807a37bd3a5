/**
 * Lookalikes through the HNSW index find what an exact scan finds: on a generated universe past
 * EXACT_SEARCH_BELOW, the answers before the index exists (exact) against those after (the index,
 * built with the chosen graph, searched with hnswSearchList's candidate list). PGlite never builds the
 * index and answers exactly both times.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertAccounts } from '../../src/accounts/repository.ts';
import type { Database } from '../../src/db/pool.ts';
import { generateAccounts } from '../../src/demo/universe.ts';
import { refreshVectors } from '../../src/features/service.ts';
import { ensureVectorIndex, HNSW_GRAPH } from '../../src/features/vector-index.ts';
import { EXACT_SEARCH_BELOW, findLookalikes } from '../../src/prospects/lookalikes.ts';
import { createWorkspace } from '../../src/workspaces/service.ts';
import { openTestDatabase } from '../support/db.ts';

const UNIVERSE = 30_000;
/**
 * Recall@100 of the index against exact search over the seed sets below, at least on average and for
 * each set. Measured here: mean 0.999 (lowest 0.99); the default graph with the old candidate list
 * (1.2 times the rows) gave 0.965 (lowest 0.75).
 */
const RECALL_FLOOR = { mean: 0.98, each: 0.9 };

/** A pool whose clients record each statement they run (to EXPLAIN the search afterwards). */
function recordingPool(pool: pg.Pool, statements: { text: string; values?: unknown[] }[]): pg.Pool {
  return {
    query: pool.query.bind(pool),
    async connect() {
      const client = await pool.connect();
      const query = client.query.bind(client) as (text: string, values?: unknown[]) => Promise<unknown>;
      (client as unknown as { query: typeof query }).query = (text, values) => {
        statements.push({ text, values });
        return query(text, values);
      };
      const release = client.release.bind(client);
      client.release = ((err?: Error | boolean) => {
        delete (client as unknown as { query?: unknown }).query;
        release(err);
      }) as typeof client.release;
      return client;
    },
  } as unknown as pg.Pool;
}

describe('lookalikes through the vector index', () => {
  let db: Database;
  let workspaceId: string;
  const accounts = [...generateAccounts({ seed: 21, count: UNIVERSE })];
  // Seeds that share a trait (ten of one industry, as won accounts often do) and seeds that do not (ten in a row).
  const industries = [...new Set(accounts.map((a) => a.industry))].slice(0, 4);
  const seedSets = [
    ...industries.map((industry) => accounts.filter((a) => a.industry === industry).slice(0, 10)),
    ...[0, 1, 2, 3].map((i) => accounts.slice(i * 10, i * 10 + 10)),
  ].map((set) => set.map((a) => a.domain));
  const request = (seedDomains: string[]) => ({ seedDomains, limit: 100, filters: {}, includeCustomers: false });
  let exact: string[][];

  beforeAll(async () => {
    db = await openTestDatabase();
    workspaceId = (await createWorkspace(db.pool, 'Lookalike index')).workspace.id;
    for (let i = 0; i < UNIVERSE; i += 5_000) await upsertAccounts(db.pool, workspaceId, accounts.slice(i, i + 5_000));
    await refreshVectors(db.pool, workspaceId);
    exact = [];
    for (const seeds of seedSets) {
      const answer = await findLookalikes(db, workspaceId, request(seeds));
      expect(answer.search).toBe('exact');
      exact.push(answer.data.map((d) => d.domain));
    }
  }, 600_000);
  afterAll(() => db.close());

  it('uses the index built with the chosen graph, and finds what exact search finds', async () => {
    expect(UNIVERSE).toBeGreaterThanOrEqual(EXACT_SEARCH_BELOW);
    const search = await ensureVectorIndex(db);
    expect(search).toBe(db.mode === 'pglite' ? 'exact' : 'hnsw');
    const statements: { text: string; values?: unknown[] }[] = [];
    const recorded = { ...db, pool: recordingPool(db.pool, statements) };
    const recalls: number[] = [];
    for (const [i, seeds] of seedSets.entries()) {
      const answer = await findLookalikes(recorded, workspaceId, request(seeds));
      expect(answer.search).toBe(search);
      expect(answer.data).toHaveLength(100);
      const served = new Set(answer.data.map((d) => d.domain));
      recalls.push(exact[i].filter((domain) => served.has(domain)).length / exact[i].length);
    }
    const mean = recalls.reduce((a, b) => a + b, 0) / recalls.length;
    if (search === 'exact') {
      expect(mean).toBe(1);
      return;
    }
    expect(mean).toBeGreaterThanOrEqual(RECALL_FLOOR.mean);
    expect(Math.min(...recalls)).toBeGreaterThanOrEqual(RECALL_FLOOR.each);
    const index = await db.pool.query<{ options: string[] }>(
      "SELECT reloptions AS options FROM pg_class WHERE oid = to_regclass('account_vectors_hnsw')",
    );
    expect(index.rows[0].options).toEqual([`m=${HNSW_GRAPH.m}`, `ef_construction=${HNSW_GRAPH.efConstruction}`]);
    // The search's own statement, planned with its own settings, scans the index.
    const settings = [...statements].reverse().find((s) => s.text.includes('hnsw.ef_search'))!;
    const select = [...statements].reverse().find((s) => s.text.includes('ORDER BY') && s.values?.length)!;
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(settings.text);
      const plan = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${select.text}`, select.values);
      expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('Index Scan using account_vectors_hnsw');
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  }, 600_000);
});
