/** Scoring one account: the single definition used by scoring runs (./score-batch.ts) and by on-demand fit. */
import type { Account } from '../accounts/schema.ts';
import type { Queryable } from '../db/pool.ts';
import { accountVectors, describeFeatures, type FeatureInfo, type SparseVector } from '../features/spec.ts';
import { intentScore, type IntentSignal } from '../signals/intent.ts';
import { explainFit, explainStackedFit, type Contributions } from '../model/explain.ts';
import { DenseScratch } from '../model/forest.ts';
import { criteriaScore } from '../icp/criteria.ts';
import type { Spellings } from '../icp/kinds.ts';
import { tokenKind, tokenValue, type Vocabulary } from '../features/vocabulary.ts';
import { combineScore, SIMILARITY_TOP_K, similarityScore, WonIndex } from '../model/ranking.ts';
import { modelArtifact, type ModelArtifact } from '../model/repository.ts';
import { DomainError } from '../lib/errors.ts';

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

/** This thread's scoring model `modelId`, built from `artifact` when it is not loaded yet (null: neither). */
export function loadedScoringModel(modelId: string, artifact?: ModelArtifact): ScoringModel | null {
  return loaded.get(modelId) ?? (artifact ? scoringModel(modelId, artifact) : null);
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
  const { vocabulary, forest, linear, blend, calibration } = model.artifact;
  const { features, similarity: vector } = accountVectors(account, vocabulary);
  const explanation = forest ? explainStackedFit(explainFit(forest, model.scratch.of(features), id), linear, features) : null;
  const nearest = nearestWon(model, model.won.similarities(vector), id);
  const similarity = similarityScore(nearest.map((c) => c.similarity));
  const intentResult = intentScore(signals, now);
  const fit = explanation?.fit ?? null;
  const criteria =
    fit === null && model.artifact.criteria.length > 0 ? criteriaScore(account, model.artifact.criteria, model.spellings) : null;
  const score = combineScore({ fit, similarity, intent: intentResult.score, criteria: criteria?.score ?? null }, blend, calibration);
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

/** Scores as runs store them and the API shows them: 5 decimal places, the precision of a stored real. */
export const roundScore = (x: number) => Math.round(x * 1e5) / 1e5;
