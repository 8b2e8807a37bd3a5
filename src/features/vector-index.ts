import type { Database } from '../db/pool.ts';
import { createHnswIndex, dropHnswIndex, hnswIndexExists, serverIsPglite, vectorCounts } from './repository.ts';

export type VectorSearch = 'hnsw' | 'exact';

/** Memory for the one HNSW build, not kept afterwards. */
const HNSW_BUILD_MEMORY = '1GB';

/**
 * The HNSW graph: 16 links a node (`m`, pgvector's default) and a build candidate list of 32
 * (`ef_construction`, half the default), which halves the build. Measured at 1M accounts on 2 shared
 * cores (docs/performance.md): 631 s against 1,166 s for the default graph; searched with
 * hnswSearchList's longer candidate list it finds at least as many of the exact nearest accounts as the
 * default graph did with the list it had (1.2 times the rows). `m` 8 built as fast but found fewer.
 */
export const HNSW_GRAPH = { m: 16, efConstruction: 32 } as const;

/**
 * The candidate list (`hnsw.ef_search`) of an index scan that is to yield `rows` rows: four times as
 * long, up to pgvector's 1,000 (a lookalike page of 100 fetches 250 rows: 1,000). It makes up for the
 * cheaper graph (HNSW_GRAPH): at 1.2 times, the default graph's old list, its mean recall@100 for ten
 * unrelated seeds was 0.83 (the default graph's 0.87; at 4 times 0.94).
 */
export function hnswSearchList(rows: number): number {
  return Math.min(1000, Math.max(40, rows * 4));
}

/**
 * A refresh writing at least this many vectors, and at least as many as account_vectors holds already,
 * drops the HNSW index first and builds it again after (pgvector's advice for initial loads): a build
 * links the graph in memory, with parallel workers, while each row written to an indexed table is
 * linked in on disk through shared buffers, one at a time. A rebuild also re-links the rows left
 * untouched, so it is kept for writes of at least half of the table (not measured against row-by-row
 * upkeep here).
 */
export const BULK_VECTOR_WRITE = 50_000;

/** How k-NN queries are answered now. Requests only ask; the vectorising job builds the index (it can take minutes). */
export async function vectorSearch(db: Database): Promise<VectorSearch> {
  return (await hnswIndexExists(db.pool)) ? 'hnsw' : 'exact';
}

/**
 * Before the vectorising job writes the workspace's stale vectors: drops the HNSW index when the write
 * is a bulk load (BULK_VECTOR_WRITE), so that ensureVectorIndex builds it once afterwards. Meanwhile
 * every workspace's lookalikes search exactly (src/prospects/lookalikes.ts). Never on PGlite, which has
 * no index. Whether it dropped the index.
 */
export async function dropVectorIndexForBulkWrite(db: Database, workspaceId: string, vocabularyVersion: number): Promise<boolean> {
  if (await serverIsPglite(db.pool)) return false;
  if (!(await hnswIndexExists(db.pool))) return false;
  const { stale, stored } = await vectorCounts(db.pool, workspaceId, vocabularyVersion);
  if (stale < BULK_VECTOR_WRITE || stale < stored) return false;
  return dropHnswIndex(db.pool);
}

/**
 * Creates the HNSW (cosine) index on PostgreSQL, from the vectorising job, once its vectors are written;
 * afterwards it is maintained row by row, unless a bulk write drops it again. Never on PGlite: the
 * embedded database is one connection on the API's thread, and an HNSW build there takes minutes
 * (≈150 s at 100k in WASM) during which every request of every tenant waits; exact search answers
 * instead (tens of milliseconds per query at 100k). 'exact' while another job is building it.
 */
export async function ensureVectorIndex(db: Database): Promise<VectorSearch> {
  if ((await vectorSearch(db)) === 'hnsw') return 'hnsw';
  if (await serverIsPglite(db.pool)) return 'exact';
  return (await createHnswIndex(db.pool, HNSW_BUILD_MEMORY, HNSW_GRAPH)) ? 'hnsw' : 'exact';
}
