import { withTransaction, type Database } from '../db/pool.ts';

export type VectorSearch = 'hnsw' | 'exact';

/** Memory for the one HNSW build, not kept afterwards. */
const HNSW_BUILD_MEMORY = '1GB';

/** How k-NN queries are answered now. Requests only ask; the vectorising job builds the index (it can take minutes). */
export async function vectorSearch(db: Database): Promise<VectorSearch> {
  const { rows } = await db.pool.query("SELECT to_regclass('account_vectors_hnsw') IS NOT NULL AS present");
  return rows[0].present ? 'hnsw' : 'exact';
}

/**
 * Creates the HNSW (cosine) index on PostgreSQL, from the vectorising job; afterwards it is maintained
 * incrementally. Never on PGlite: the embedded database is one connection on the API's thread, and an
 * HNSW build there takes minutes (≈150 s at 100k in WASM) during which every request of every tenant
 * waits; exact search answers instead (tens of milliseconds per query at 100k).
 */
export async function ensureVectorIndex(db: Database): Promise<VectorSearch> {
  if ((await vectorSearch(db)) === 'hnsw') return 'hnsw';
  // Workers reach an embedded database over the wire (pglite-socket), so ask the server what it is.
  const { rows: server } = await db.pool.query<{ version: string }>('SELECT version()');
  if (/PGlite/.test(server[0].version)) return 'exact';
  // pgvector builds many times faster while the graph fits in maintenance_work_mem (64 MB by default);
  // a million accounts' graph takes ≈ 600 MB.
  await withTransaction(db.pool, async (client) => {
    await client.query(`SET LOCAL maintenance_work_mem = '${HNSW_BUILD_MEMORY}'`);
    await client.query('CREATE INDEX IF NOT EXISTS account_vectors_hnsw ON account_vectors USING hnsw (embedding sparsevec_cosine_ops)');
  });
  return 'hnsw';
}
