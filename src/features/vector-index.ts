import type { Database } from '../db/pool.ts';

/**
 * Below this many vectors PGlite answers k-NN by exact scan (≈45 ms per query at 100k, see DESIGN §5);
 * an HNSW index in WASM costs ≈150 s to build at 100k and slows every insert, so it is only worth it above.
 */
export const PGLITE_HNSW_MIN_VECTORS = 50_000;

export type VectorSearch = 'hnsw' | 'exact';

/** How k-NN queries are answered now. Requests only ask; the vectorising job builds the index (it can take minutes). */
export async function vectorSearch(db: Database): Promise<VectorSearch> {
  const { rows } = await db.pool.query("SELECT to_regclass('account_vectors_hnsw') IS NOT NULL AS present");
  return rows[0].present ? 'hnsw' : 'exact';
}

/**
 * Creates the HNSW (cosine) index when it pays, from the vectorising job: always on PostgreSQL, on
 * PGlite once the table is large. Afterwards it is maintained incrementally.
 */
export async function ensureVectorIndex(db: Database): Promise<VectorSearch> {
  if ((await vectorSearch(db)) === 'hnsw') return 'hnsw';
  // Workers reach an embedded database over the wire (pglite-socket), so ask the server what it is.
  const { rows: server } = await db.pool.query<{ version: string }>('SELECT version()');
  if (/PGlite/.test(server[0].version)) {
    const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM account_vectors');
    if (rows[0].n < PGLITE_HNSW_MIN_VECTORS) return 'exact';
  }
  await db.pool.query('CREATE INDEX IF NOT EXISTS account_vectors_hnsw ON account_vectors USING hnsw (embedding sparsevec_cosine_ops)');
  return 'hnsw';
}
