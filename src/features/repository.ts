import type pg from 'pg';
import type { Queryable } from '../db/pool.ts';
import type { Vocabulary } from './vocabulary.ts';

export interface VocabularyRow {
  version: number;
  specVersion: number;
  /** Which build this is (version and build time): a cached parse of it stays valid while this does. */
  build: string;
  vocabulary: Vocabulary;
}

const BUILD = "version || '@' || built_at";

/** The workspace's vocabulary build, without the vocabulary itself (one small row). */
export async function vocabularyBuild(db: Queryable, workspaceId: string): Promise<Pick<VocabularyRow, 'specVersion' | 'build'> | null> {
  const { rows } = await db.query<{ spec_version: number; build: string }>(
    `SELECT spec_version, ${BUILD} AS build FROM feature_vocabularies WHERE workspace_id = $1`,
    [workspaceId],
  );
  return rows[0] ? { specVersion: rows[0].spec_version, build: rows[0].build } : null;
}

export async function vocabularyRow(db: Queryable, workspaceId: string): Promise<VocabularyRow | null> {
  const { rows } = await db.query<{ version: number; spec_version: number; build: string; vocabulary: Vocabulary }>(
    `SELECT version, spec_version, ${BUILD} AS build, vocabulary FROM feature_vocabularies WHERE workspace_id = $1`,
    [workspaceId],
  );
  const row = rows[0];
  return row ? { version: row.version, specVersion: row.spec_version, build: row.build, vocabulary: row.vocabulary } : null;
}

/** Stores the workspace's new vocabulary under the next version; returns that version. */
export async function saveVocabulary(db: Queryable, workspaceId: string, specVersion: number, vocabulary: Vocabulary): Promise<number> {
  const { rows } = await db.query<{ version: number }>(
    `INSERT INTO feature_vocabularies (workspace_id, version, spec_version, universe_size, vocabulary)
     VALUES ($1, 1, $2, $3, $4)
     ON CONFLICT (workspace_id) DO UPDATE SET version = feature_vocabularies.version + 1, spec_version = EXCLUDED.spec_version,
       universe_size = EXCLUDED.universe_size, vocabulary = EXCLUDED.vocabulary, built_at = now()
     RETURNING version`,
    [workspaceId, specVersion, vocabulary.universeSize, JSON.stringify(vocabulary)],
  );
  return rows[0].version;
}

/**
 * Stores similarity vectors (sparsevec literals), replacing older ones: one array parameter per column,
 * which PostgreSQL reads several times faster than a JSON object per row.
 */
export async function saveVectors(
  db: Queryable,
  workspaceId: string,
  vocabularyVersion: number,
  vectors: { accountIds: string[]; contentHashes: string[]; embeddings: string[] },
): Promise<void> {
  await db.query(
    `INSERT INTO account_vectors (account_id, workspace_id, vocabulary_version, content_hash, embedding)
     SELECT r.account_id, $1, $2, r.content_hash, r.embedding::sparsevec
     FROM unnest($3::bigint[], $4::text[], $5::text[]) AS r(account_id, content_hash, embedding)
     ON CONFLICT (account_id) DO UPDATE SET vocabulary_version = EXCLUDED.vocabulary_version,
       content_hash = EXCLUDED.content_hash, embedding = EXCLUDED.embedding`,
    [workspaceId, vocabularyVersion, vectors.accountIds, vectors.contentHashes, vectors.embeddings],
  );
}

/** Vectors a refresh of the workspace would write (see staleVectorBatchTexts), and all rows of account_vectors. */
export async function vectorCounts(
  db: Queryable,
  workspaceId: string,
  vocabularyVersion: number,
): Promise<{ stale: number; stored: number }> {
  const { rows } = await db.query<{ stale: number; stored: number }>(
    `SELECT (SELECT count(*)::int FROM accounts a LEFT JOIN account_vectors v ON v.account_id = a.id
             WHERE a.workspace_id = $1 AND (v.account_id IS NULL OR v.content_hash <> a.content_hash OR v.vocabulary_version <> $2)) AS stale,
            (SELECT count(*)::int FROM account_vectors) AS stored`,
    [workspaceId, vocabularyVersion],
  );
  return rows[0];
}
/** Whether the HNSW index over account_vectors is there and usable: one still being built (concurrently) or left invalid by a failed build is not. */
export async function hnswIndexExists(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ present: boolean }>(
    "SELECT coalesce((SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('account_vectors_hnsw')), false) AS present",
  );
  return rows[0].present;
}

/** Whether the server is the embedded PGlite (workers reach it over the wire, so the server is asked). */
export async function serverIsPglite(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ version: string }>('SELECT version()');
  return /PGlite/.test(rows[0].version);
}

/** Advisory lock held by whoever builds or drops the HNSW index, so two jobs never do both at once. */
const HNSW_LOCK_KEY = 7_402_113_925;

/**
 * Runs `work` on a connection of its own while holding the HNSW lock, or returns null at once when
 * another connection holds it (a build is under way there). PostgreSQL only.
 */
async function withHnswLock<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T | null> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [HNSW_LOCK_KEY]);
    if (!rows[0].locked) return null;
    try {
      return await work(client);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [HNSW_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

/**
 * Builds the HNSW (cosine) index on account_vectors unless a valid one exists; false when another
 * connection is building it. CONCURRENTLY: writes to account_vectors (other workspaces' vectors,
 * deleted accounts) go on during a build that takes minutes at a million rows, and k-NN queries
 * search exactly until the index is valid. With `memory` of maintenance_work_mem unless the server
 * allows more (pgvector builds many times faster while the graph fits in it: 64 MB by default; a
 * million accounts' graph takes ≈ 600 MB) and as many parallel workers as the server's
 * max_parallel_maintenance_workers allows for the table's size, and `graph`'s settings. An invalid
 * index left by a failed build is dropped first.
 */
export async function createHnswIndex(pool: pg.Pool, memory: string, graph: { m: number; efConstruction: number }): Promise<boolean> {
  const built = await withHnswLock(pool, async (client) => {
    if (await hnswIndexExists(client)) return true;
    await client.query('DROP INDEX CONCURRENTLY IF EXISTS account_vectors_hnsw');
    const { rows } = await client.query<{ raise: boolean }>(
      "SELECT pg_size_bytes(current_setting('maintenance_work_mem')) < pg_size_bytes($1) AS raise",
      [memory],
    );
    if (rows[0].raise) await client.query(`SET maintenance_work_mem = '${memory}'`);
    try {
      await client.query(
        `CREATE INDEX CONCURRENTLY account_vectors_hnsw ON account_vectors USING hnsw (embedding sparsevec_cosine_ops)
         WITH (m = ${Math.trunc(graph.m)}, ef_construction = ${Math.trunc(graph.efConstruction)})`,
      );
    } finally {
      await client.query('RESET maintenance_work_mem');
    }
    return true;
  });
  return built ?? false;
}

/**
 * Drops the HNSW index before a bulk write (see dropVectorIndexForBulkWrite); false when another
 * connection is building it (the write then maintains it row by row).
 */
export async function dropHnswIndex(pool: pg.Pool): Promise<boolean> {
  const dropped = await withHnswLock(pool, async (client) => {
    await client.query('DROP INDEX CONCURRENTLY IF EXISTS account_vectors_hnsw');
    return true;
  });
  return dropped ?? false;
}
