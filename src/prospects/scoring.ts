import type pg from 'pg';
import { accountBatchTexts, accountsFromText } from '../accounts/repository.ts';
import type { Account } from '../accounts/schema.ts';
import type { Queryable } from '../db/pool.ts';
import { accountVectors, describeFeatures, type FeatureInfo, type SparseVector } from '../features/spec.ts';
import { intentScore, type IntentSignal } from '../signals/intent.ts';
import { recentSignalsText, signalsFromText } from '../signals/repository.ts';
import { explainFit, type Contributions } from '../model/explain.ts';
import { DenseScratch } from '../model/forest.ts';
import { criteriaScore } from '../icp/criteria.ts';
import type { Spellings } from '../icp/kinds.ts';
import { tokenKind, tokenValue, type Vocabulary } from '../features/vocabulary.ts';
import { combineScore, SIMILARITY_TOP_K, similarityScore, tierCutoffs, WonIndex, type TierCutoffs } from '../model/ranking.ts';
import { modelArtifact, type ModelArtifact } from '../model/repository.ts';
import { completeScoreRun, countScoredBatch, insertScoreRows, pruneScoreRuns, runScores, scoreRun, vacuumScores } from './repository.ts';
import { computeTask, runTask } from '../compute/thread.ts';
import { storedExplanation, type ExplanationInput, type StoredExplanation } from './explanation.ts';
import { DomainError } from '../lib/errors.ts';

/** Accounts scored and written per statement. */
const SCORE_BATCH = 2_000;
/** Nearest won accounts kept per account. */
const SIMILAR_KEPT = 3;

/** A model ready to score: its artifact plus what scoring derives from it once. */
export interface ScoringModel {
  id: string;
  artifact: ModelArtifact;
  features: FeatureInfo[];
  won: WonIndex;
  /** Dense view of one account's model features at a time (one per model; scoring is synchronous). */
  scratch: DenseScratch;
  /** The industries' spellings the vocabulary keeps, for the labels of declared criteria. */
  spellings: Spellings;
}

const industrySpellings = (vocabulary: Vocabulary): Spellings => ({
  industry: new Map(
    vocabulary.tokens.flatMap((t) =>
      t.spelling !== undefined && tokenKind(t.token) === 'industry' ? [[tokenValue(t.token), t.spelling]] : [],
    ),
  ),
});

/** Scoring models of this thread (the API's, or the compute thread's), by model id. */
const loaded = new Map<string, ScoringModel>();

function scoringModel(modelId: string, artifact: ModelArtifact): ScoringModel {
  const features = describeFeatures(artifact.vocabulary);
  const model = {
    id: modelId,
    artifact,
    features,
    won: new WonIndex(artifact.won.map((w) => w.vector)),
    scratch: new DenseScratch(features.length),
    spellings: industrySpellings(artifact.vocabulary),
  };
  if (loaded.size >= 8) loaded.delete(loaded.keys().next().value!);
  loaded.set(modelId, model);
  return model;
}

export async function loadScoringModel(db: Queryable, modelId: string): Promise<ScoringModel> {
  return loaded.get(modelId) ?? scoringModel(modelId, await modelArtifact(db, modelId));
}

export interface AccountScore {
  score: number;
  fit: number | null;
  similarity: number;
  intent: number;
  /** Model features (sparse). */
  features: SparseVector;
  /** Similarity vector (sparse, unit length). */
  similarityVector: SparseVector;
  contributions: Contributions | null;
  /** Indexes into the model's won list, nearest first. */
  similar: { index: number; similarity: number }[];
  intentResult: ReturnType<typeof intentScore>;
  /** Declared criteria met, when they are part of the ranking (cold start). */
  criteria: ReturnType<typeof criteriaScore> | null;
}

/** Won accounts kept per scored account: as many as the similarity sub-score and the stored list need. */
const NEAREST_KEPT = Math.max(SIMILAR_KEPT, SIMILARITY_TOP_K);

/**
 * The NEAREST_KEPT most similar won accounts, most similar first (ties by index), leaving out the
 * account itself, found without sorting the full list (the universe job does this for every account).
 */
function nearestWon(model: ScoringModel, sims: Float64Array, id: string | undefined): { index: number; similarity: number }[] {
  const top: { index: number; similarity: number }[] = [];
  const won = model.artifact.won;
  for (let index = 0; index < sims.length; index++) {
    const similarity = sims[index];
    if (top.length === NEAREST_KEPT && similarity <= top[NEAREST_KEPT - 1].similarity) continue;
    if (won[index].id === id) continue;
    let at = top.length;
    while (at > 0 && top[at - 1].similarity < similarity) at--;
    top.splice(at, 0, { index, similarity });
    if (top.length > NEAREST_KEPT) top.pop();
  }
  return top;
}

/** An account whose score came out as no finite number: it is left out of the run (and its fit is a 422), not stored. */
export class UnscorableAccount extends DomainError {
  constructor(domain: string, reason: string) {
    super('unprocessable', 'account_not_scorable', `Account ${domain} cannot be scored: ${reason}`, { reason });
  }
}

/** Throws UnscorableAccount unless every number a score is made of is finite. */
function checkFinite(domain: string, s: Pick<AccountScore, 'score' | 'fit' | 'similarity' | 'intent'>): void {
  for (const [name, value] of Object.entries(s)) {
    if (value !== null && !Number.isFinite(value)) throw new UnscorableAccount(domain, `its ${name} is not a finite number`);
  }
}

/**
 * Scores one account: the single definition used by the universe job and by on-demand fit.
 * `id` (the account's id) lets the forest score out-of-bag and keeps an account from counting as
 * similar to itself. Never returns NaN or an infinite number: it throws UnscorableAccount instead.
 */
export function scoreAccount(
  model: ScoringModel,
  account: Account,
  id: string | undefined,
  signals: IntentSignal[],
  now: Date,
): AccountScore {
  const { vocabulary, forest, blend } = model.artifact;
  const { features, similarity: vector } = accountVectors(account, vocabulary);
  const explanation = forest ? explainFit(forest, model.scratch.of(features), id) : null;
  const nearest = nearestWon(model, model.won.similarities(vector), id);
  const similarity = similarityScore(nearest.map((c) => c.similarity));
  const intentResult = intentScore(signals, now);
  const fit = explanation?.fit ?? null;
  const criteria =
    fit === null && model.artifact.criteria.length > 0 ? criteriaScore(account, model.artifact.criteria, model.spellings) : null;
  const score = combineScore({ fit, similarity, intent: intentResult.score, criteria: criteria?.score ?? null }, blend);
  checkFinite(account.domain, { score, fit, similarity, intent: intentResult.score });
  return {
    score,
    fit,
    similarity,
    intent: intentResult.score,
    features,
    similarityVector: vector,
    contributions: explanation?.contributions ?? null,
    similar: nearest.slice(0, SIMILAR_KEPT),
    intentResult,
    criteria,
  };
}

/** What explains a score: the account and what scoreAccount found. */
export const explanationInput = (account: Account, s: AccountScore): ExplanationInput => ({
  account,
  vectors: { features: s.features, similarity: s.similarityVector },
  contributions: s.contributions,
  similar: s.similar,
  intent: s.intentResult,
  criteria: s.criteria,
});

/** Scores as runs store them and the API shows them: 5 decimal places, the precision of a stored real. */
export const roundScore = (x: number) => Math.round(x * 1e5) / 1e5;

export interface ScoreBatchInput {
  modelId: string;
  /** Sent when the compute thread lacks the model (it answers `{ missingModel: true }`). */
  artifact?: ModelArtifact;
  /** A batch of accounts as `accountBatchTexts` reads it, and their recent signals as `recentSignalsText` does. */
  accounts: string;
  signals: string;
  now: Date;
}

/**
 * The account_scores rows of a batch, as the JSON text the store statement reads: a compute-thread task
 * (see scoreAccountRange). Text in and text out, so the thread that talks to the database neither
 * builds nor clones thousands of objects per batch.
 */
export function scoreBatch(input: ScoreBatchInput): { missingModel: true } | { rows: string; skipped: SkippedAccount[] } {
  const model = loaded.get(input.modelId) ?? (input.artifact ? scoringModel(input.modelId, input.artifact) : null);
  if (!model) return { missingModel: true };
  const signals = signalsFromText(input.signals);
  const rows: ScoreRow[] = [];
  const skipped: SkippedAccount[] = [];
  for (const { id, account } of accountsFromText(input.accounts)) {
    // One account that cannot be scored is left out with its reason; the rest of the run goes on.
    try {
      const s = scoreAccount(model, account, id, signals.get(id) ?? [], input.now);
      rows.push({
        account_id: id,
        score: roundScore(s.score),
        fit: roundScore(s.fit ?? 0),
        similarity: roundScore(s.similarity),
        intent: roundScore(s.intent),
        criteria: s.criteria ? roundScore(s.criteria.score) : null,
        explanation: storedExplanation(model, explanationInput(account, s)),
      });
    } catch (err) {
      const reason = err instanceof UnscorableAccount ? (err.details as { reason: string }).reason : `scoring failed (${String(err)})`;
      skipped.push({ accountId: id, domain: account.domain, reason });
    }
  }
  return { rows: JSON.stringify(rows), skipped };
}

/** An account a scoring run left out, and why (logged, and counted on the job). */
export interface SkippedAccount {
  accountId: string;
  domain: string;
  reason: string;
}

/** One account_scores row as scoring writes it (pages read the same columns). */
export interface ScoreRow {
  account_id: string;
  score: number;
  fit: number;
  similarity: number;
  intent: number;
  criteria: number | null;
  explanation: StoredExplanation;
}

/** Scores a batch on the compute thread, sending the model along the first time the thread needs it. */
async function scoreOnComputeThread(db: Queryable, input: Omit<ScoreBatchInput, 'artifact'>) {
  const first = await runTask(SCORE_BATCH_TASK, input);
  if ('rows' in first) return first;
  const again = await runTask(SCORE_BATCH_TASK, {
    ...input,
    artifact: await modelArtifact(db, input.modelId),
  });
  if ('rows' in again) return again;
  throw new Error(`the compute thread could not load model ${input.modelId}`);
}
/** Scoring a batch on the compute thread. */
const SCORE_BATCH_TASK = computeTask(import.meta.url, scoreBatch);

/** Scores the accounts of one id range (or all) into a run; safe to repeat (rows are upserted). */
export async function scoreAccountRange(
  pool: pg.Pool,
  runId: string,
  range: { fromId?: string; toId?: string } = {},
  /** Told of the accounts a batch left out (see scoreBatch). */
  onSkipped?: (skipped: SkippedAccount[]) => Promise<void>,
): Promise<number> {
  const run = await scoreRun(pool, runId);
  if (!run) throw new Error(`score run ${runId} does not exist`);
  const now = new Date();
  // A two-stage pipeline: the compute thread scores batch n + 1 while this thread stores batch n and
  // reads batch n + 2, so the database and the scoring use both cores instead of taking turns. Batches
  // travel as JSON text both ways (read, scored, stored), which keeps this thread's share small.
  const batches = accountBatchTexts(pool, run.workspace_id, SCORE_BATCH, range);
  const read = async () => {
    const next = await batches.next();
    if (next.done) return null;
    const { afterId, lastId, text } = next.value;
    return { accounts: text, signals: await recentSignalsText(pool, { workspaceId: run.workspace_id, afterId, lastId }) };
  };
  const score = (batch: { accounts: string; signals: string } | null) => {
    if (!batch) return null;
    const rows = scoreOnComputeThread(pool, { modelId: run.model_id, ...batch, now });
    rows.catch(() => {}); // awaited below; not an unhandled rejection while the next batch is read
    return rows;
  };
  let done = 0;
  let scoring = score(await read());
  while (scoring) {
    const following = await read();
    const { rows, skipped } = await scoring;
    scoring = score(following);
    const stored = await insertScoreRows(pool, runId, rows);
    await countScoredBatch(pool, runId, stored);
    done += stored;
    if (skipped.length > 0) await onSkipped?.(skipped);
  }
  return done;
}

/** Runs that cursors handed out recently may still page through; older ones are deleted. */
const KEPT_RUNS = 2;

/**
 * Completes a run: tier cut-offs over its prospects (accounts without a won/lost/churned/open
 * outcome), then it becomes the one prospect pages read. Older runs beyond KEPT_RUNS are dropped.
 */
export async function finishScoreRun(pool: pg.Pool, runId: string): Promise<{ accountsScored: number; cutoffs: TierCutoffs | null }> {
  const { scored, prospectScores } = await runScores(pool, runId);
  const cutoffs = prospectScores.length > 0 ? tierCutoffs(prospectScores) : null;
  const { workspaceId } = await completeScoreRun(pool, runId, scored, cutoffs);
  await pruneScoreRuns(pool, workspaceId, KEPT_RUNS);
  // Statistics and visibility for the new run before pages read it (see vacuumScores).
  await vacuumScores(pool);
  return { accountsScored: scored, cutoffs };
}
