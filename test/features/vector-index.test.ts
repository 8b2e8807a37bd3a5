/**
 * The vectorising job never builds an HNSW index in the embedded database: once the
 * vector table passed 50,000 rows it did, inside the API process, and every request of every tenant
 * waited for ~17 minutes. On PostgreSQL the index is built (by the job, not a request).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropVectorIndexForBulkWrite, ensureVectorIndex, vectorSearch } from '../../src/features/vector-index.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

describe('vector index', () => {
  let t: TestApp;
  let workspaceId: string;
  beforeAll(async () => {
    t = await createTestApp();
    const ws = await t.newWorkspace();
    workspaceId = ws.id;
    // 60,000 accounts with a vector each, written by SQL: past the old 50,000-vector threshold. In
    // statements of 5,000: PGlite runs a statement on this thread, and a long one stalls the test runner.
    for (let from = 1; from <= 60_000; from += 5_000) {
      await t.db.pool.query(
        `WITH added AS (
           INSERT INTO accounts (workspace_id, domain, content_hash)
           SELECT $1, 'a' || i || '.example', 'h' FROM generate_series($2::int, $2::int + 4999) i RETURNING id, workspace_id)
         INSERT INTO account_vectors (account_id, workspace_id, vocabulary_version, content_hash, embedding)
         SELECT id, workspace_id, 1, 'h', ('{' || (1 + id % 500) || ':1}/1000000')::sparsevec FROM added`,
        [ws.id, from],
      );
    }
  }, 300_000);
  afterAll(() => t.close());

  it('answers exactly on PGlite however many vectors there are, and builds HNSW on PostgreSQL', async () => {
    const search = await ensureVectorIndex(t.db);
    expect(search).toBe(t.db.mode === 'pglite' ? 'exact' : 'hnsw');
    expect(await vectorSearch(t.db)).toBe(search);
  }, 300_000);

  it('drops the index before a bulk write (every vector stale) and builds it again after; not for a small one', async () => {
    // Vocabulary version 1 is the vectors' own: nothing is stale, the index stays.
    expect(await dropVectorIndexForBulkWrite(t.db, workspaceId, 1)).toBe(false);
    expect(await vectorSearch(t.db)).toBe(t.db.mode === 'pglite' ? 'exact' : 'hnsw');
    // Under version 2 all 60,000 are stale: more than BULK_VECTOR_WRITE and as many as the table holds.
    expect(await dropVectorIndexForBulkWrite(t.db, workspaceId, 2)).toBe(t.db.mode !== 'pglite');
    expect(await vectorSearch(t.db)).toBe('exact');
    expect(await ensureVectorIndex(t.db)).toBe(t.db.mode === 'pglite' ? 'exact' : 'hnsw');
  }, 300_000);
});
