/**
 * One score per account, 0..1, and a tier A–D, from three sub-scores:
 *   fit         the forest's balanced fit probability (`predictFit`), stacked with the linear model's
 *               (./linear.ts) at the share cross-validation chose: trained on outcomes, the main signal
 *   similarity  cosine similarity to the nearest won accounts (mean of the top k) in the TF-IDF space
 *   intent      `intentScore`: timing, not fit
 *
 * The fit/similarity weights of a model are chosen by its own cross-validation (metrics.ts,
 * `crossValidate`: the weight with the best held-out average precision, fit alone unless similarity
 * clearly helps) and stored with the model, with the calibration of that blend (./calibration.ts): fit and
 * similarity are on different scales, so without it the same ranking scored lower with similarity or the
 * linear model in the blend, under tier A's floor. Calibrated, the blend is on the forest's fit scale
 * (0.5 = no evidence) whatever its weights. Intent cannot be cross-validated on past outcomes (won accounts'
 * signals are not the ones they showed while buying), so it keeps a fixed small weight beside the
 * calibrated blend that reorders among similar fits and cannot lift a poor fit above a strong one.
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
import type { SparseVector } from '../features/spec.ts';
import { MIN_WON_FOR_MODEL } from '../icp/schema.ts';
import { calibrateScore, type ScoreCalibration } from './calibration.ts';

/**
 * The weight intent keeps in every blend with a forest: a good fit showing buying signals moves up,
 * a poor fit cannot overtake a strong one (0.75 × 0.2 + 0.25 < 0.75 × 0.8). On the generated universe,
 * whose signals follow the hidden ICP, 0.15 ranked the true ICP at P@100 0.83 and 0.25 higher
 * (bench/quality.ts); without signals it changes no ranking.
 */
export const INTENT_WEIGHT = 0.25;

export interface BlendWeights {
  fit: number;
  similarity: number;
  intent: number;
}

/** Weights from the similarity weight cross-validation chose; intent keeps INTENT_WEIGHT. */
export function blendWeights(similarityShare: number): BlendWeights {
  const rest = 1 - INTENT_WEIGHT;
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  return { fit: round(rest * (1 - similarityShare)), similarity: round(rest * similarityShare), intent: INTENT_WEIGHT };
}

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

/**
 * `blend` and `calibration` are the model's (null for cold start, where fit is null too; no calibration for
 * models trained before it). Fit and similarity at the blend's weights are calibrated together, as
 * cross-validation measured them; intent adds its weight after.
 */
export function combineScore(s: Subscores, blend: BlendWeights | null, calibration: ScoreCalibration | null = null): number {
  const criteria = s.criteria ?? null;
  if (s.fit !== null && blend) {
    const trained = blend.fit * clamp01(s.fit) + blend.similarity * clamp01(s.similarity);
    const share = blend.fit + blend.similarity;
    const calibrated = calibration && share > 0 ? share * calibrateScore(trained / share, calibration) : trained;
    return clamp01(calibrated + blend.intent * clamp01(s.intent));
  }
  const score =
    criteria !== null
      ? COLD_START_CRITERIA_WEIGHTS.similarity * clamp01(s.similarity) +
        COLD_START_CRITERIA_WEIGHTS.criteria * clamp01(criteria) +
        COLD_START_CRITERIA_WEIGHTS.intent * clamp01(s.intent)
      : COLD_START_WEIGHTS.similarity * clamp01(s.similarity) + COLD_START_WEIGHTS.intent * clamp01(s.intent);
  return clamp01(score);
}

/**
 * Cosine similarity of a unit-length sparse vector to every won account's, through an inverted
 * index (token → won accounts with it): the cost is the tokens the account shares with won
 * accounts, not the number of won accounts × dimensions.
 */
export class WonIndex {
  /** Per feature, the won accounts that have it and their values (typed: this runs for every scored account). */
  private readonly postings = new Map<number, { rows: Int32Array; values: Float64Array }>();
  readonly size: number;
  constructor(won: SparseVector[]) {
    this.size = won.length;
    const lists = new Map<number, { rows: number[]; values: number[] }>();
    won.forEach((v, row) =>
      v.index.forEach((i, k) => {
        const list = lists.get(i) ?? { rows: [], values: [] };
        list.rows.push(row);
        list.values.push(v.value[k]);
        lists.set(i, list);
      }),
    );
    for (const [i, list] of lists) this.postings.set(i, { rows: Int32Array.from(list.rows), values: Float64Array.from(list.values) });
  }
  similarities(v: SparseVector): Float64Array {
    const sims = new Float64Array(this.size);
    for (let k = 0; k < v.index.length; k++) {
      const list = this.postings.get(v.index[k]);
      if (!list) continue;
      const weight = v.value[k];
      const { rows, values } = list;
      for (let p = 0; p < rows.length; p++) sims[rows[p]] += weight * values[p];
    }
    return sims;
  }
}

/** Won accounts averaged into the similarity sub-score. */
export const SIMILARITY_TOP_K = 5;

/**
 * The similarity sub-score: mean of the `k` highest similarities to won accounts, clamped to 0..1.
 * A mean of several, not the single nearest, so one odd won account does not make a lookalike.
 */
export function similarityScore(similarities: ArrayLike<number>, k = SIMILARITY_TOP_K): number {
  const top = Array.from(similarities)
    .sort((a, b) => b - a)
    .slice(0, k);
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
