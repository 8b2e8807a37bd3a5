import type pg from 'pg';
import { withTransaction, type Queryable } from '../db/pool.ts';
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

/** Stores similarity vectors (sparsevec literals), replacing older ones. */
export async function saveVectors(
  db: Queryable,
  workspaceId: string,
  vocabularyVersion: number,
  vectors: { account_id: string; content_hash: string; embedding: string }[],
): Promise<void> {
  await db.query(
    `INSERT INTO account_vectors (account_id, workspace_id, vocabulary_version, content_hash, embedding)
     SELECT r.account_id, $1, $2, r.content_hash, r.embedding::sparsevec FROM jsonb_to_recordset($3::jsonb) AS r(account_id bigint, content_hash text, embedding text)
     ON CONFLICT (account_id) DO UPDATE SET vocabulary_version = EXCLUDED.vocabulary_version,
       content_hash = EXCLUDED.content_hash, embedding = EXCLUDED.embedding`,
    [workspaceId, vocabularyVersion, JSON.stringify(vectors)],
  );
}

/** Whether the HNSW index over account_vectors exists. */
export async function hnswIndexExists(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ present: boolean }>("SELECT to_regclass('account_vectors_hnsw') IS NOT NULL AS present");
  return rows[0].present;
}

/** Whether the server is the embedded PGlite (workers reach it over the wire, so the server is asked). */
export async function serverIsPglite(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ version: string }>('SELECT version()');
  return /PGlite/.test(rows[0].version);
}

/**
 * Builds the HNSW (cosine) index on account_vectors with `memory` of maintenance_work_mem for the
 * build's transaction: pgvector builds many times faster while the graph fits in it (64 MB by default;
 * a million accounts' graph takes ≈ 600 MB).
 */
export async function createHnswIndex(pool: pg.Pool, memory: string): Promise<void> {
  await withTransaction(pool, async (client) => {
    await client.query(`SET LOCAL maintenance_work_mem = '${memory}'`);
    await client.query('CREATE INDEX IF NOT EXISTS account_vectors_hnsw ON account_vectors USING hnsw (embedding sparsevec_cosine_ops)');
  });
}
