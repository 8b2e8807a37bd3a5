import type pg from 'pg';
import { accountBatchTexts, accountsFromText, countAccounts, staleVectorBatchTexts } from '../accounts/repository.ts';
import { computeTask, runTask } from '../compute/thread.ts';
import type { Queryable } from '../db/pool.ts';
import { saveVectors, saveVocabulary, vectorCounts, vocabularyBuild, vocabularyRow } from './repository.ts';
import { FEATURE_SPEC_VERSION, similarityVector, sparsevecLiteral } from './spec.ts';
import { VocabularyBuilder, type Vocabulary } from './vocabulary.ts';

/** The vocabulary is rebuilt (and every vector recomputed) once the universe has grown or shrunk this much. */
const REBUILD_SIZE_RATIO = 1.25;
/** Accounts read per statement when counting the vocabulary, and looked at per statement when vectorising. */
const VECTOR_BATCH = 5_000;

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
  for await (const batch of accountBatchTexts(db, workspaceId, VECTOR_BATCH * 2))
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

/** Accounts a refresh of the workspace would vectorise (see refreshVectors): every one before its first vocabulary. */
export async function staleVectorCount(db: Queryable, workspaceId: string): Promise<number> {
  const stored = await storedVocabulary(db, workspaceId);
  if (!stored) return countAccounts(db, workspaceId);
  return (await vectorCounts(db, workspaceId, stored.version)).stale;
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
  return writeStaleVectors(pool, workspaceId, await currentVocabulary(pool, workspaceId), onProgress);
}

/**
 * The stale vectors of the workspace under `vocabulary` (see refreshVectors), computed on the compute
 * thread. A two-stage pipeline as in scoring: the compute thread vectorises batch n + 1 while this
 * thread writes batch n and reads batch n + 2; batches go to the thread as the JSON text they are read as.
 */
export async function writeStaleVectors(
  pool: pg.Pool,
  workspaceId: string,
  { version, vocabulary }: StoredVocabulary,
  onProgress?: (done: number) => Promise<void>,
): Promise<{ vocabularyVersion: number; vectorised: number }> {
  const batches = staleVectorBatchTexts(pool, workspaceId, version, VECTOR_BATCH);
  const read = async () => {
    const next = await batches.next();
    return next.done ? null : next.value;
  };
  const vocabularyKey = `${workspaceId}@${version}`;
  const vectorise = (text: string | null) => {
    if (text === null) return null;
    const done = vectoriseOnComputeThread({ vocabularyKey, accounts: text }, vocabulary);
    done.catch(() => {}); // awaited below; not an unhandled rejection while the next batch is read
    return done;
  };
  let vectorised = 0;
  let vectorising = vectorise(await read());
  while (vectorising) {
    const following = await read();
    const vectors = await vectorising;
    vectorising = vectorise(following);
    await saveVectors(pool, workspaceId, version, vectors);
    vectorised += vectors.accountIds.length;
    await onProgress?.(vectorised);
  }
  return { vocabularyVersion: version, vectorised };
}

export interface VectoriseBatchInput {
  /** The workspace and vocabulary version: the compute thread keeps recent vocabularies by it. */
  vocabularyKey: string;
  /** Sent when the compute thread lacks it (it answers `{ missingVocabulary: true }`): megabytes at a million accounts. */
  vocabulary?: Vocabulary;
  /** Accounts as `accountBatchTexts` reads them. */
  accounts: string;
}

/** The compute thread's vocabularies, by key; each is also the key of spec.ts's compiled weights. */
const threadVocabularies = new Map<string, Vocabulary>();

/** Similarity vectors of a batch as sparsevec literals, with the account ids and the content hashes they were computed from (a compute-thread task). */
export function vectoriseBatch(
  input: VectoriseBatchInput,
): { missingVocabulary: true } | { accountIds: string[]; contentHashes: string[]; embeddings: string[] } {
  let vocabulary = threadVocabularies.get(input.vocabularyKey);
  if (!vocabulary) {
    if (!input.vocabulary) return { missingVocabulary: true };
    vocabulary = input.vocabulary;
    if (threadVocabularies.size >= PARSED_VOCABULARIES) threadVocabularies.delete(threadVocabularies.keys().next().value!);
    threadVocabularies.set(input.vocabularyKey, vocabulary);
  }
  const accountIds: string[] = [];
  const contentHashes: string[] = [];
  const embeddings: string[] = [];
  for (const { id, account, contentHash } of accountsFromText(input.accounts)) {
    accountIds.push(id);
    contentHashes.push(contentHash);
    embeddings.push(sparsevecLiteral(similarityVector(account, vocabulary)));
  }
  return { accountIds, contentHashes, embeddings };
}
const VECTORISE_BATCH_TASK = computeTask(import.meta.url, vectoriseBatch);

/** Vectorises a batch on the compute thread, sending the vocabulary along the first time the thread needs it. */
async function vectoriseOnComputeThread(input: Omit<VectoriseBatchInput, 'vocabulary'>, vocabulary: Vocabulary) {
  const first = await runTask(VECTORISE_BATCH_TASK, input);
  if ('accountIds' in first) return first;
  const again = await runTask(VECTORISE_BATCH_TASK, { ...input, vocabulary });
  if ('accountIds' in again) return again;
  throw new Error(`the compute thread could not load vocabulary ${input.vocabularyKey}`);
}
