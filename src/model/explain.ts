/**
 * Explanations from the model itself: Saabas-style per-feature contributions. Along a tree's
 * decision path, each split changes the share of positives from the node to the child the
 * account goes to; that change is credited to the split's feature. The root's share is the bias,
 * so for every tree bias + Σ contributions = the leaf probability, exactly. Averaging over the
 * trees and bags that score the account (the same out-of-bag rule as `predictFit`) keeps that
 * identity for the forest: bias + Σ contributions = the raw forest probability.
 */
import type { FeatureInfo, SparseVector } from '../features/spec.ts';
import { balanceFit, nextNode, scoringBags, type LookalikeModel } from './forest.ts';
import { explainLinear, linearFit, stackFit, type StackedLinear } from './linear.ts';

export interface FitExplanation {
  /** Raw forest probability: bias + Σ contributions. */
  probability: number;
  /** The fit sub-score, `balanceFit(probability, prior)`, as `predictFit` returns it. */
  fit: number;
  /** Average share of positives at the trees' roots: the probability before any split. */
  bias: number;
  /** How much each feature moved the probability (only features on the paths). */
  contributions: Contributions;
}

/**
 * Per-feature contributions as parallel arrays (feature index, contribution), in no particular order:
 * arrays rather than a Map, because universe scoring builds one per account (≈ 350 entries each).
 */
export interface Contributions {
  index: number[];
  value: number[];
}

/** Per model, a feature-indexed accumulator reused across accounts (a Map per path step is slow at universe scale). */
const accumulators = new WeakMap<LookalikeModel, { sums: Float64Array; seen: Uint8Array }>();

/** `vector` is the account's dense model-feature vector (see DenseScratch). */
export function explainFit(model: LookalikeModel, vector: ArrayLike<number>, id?: string): FitExplanation {
  const bags = scoringBags(model, id);
  let accumulator = accumulators.get(model);
  if (!accumulator) {
    accumulator = { sums: new Float64Array(model.featureDim), seen: new Uint8Array(model.featureDim) };
    accumulators.set(model, accumulator);
  }
  const { sums, seen } = accumulator;
  const touched: number[] = [];
  let bias = 0;
  let probability = 0;
  for (const bag of bags) {
    // Every tree weighs 1 / (bags × trees in its bag), as in predictProbability.
    const share = 1 / (bags.length * bag.trees.length);
    for (const tree of bag.trees) {
      bias += share * tree.value[0];
      let node = 0;
      while (tree.feature[node] >= 0) {
        const child = nextNode(tree, node, vector);
        const f = tree.feature[node];
        if (!seen[f]) {
          seen[f] = 1;
          touched.push(f);
        }
        sums[f] += share * (tree.value[child] - tree.value[node]);
        node = child;
      }
      probability += share * tree.value[node];
    }
  }
  const contributions: Contributions = { index: touched, value: touched.map((f) => sums[f]) };
  for (const f of touched) {
    sums[f] = 0;
    seen[f] = 0;
  }
  return { probability, fit: balanceFit(probability, model.prior), bias, contributions };
}

/**
 * The fit and its contributions when a linear model is stacked with the forest: both mixed by the linear
 * model's share (its contributions are probability points too, ./linear.ts), so a reason says what moved
 * the fit the ranking uses. Without a linear model, the forest's.
 */
export function explainStackedFit(forest: FitExplanation, linear: StackedLinear | null | undefined, features: SparseVector) {
  if (!linear) return { fit: forest.fit, contributions: forest.contributions };
  const { share, model } = linear;
  const own = explainLinear(model, features);
  const sums = new Map<number, number>();
  forest.contributions.index.forEach((f, k) => sums.set(f, (1 - share) * forest.contributions.value[k]));
  own.contributions.index.forEach((f, k) => sums.set(f, (sums.get(f) ?? 0) + share * own.contributions.value[k]));
  return {
    fit: stackFit(forest.fit, linearFit(model, features), share),
    contributions: { index: [...sums.keys()], value: [...sums.values()] },
  };
}

export interface Contribution {
  index: number;
  key: string;
  label: string;
  contribution: number;
}

/** The `n` largest contributions by size, either sign (ties: lower feature index first), skipping those below `minAbs`. */
export function topContributions(contributions: Contributions, features: FeatureInfo[], n: number, minAbs = 1e-3): Contribution[] {
  const { index, value } = contributions;
  const kept: number[] = [];
  for (let at = 0; at < index.length; at++) if (Math.abs(value[at]) >= minAbs) kept.push(at);
  return kept
    .sort((a, b) => Math.abs(value[b]) - Math.abs(value[a]) || index[a] - index[b])
    .slice(0, n)
    .map((at) => ({ index: index[at], key: features[index[at]].key, label: features[index[at]].label, contribution: value[at] }));
}
