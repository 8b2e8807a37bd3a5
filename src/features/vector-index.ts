import type { Database } from '../db/pool.ts';
import { createHnswIndex, hnswIndexExists, serverIsPglite } from './repository.ts';

export type VectorSearch = 'hnsw' | 'exact';

/** Memory for the one HNSW build, not kept afterwards. */
const HNSW_BUILD_MEMORY = '1GB';

/** How k-NN queries are answered now. Requests only ask; the vectorising job builds the index (it can take minutes). */
export async function vectorSearch(db: Database): Promise<VectorSearch> {
  return (await hnswIndexExists(db.pool)) ? 'hnsw' : 'exact';
}

/**
 * Creates the HNSW (cosine) index on PostgreSQL, from the vectorising job; afterwards it is maintained
 * incrementally. Never on PGlite: the embedded database is one connection on the API's thread, and an
 * HNSW build there takes minutes (≈150 s at 100k in WASM) during which every request of every tenant
 * waits; exact search answers instead (tens of milliseconds per query at 100k).
 */
export async function ensureVectorIndex(db: Database): Promise<VectorSearch> {
  if ((await vectorSearch(db)) === 'hnsw') return 'hnsw';
  if (await serverIsPglite(db.pool)) return 'exact';
  await createHnswIndex(db.pool, HNSW_BUILD_MEMORY);
  return 'hnsw';
}
