/**
 * One score per account, 0..1, and a tier A–D, from three sub-scores:
 *   fit         the forest's balanced fit probability (`predictFit`): trained on outcomes, the main signal
 *   similarity  cosine similarity to the nearest won accounts (mean of the top k), clamped to 0..1
 *   intent      `intentScore`: timing, not fit
 *
 * Weights (SCORE_WEIGHTS): fit 0.6, similarity 0.25, intent 0.15. Fit leads because it learned
 * from wins and losses; similarity adds the "looks like that customer" evidence a seller can
 * check; intent is kept small so a poor-fit account that happens to be busy online cannot outrank
 * a strong fit — it reorders among similar fits.
 *
 * Cold start (fewer than MIN_WON_FOR_MODEL won accounts, no forest): similarity 0.8, intent 0.2,
 * and confidence 'low'; with declared ICP criteria, similarity 0.5, criteria 0.3, intent 0.2.
 *
 * Tiers are percentile-based with absolute floors: A = top 5 % of the scored prospects and
 * score ≥ 0.5, B = top 20 % and ≥ 0.35, C = top 50 %, D = the rest. Percentiles keep every list
 * workable (a seller always has a short A list, and it does not balloon when a model's scores
 * shift); the floors stop a weak universe or a weak model from calling poor matches "A". The
 * scoring job computes the cut-offs over the whole universe and stores them with the scores, so
 * one account scored on demand is tiered against the same cut-offs.
 */

export const MIN_WON_FOR_MODEL = 10;

export const SCORE_WEIGHTS = { fit: 0.6, similarity: 0.25, intent: 0.15 } as const;
export const COLD_START_WEIGHTS = { similarity: 0.8, intent: 0.2 } as const;
/** Cold start with declared ICP criteria (PUT /v1/icp/criteria): the team's hypotheses stand in for the missing forest. */
export const COLD_START_CRITERIA_WEIGHTS = { similarity: 0.5, criteria: 0.3, intent: 0.2 } as const;

/** Cumulative share of prospects at or above each tier, and the score each tier needs at least. */
export const TIER_RULES = {
  A: { topShare: 0.05, floor: 0.5 },
  B: { topShare: 0.2, floor: 0.35 },
  C: { topShare: 0.5, floor: 0 },
} as const;

export type Tier = 'A' | 'B' | 'C' | 'D';
export type Confidence = 'high' | 'medium' | 'low';

export interface Subscores {
  /** Null in cold start (no model). */
  fit: number | null;
  similarity: number;
  intent: number;
  /** Share of the declared ICP criteria met; null when not used (a forest exists, or none declared). */
  criteria?: number | null;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

export function combineScore(s: Subscores): number {
  const criteria = s.criteria ?? null;
  const score =
    s.fit !== null
      ? SCORE_WEIGHTS.fit * clamp01(s.fit) + SCORE_WEIGHTS.similarity * clamp01(s.similarity) + SCORE_WEIGHTS.intent * clamp01(s.intent)
      : criteria !== null
        ? COLD_START_CRITERIA_WEIGHTS.similarity * clamp01(s.similarity) +
          COLD_START_CRITERIA_WEIGHTS.criteria * clamp01(criteria) +
          COLD_START_CRITERIA_WEIGHTS.intent * clamp01(s.intent)
        : COLD_START_WEIGHTS.similarity * clamp01(s.similarity) + COLD_START_WEIGHTS.intent * clamp01(s.intent);
  return clamp01(score);
}

export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error('vectors differ in length');
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Nearest won accounts compared with pgvector: similarity = 1 − cosine distance. */
export const SIMILARITY_TOP_K = 5;

/**
 * The similarity sub-score: mean of the `k` highest similarities to won accounts, clamped to 0..1.
 * A mean of several, not the single nearest, so one odd won account does not make a lookalike.
 */
export function similarityScore(similarities: number[], k = SIMILARITY_TOP_K): number {
  const top = similarities.slice().sort((a, b) => b - a).slice(0, k);
  return top.length === 0 ? 0 : clamp01(top.reduce((sum, s) => sum + s, 0) / top.length);
}

export type TierCutoffs = Record<Exclude<Tier, 'D'>, number>;

/** Minimum score of each tier over the scored prospects (ties at a cut-off share the higher tier). */
export function tierCutoffs(scores: number[]): TierCutoffs {
  if (scores.length === 0) throw new Error('tier cut-offs need at least one score');
  const sorted = scores.slice().sort((a, b) => b - a);
  const atShare = (share: number) => sorted[Math.max(0, Math.ceil(share * sorted.length) - 1)];
  return {
    A: Math.max(atShare(TIER_RULES.A.topShare), TIER_RULES.A.floor),
    B: Math.max(atShare(TIER_RULES.B.topShare), TIER_RULES.B.floor),
    C: Math.max(atShare(TIER_RULES.C.topShare), TIER_RULES.C.floor),
  };
}

export function tierFor(score: number, cutoffs: TierCutoffs): Tier {
  return score >= cutoffs.A ? 'A' : score >= cutoffs.B ? 'B' : score >= cutoffs.C ? 'C' : 'D';
}

/**
 * How much to trust the ranking: 'low' without a model or when cross-validated AUC is barely
 * above chance (< 0.6); 'medium' with fewer than 30 won accounts or AUC < 0.75; else 'high'.
 */
export function rankingConfidence(input: { wonCount: number; cvAuc: number | null }): Confidence {
  if (input.wonCount < MIN_WON_FOR_MODEL || input.cvAuc === null || input.cvAuc < 0.6) return 'low';
  if (input.wonCount < 30 || input.cvAuc < 0.75) return 'medium';
  return 'high';
}
