import type pg from 'pg';
import { accountBatchTexts, accountsFromText, accountsWithStaleVectors, countAccounts, toAccount } from '../accounts/repository.ts';
import type { Queryable } from '../db/pool.ts';
import { saveVectors, saveVocabulary, vocabularyBuild, vocabularyRow } from './repository.ts';
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
  for await (const batch of accountBatchTexts(db, workspaceId, VECTOR_BATCH * 5))
    builder.add(accountsFromText(batch.text).map((b) => b.account));
  return builder.build();
}

// The parsed vocabularies of recent workspaces, by the build they come from. At a million accounts one
// is megabytes of JSON, and the labels compiled from it (spec.ts caches them per object) cost as much
// again: a lookalike request would pay both. Whether the build changed is one small query.
const parsedVocabularies = new Map<string, { build: string; stored: StoredVocabulary }>();
const PARSED_VOCABULARIES = 8;

/** The workspace's vocabulary, unless it was built under another feature spec. */
export async function storedVocabulary(db: Queryable, workspaceId: string): Promise<StoredVocabulary | null> {
  const current = await vocabularyBuild(db, workspaceId);
  if (current?.specVersion !== FEATURE_SPEC_VERSION) return null;
  const cached = parsedVocabularies.get(workspaceId);
  if (cached?.build === current.build) return cached.stored;
  const row = await vocabularyRow(db, workspaceId);
  if (!row || row.specVersion !== FEATURE_SPEC_VERSION) return null;
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
    const size = await countAccounts(db, workspaceId);
    const ratio = (size + 1) / (stored.vocabulary.universeSize + 1);
    if (ratio <= REBUILD_SIZE_RATIO && ratio >= 1 / REBUILD_SIZE_RATIO) return stored;
  }
  const vocabulary = await countVocabulary(db, workspaceId);
  return { version: await saveVocabulary(db, workspaceId, FEATURE_SPEC_VERSION, vocabulary), vocabulary };
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
    const rows = await accountsWithStaleVectors(pool, workspaceId, after, version, VECTOR_BATCH);
    if (rows.length === 0) break;
    const vectors = rows.map((r) => ({
      account_id: r.id,
      content_hash: r.content_hash,
      embedding: sparsevecLiteral(similarityVector(toAccount(r), vocabulary)),
    }));
    await saveVectors(pool, workspaceId, version, vectors);
    vectorised += rows.length;
    after = rows[rows.length - 1].id;
    await onProgress?.(vectorised);
  }
  return { vocabularyVersion: version, vectorised };
}
