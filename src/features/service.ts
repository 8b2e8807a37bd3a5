import type pg from 'pg';
import { ACCOUNT_COLUMNS, toAccount, type AccountRow } from '../accounts/repository.ts';
import type { Account } from '../accounts/schema.ts';
import type { Queryable } from '../db/pool.ts';
import { FEATURE_SPEC_VERSION, similarityVector, sparsevecLiteral } from './spec.ts';
import { VocabularyBuilder, type Vocabulary } from './vocabulary.ts';

/** The vocabulary is rebuilt (and every vector recomputed) once the universe has grown or shrunk this much. */
const REBUILD_SIZE_RATIO = 1.25;
/** Accounts featurised and written per statement. */
const VECTOR_BATCH = 2_000;

export interface StoredVocabulary {
  version: number;
  vocabulary: Vocabulary;
}

/**
 * Document frequencies over the whole universe, counted by the one token definition
 * (`accountTokens`) as accounts stream past in batches.
 */
export async function countVocabulary(db: Queryable, workspaceId: string): Promise<Vocabulary> {
  const builder = new VocabularyBuilder();
  for await (const batch of accountBatches(db, workspaceId, VECTOR_BATCH * 5)) builder.add(batch.map((b) => b.account));
  return builder.build();
}

async function universeSize(db: Queryable, workspaceId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts WHERE workspace_id = $1', [workspaceId]);
  return rows[0].n;
}

// The parsed vocabularies of recent workspaces, by the build they come from. At a million accounts one
// is megabytes of JSON, and the labels compiled from it (spec.ts caches them per object) cost as much
// again: a lookalike request would pay both. Whether the build changed is one small query.
const parsedVocabularies = new Map<string, { build: string; stored: StoredVocabulary }>();
const PARSED_VOCABULARIES = 8;

export async function storedVocabulary(db: Queryable, workspaceId: string): Promise<StoredVocabulary | null> {
  const { rows } = await db.query<{ spec_version: number; build: string }>(
    "SELECT spec_version, version || '@' || built_at AS build FROM feature_vocabularies WHERE workspace_id = $1",
    [workspaceId],
  );
  if (rows[0]?.spec_version !== FEATURE_SPEC_VERSION) return null;
  const cached = parsedVocabularies.get(workspaceId);
  if (cached?.build === rows[0].build) return cached.stored;
  const { rows: full } = await db.query<{ version: number; build: string; vocabulary: Vocabulary }>(
    "SELECT version, version || '@' || built_at AS build, vocabulary FROM feature_vocabularies WHERE workspace_id = $1 AND spec_version = $2",
    [workspaceId, FEATURE_SPEC_VERSION],
  );
  const row = full[0];
  if (!row) return null;
  const stored = { version: row.version, vocabulary: row.vocabulary };
  parsedVocabularies.delete(workspaceId);
  if (parsedVocabularies.size >= PARSED_VOCABULARIES) parsedVocabularies.delete(parsedVocabularies.keys().next().value!);
  parsedVocabularies.set(workspaceId, { build: row.build, stored });
  return stored;
}

/**
 * The workspace's current vocabulary, rebuilt when there is none, the feature spec changed, or the
 * universe size drifted past REBUILD_SIZE_RATIO since it was built. Otherwise it is kept, so stored
 * vectors stay valid and only changed accounts are re-vectorised.
 */
export async function currentVocabulary(db: Queryable, workspaceId: string): Promise<StoredVocabulary> {
  const stored = await storedVocabulary(db, workspaceId);
  if (stored) {
    const size = await universeSize(db, workspaceId);
    const ratio = (size + 1) / (stored.vocabulary.universeSize + 1);
    if (ratio <= REBUILD_SIZE_RATIO && ratio >= 1 / REBUILD_SIZE_RATIO) return stored;
  }
  const vocabulary = await countVocabulary(db, workspaceId);
  const { rows } = await db.query<{ version: number }>(
    `INSERT INTO feature_vocabularies (workspace_id, version, spec_version, universe_size, vocabulary)
     VALUES ($1, 1, $2, $3, $4)
     ON CONFLICT (workspace_id) DO UPDATE SET version = feature_vocabularies.version + 1, spec_version = EXCLUDED.spec_version,
       universe_size = EXCLUDED.universe_size, vocabulary = EXCLUDED.vocabulary, built_at = now()
     RETURNING version`,
    [workspaceId, FEATURE_SPEC_VERSION, vocabulary.universeSize, JSON.stringify(vocabulary)],
  );
  return { version: rows[0].version, vocabulary };
}

/**
 * Brings account_vectors (similarity vectors) up to date: only accounts without a vector, changed since theirs was
 * computed, or vectorised under an older vocabulary are featurised again.
 */
export async function refreshVectors(
  pool: pg.Pool,
  workspaceId: string,
  onProgress?: (done: number) => Promise<void>,
): Promise<{ vocabularyVersion: number; vectorised: number }> {
  const { version, vocabulary } = await currentVocabulary(pool, workspaceId);
  let vectorised = 0;
  let after = '0';
  for (;;) {
    const { rows } = await pool.query<AccountRow & { content_hash: string }>(
      `SELECT ${ACCOUNT_COLUMNS}, a.content_hash FROM accounts a
       LEFT JOIN account_vectors v ON v.account_id = a.id
       WHERE a.workspace_id = $1 AND a.id > $2
         AND (v.account_id IS NULL OR v.content_hash <> a.content_hash OR v.vocabulary_version <> $3)
       ORDER BY a.id LIMIT $4`,
      [workspaceId, after, version, VECTOR_BATCH],
    );
    if (rows.length === 0) break;
    const vectors = rows.map((r) => ({
      account_id: r.id,
      content_hash: r.content_hash,
      embedding: sparsevecLiteral(similarityVector(toAccount(r), vocabulary)),
    }));
    await pool.query(
      `INSERT INTO account_vectors (account_id, workspace_id, vocabulary_version, content_hash, embedding)
       SELECT r.account_id, $1, $2, r.content_hash, r.embedding::sparsevec FROM jsonb_to_recordset($3::jsonb) AS r(account_id bigint, content_hash text, embedding text)
       ON CONFLICT (account_id) DO UPDATE SET vocabulary_version = EXCLUDED.vocabulary_version,
         content_hash = EXCLUDED.content_hash, embedding = EXCLUDED.embedding`,
      [workspaceId, version, JSON.stringify(vectors)],
    );
    vectorised += rows.length;
    after = rows[rows.length - 1].id;
    await onProgress?.(vectorised);
  }
  return { vocabularyVersion: version, vectorised };
}

/** Streams a workspace's accounts in id order, a batch at a time (training and scoring read the universe this way). */
export async function* accountBatches(
  db: Queryable,
  workspaceId: string,
  batchSize: number,
  range: { fromId?: string; toId?: string } = {},
): AsyncGenerator<{ id: string; account: Account }[]> {
  let after = range.fromId ?? '0';
  for (;;) {
    const { rows } = await db.query<AccountRow>(
      `SELECT ${ACCOUNT_COLUMNS} FROM accounts a WHERE a.workspace_id = $1 AND a.id > $2 AND ($3::bigint IS NULL OR a.id <= $3)
       ORDER BY a.id LIMIT $4`,
      [workspaceId, after, range.toId ?? null, batchSize],
    );
    if (rows.length === 0) return;
    yield rows.map((r) => ({ id: r.id, account: toAccount(r) }));
    after = rows[rows.length - 1].id;
  }
}
