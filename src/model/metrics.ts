/**
 * Model quality: does the model rank held-out won accounts near the top?
 *
 * k-fold cross-validation, stratified by label, with folds fixed by the seed. Each fold's forest and
 * linear model (./linear.ts) are trained on the other folds and score the held-out accounts, none of
 * which they have seen; the linear model's share of the fit and the similarity weight are chosen on
 * those scores, and the metrics below are the fit's at the chosen share.
 *   - auc: ROC AUC of the pooled out-of-fold scores, held-out positives against held-out negatives
 *     and unlabelled accounts (unlabelled accounts hide some positives, so this is a lower bound).
 *   - top-k: in each fold, held-out positives are hidden among held-out unlabelled accounts (the
 *     situation of a real prospect list); k = topFraction × that pool. Over all folds:
 *       recallAtK    = positives found in the top k / held-out positives
 *       precisionAtK = positives found in the top k / k
 *       baseRate     = held-out positives / pool (the precision of a random list)
 *       lift         = precisionAtK / baseRate
 *     Ties at the cut count fractionally (the expected value under random tie-breaking).
 */
import type { FeatureInfo } from '../features/spec.ts';
import {
  DEFAULT_LOOKALIKE_PARAMS,
  growLookalike,
  predictFit,
  type LookalikeModel,
  type LookalikeParams,
  type TrainingExample,
} from './forest.ts';
import { type LinearModel, linearFit, stackFit, trainLinear } from './linear.ts';
import { seededRandom, shuffled } from '../lib/random.ts';
import { runSteps, type Steps } from '../lib/steps.ts';
import { similarityScore, WonIndex } from './ranking.ts';
import { fitCalibration, type ScoreCalibration } from './calibration.ts';
import { computeTask } from '../compute/thread.ts';

export interface CrossValidation {
  folds: number;
  /** Hash of the fold assignment: two results with the same key were measured on the same folds. */
  foldsKey: string;
  auc: number;
  /** Per fold; null when a fold lacks positives or negatives. */
  foldAuc: (number | null)[];
  topFraction: number;
  /** Sum over folds of each fold's k. */
  k: number;
  /** Sum over folds of held-out positives + unlabelled. */
  pool: number;
  heldOutPositives: number;
  hits: number;
  recallAtK: number;
  precisionAtK: number;
  baseRate: number;
  lift: number;
}

export const DEFAULT_FOLDS = 5;
/** Bags of each fold's forest (each bag has the model's trees per bag). */
export const CV_MAX_BAGS = 10;
/** The top 5 % of a list is about what a sales team works through first. */
export const DEFAULT_TOP_FRACTION = 0.05;

/** ROC AUC (Mann–Whitney U with average ranks for ties); null without both classes. */
export function rocAuc(positives: number[], negatives: number[]): number | null {
  if (positives.length === 0 || negatives.length === 0) return null;
  const all = [...positives.map((s) => ({ s, pos: 1 })), ...negatives.map((s) => ({ s, pos: 0 }))].sort((a, b) => a.s - b.s);
  let positiveRankSum = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j].s === all[i].s) j++;
    const averageRank = (i + 1 + j) / 2; // ranks i+1..j
    for (let t = i; t < j; t++) positiveRankSum += all[t].pos * averageRank;
    i = j;
  }
  const nP = positives.length;
  return (positiveRankSum - (nP * (nP + 1)) / 2) / (nP * negatives.length);
}

/** Expected number of positives among the k highest scores, ties at the cut broken at random. */
export function hitsAtK(scored: { score: number; positive: boolean }[], k: number): number {
  if (k <= 0 || scored.length === 0) return 0;
  const sorted = scored.slice().sort((a, b) => b.score - a.score);
  const cut = sorted[Math.min(k, sorted.length) - 1].score;
  const above = sorted.filter((x) => x.score > cut);
  const tied = sorted.filter((x) => x.score === cut);
  const slots = Math.min(k, sorted.length) - above.length;
  const count = (xs: typeof sorted) => xs.filter((x) => x.positive).length;
  return count(above) + (count(tied) * slots) / tied.length;
}

/** Average precision of a ranking: the mean, over positives, of the precision at each positive's rank (ties broken pessimistically). */
export function averagePrecision(scored: { score: number; positive: boolean }[]): number {
  const sorted = scored.slice().sort((a, b) => b.score - a.score || Number(a.positive) - Number(b.positive));
  let found = 0;
  let sum = 0;
  sorted.forEach((x, i) => {
    if (x.positive) sum += ++found / (i + 1);
  });
  return found === 0 ? 0 : sum / found;
}

/** Share of AP a similarity weight must add over the forest alone to be chosen: less is noise. */
const BLEND_MIN_GAIN = 0.05;

/** FNV-1a, hex: a short stable fingerprint. */
function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** Fold of every example, stratified by label; depends only on the ids, labels and seed. */
export function assignFolds(examples: TrainingExample[], folds: number, seed: number): Map<string, number> {
  const random = seededRandom(seed);
  const fold = new Map<string, number>();
  for (const label of ['positive', 'negative', 'unlabelled'] as const) {
    const ids = examples
      .filter((e) => e.label === label)
      .map((e) => e.id)
      .sort();
    shuffled(ids, random).forEach((id, i) => fold.set(id, i % folds));
  }
  return fold;
}

export interface BlendChoice {
  /** Weight of the similarity sub-score against the fit (fit gets 1 − this). */
  similarity: number;
  /** Share of the linear model in the fit, against the forest's (./linear.ts). */
  linear: number;
  /**
   * Cross-validated average precision of every pair of weights tried: held-out won accounts ranked among
   * the held-out unlabelled accounts, averaged over folds by positives. It uses the rank of every held-out
   * won account (a precision at a fixed k saturates or hangs on one or two accounts).
   */
  grid: { linear: number; similarity: number; averagePrecision: number }[];
  /** The blended fit and similarity's map onto one scale whatever these weights (./calibration.ts); null when none could be fitted. */
  calibration: ScoreCalibration | null;
}

/** Similarity weights tried by cross-validation; 0 (fit alone) first, so it wins ties. */
export const SIMILARITY_WEIGHT_GRID = [0, 0.1, 0.2, 0.3, 0.5] as const;
/** Linear shares of the fit tried by cross-validation (up to the params' maxLinearShare); 0 (the forest alone) first, so it wins ties. */
export const LINEAR_SHARE_GRID = [0, 0.25, 0.5, 0.75, 1] as const;

export interface CrossValidateInput {
  examples: TrainingExample[];
  seed: number;
  numericFeatures: number;
  featureDim?: number;
  params?: Partial<LookalikeParams>;
  folds?: number;
  topFraction?: number;
}

export const crossValidate = (input: CrossValidateInput): CrossValidation & { blend: BlendChoice } => runSteps(crossValidateSteps(input));

/** Cross-validation a tree at a time (see growLookalike): what the compute thread runs. */
export function* crossValidateSteps(input: CrossValidateInput): Steps<CrossValidation & { blend: BlendChoice }> {
  const topFraction = input.topFraction ?? DEFAULT_TOP_FRACTION;
  const positiveCount = input.examples.filter((e) => e.label === 'positive').length;
  if (positiveCount < 2) throw new Error('cross-validation needs at least 2 positives');
  // Every fold needs a held-out positive.
  const folds = Math.min(input.folds ?? DEFAULT_FOLDS, positiveCount);
  const foldOf = assignFolds(input.examples, folds, input.seed);
  // Fold models grow half the bags (at most CV_MAX_BAGS): five folds of the full forest would cost
  // five trainings; the ranking they measure is the same model family.
  const bags = input.params?.bags ?? DEFAULT_LOOKALIKE_PARAMS.bags;
  const foldParams = { ...input.params, bags: Math.max(1, Math.min(bags, CV_MAX_BAGS)) };

  const maxLinearShare = input.params?.maxLinearShare ?? DEFAULT_LOOKALIKE_PARAMS.maxLinearShare;
  const heldOut = yield* heldOutFolds(input, foldOf, folds, foldParams, maxLinearShare);

  const grid = blendGrid(
    heldOut,
    LINEAR_SHARE_GRID.filter((share) => share <= maxLinearShare),
    positiveCount,
  );
  const weights = chooseBlend(grid);
  const chosen: BlendChoice = { ...weights, calibration: blendCalibration(heldOut, weights) };
  const { pooledPositive, pooledNegative, foldAuc, k, pool, hits } = tallyFolds(heldOut, chosen.linear, topFraction);
  const precisionAtK = hits / k;
  const baseRate = positiveCount / pool;
  return {
    folds,
    foldsKey: fingerprint(
      [...foldOf]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([id, f]) => `${id}:${f}`)
        .join('\n'),
    ),
    auc: rocAuc(pooledPositive, pooledNegative) ?? 0.5,
    foldAuc,
    topFraction,
    k,
    pool,
    heldOutPositives: positiveCount,
    hits,
    recallAtK: hits / positiveCount,
    precisionAtK,
    baseRate,
    lift: precisionAtK / baseRate,
    blend: chosen,
  };
}

/** One fold's held-out examples with their forest and linear fits (0 when the linear model may have no share) and similarities. */
interface HeldOutFold {
  test: TrainingExample[];
  forest: number[];
  linear: number[];
  similarities: number[];
}

/** Per fold: the models trained without it, and what they say of its held-out examples. */
function* heldOutFolds(
  input: CrossValidateInput,
  foldOf: Map<string, number>,
  folds: number,
  foldParams: Partial<LookalikeParams>,
  maxLinearShare: number,
): Steps<HeldOutFold[]> {
  const heldOut: HeldOutFold[] = [];
  for (let f = 0; f < folds; f++) {
    const train = input.examples.filter((e) => foldOf.get(e.id) !== f);
    const test = input.examples.filter((e) => foldOf.get(e.id) === f);
    const model = yield* growLookalike({
      examples: train,
      seed: input.seed + f + 1,
      numericFeatures: input.numericFeatures,
      featureDim: input.featureDim,
      params: foldParams,
    });
    const linear =
      maxLinearShare > 0
        ? trainLinear({ examples: train, numericFeatures: input.numericFeatures, featureDim: input.featureDim, params: foldParams })
        : null;
    yield;
    heldOut.push(heldOutFold(model, linear, train, test));
  }
  return heldOut;
}

function heldOutFold(model: LookalikeModel, linear: LinearModel | null, train: TrainingExample[], test: TrainingExample[]): HeldOutFold {
  // Similarity to the fold's training positives, as scoring computes it against the won accounts.
  const won = new WonIndex(train.filter((e) => e.label === 'positive' && e.similarity).map((e) => e.similarity!));
  return {
    test,
    forest: predictFit(
      model,
      test.map((e) => e.features),
    ),
    linear: test.map((e) => (linear ? linearFit(linear, e.features) : 0)),
    similarities: test.map((e) => (e.similarity ? similarityScore(won.similarities(e.similarity)) : 0)),
  };
}

/**
 * A fold's held-out won and unlabelled accounts (a prospect list with won accounts hidden in it), scored by
 * the fit stacked at `weights.linear` and blended with similarity at `weights.similarity`.
 */
function heldOutScores({ test, forest, linear, similarities }: HeldOutFold, weights: { linear: number; similarity: number }) {
  return test.flatMap((e, i) =>
    e.label === 'negative'
      ? []
      : [
          {
            score: (1 - weights.similarity) * stackFit(forest[i], linear[i], weights.linear) + weights.similarity * similarities[i],
            positive: e.label === 'positive',
          },
        ],
  );
}

/** Per pair of weights (linear share, similarity): Σ over folds of the fold's average precision × its held-out positives. */
function blendGrid(heldOut: HeldOutFold[], linearShares: readonly number[], positiveCount: number): BlendChoice['grid'] {
  return linearShares.flatMap((linear) =>
    SIMILARITY_WEIGHT_GRID.map((similarity) => {
      let sum = 0;
      for (const fold of heldOut) {
        sum += averagePrecision(heldOutScores(fold, { linear, similarity })) * fold.test.filter((e) => e.label === 'positive').length;
      }
      return { linear, similarity, averagePrecision: sum / positiveCount };
    }),
  );
}

/**
 * Per linear share, similarity gets weight only where it ranks held-out won accounts clearly higher than
 * the fit alone; the linear model gets a share only where that choice is clearly better than the forest's.
 */
function chooseBlend(grid: BlendChoice['grid']): Omit<BlendChoice, 'calibration'> {
  const clearlyBetter = <T extends { averagePrecision: number }>(row: T[]) => {
    let best = row[0];
    for (const g of row)
      if (g.averagePrecision > best.averagePrecision && g.averagePrecision > row[0].averagePrecision * (1 + BLEND_MIN_GAIN)) best = g;
    return best;
  };
  const shares = [...new Set(grid.map((g) => g.linear))];
  const chosen = clearlyBetter(shares.map((linear) => clearlyBetter(grid.filter((g) => g.linear === linear))));
  return { similarity: chosen.similarity, linear: chosen.linear, grid };
}

/**
 * The calibration of the chosen blend (./calibration.ts), fitted on the held-out accounts' fit and similarity
 * at the chosen weights, as the grid ranked them (intent is not part of it: see ./ranking.ts).
 */
const blendCalibration = (heldOut: HeldOutFold[], chosen: { linear: number; similarity: number }) =>
  fitCalibration(heldOut.flatMap((fold) => heldOutScores(fold, chosen)));

/** The fit's metrics over the folds, as the ranking will use it: the forest stacked with the linear model at `linearShare`. */
function tallyFolds(heldOut: HeldOutFold[], linearShare: number, topFraction: number) {
  const tally = {
    pooledPositive: [] as number[],
    pooledNegative: [] as number[],
    foldAuc: [] as (number | null)[],
    k: 0,
    pool: 0,
    hits: 0,
  };
  for (const { test, forest, linear } of heldOut) {
    const fits = test.map((_, i) => stackFit(forest[i], linear[i], linearShare));
    const positives = fits.filter((_, i) => test[i].label === 'positive');
    const others = fits.filter((_, i) => test[i].label !== 'positive');
    tally.pooledPositive.push(...positives);
    tally.pooledNegative.push(...others);
    tally.foldAuc.push(rocAuc(positives, others));

    const hidden = test.flatMap((e, i) => (e.label === 'negative' ? [] : [i]));
    const foldK = Math.max(1, Math.round(topFraction * hidden.length));
    tally.k += foldK;
    tally.pool += hidden.length;
    tally.hits += hitsAtK(
      hidden.map((i) => ({ score: fits[i], positive: test[i].label === 'positive' })),
      foldK,
    );
  }
  return tally;
}

// ---------------------------------------------------------------------------------------------
// Feature importances

const gini = (p: number) => 2 * p * (1 - p);

/**
 * Mean decrease in impurity (Gini), from the node statistics stored in the trees: each split
 * credits its feature with the impurity it removed, normalised per tree, averaged over all trees.
 * Length = featureDim, sums to 1 (all zeros when no tree splits).
 */
export function featureImportances(model: LookalikeModel): number[] {
  const total = new Array<number>(model.featureDim).fill(0);
  for (const tree of model.bags.flatMap((b) => b.trees)) {
    const perTree = new Map<number, number>();
    let treeSum = 0;
    tree.feature.forEach((feature, i) => {
      if (feature < 0) return;
      const l = tree.left[i];
      const r = tree.right[i];
      const decrease = tree.count[i] * gini(tree.value[i]) - tree.count[l] * gini(tree.value[l]) - tree.count[r] * gini(tree.value[r]);
      perTree.set(feature, (perTree.get(feature) ?? 0) + decrease);
      treeSum += decrease;
    });
    if (treeSum > 0) for (const [feature, d] of perTree) total[feature] += d / treeSum;
  }
  const sum = total.reduce((a, b) => a + b, 0);
  return sum > 0 ? total.map((v) => v / sum) : total;
}

export interface NamedImportance {
  key: string;
  label: string;
  importance: number;
}

export function topImportances(importances: number[], features: FeatureInfo[], n: number): NamedImportance[] {
  return importances
    .map((importance, i) => ({ key: features[i].key, label: features[i].label, importance }))
    .filter((x) => x.importance > 0)
    .sort((a, b) => b.importance - a.importance || a.key.localeCompare(b.key))
    .slice(0, n);
}

// ---------------------------------------------------------------------------------------------
// Comparing a new model with the active one

export interface Comparison {
  /** False when the two were not measured on the same folds. */
  comparable: boolean;
  clearlyWorse: boolean;
  reason: string;
}

/**
 * Whether `candidate` is clearly worse than `active`, both cross-validated on the same data and
 * folds (same examples and seed). Clearly worse = AUC lower by more than `aucMargin`, or recall@k
 * lower by more than `recallMargin`. Margins are wide because with tens of won accounts both
 * numbers move by a few points between equally good models.
 */
export function compareModels(
  candidate: CrossValidation,
  active: CrossValidation,
  margins: { aucMargin?: number; recallMargin?: number } = {},
): Comparison {
  const aucMargin = margins.aucMargin ?? 0.03;
  const recallMargin = margins.recallMargin ?? 0.15;
  if (candidate.foldsKey !== active.foldsKey) {
    return { comparable: false, clearlyWorse: false, reason: 'not comparable: measured on different folds' };
  }
  const f2 = (x: number) => x.toFixed(2);
  const foldsLower = candidate.foldAuc.filter((auc, f) => auc != null && active.foldAuc[f] != null && auc < active.foldAuc[f]!).length;
  const auc = `AUC ${f2(candidate.auc)} vs ${f2(active.auc)} for the active model, lower on ${foldsLower} of ${candidate.folds} folds`;
  const recall = `recall@${candidate.k} ${f2(candidate.recallAtK)} vs ${f2(active.recallAtK)}`;

  if (active.auc - candidate.auc > aucMargin) {
    return { comparable: true, clearlyWorse: true, reason: `${auc} (drop above the ${aucMargin} margin)` };
  }
  if (active.recallAtK - candidate.recallAtK > recallMargin) {
    return { comparable: true, clearlyWorse: true, reason: `${recall} (drop above the ${recallMargin} margin); ${auc}` };
  }
  return { comparable: true, clearlyWorse: false, reason: `${auc}; ${recall}: within margins` };
}

/** Cross-validation on the compute thread, a fold's tree at a time. */
export const CROSS_VALIDATE = computeTask(import.meta.url, crossValidateSteps);
