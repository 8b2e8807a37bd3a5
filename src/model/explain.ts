/**
 * Explanations from the model itself: Saabas-style per-feature contributions. Along a tree's
 * decision path, each split changes the share of positives from the node to the child the
 * account goes to; that change is credited to the split's feature. The root's share is the bias,
 * so for every tree bias + Σ contributions = the leaf probability, exactly. Averaging over the
 * trees and bags that score the account (the same out-of-bag rule as `predictFit`) keeps that
 * identity for the forest: bias + Σ contributions = the raw forest probability.
 */
import type { FeatureInfo } from '../features/spec.ts';
import { balanceFit, nextNode, scoringBags, type LookalikeModel } from './forest.ts';

export interface FitExplanation {
  /** Raw forest probability: bias + Σ contributions. */
  probability: number;
  /** The fit sub-score, `balanceFit(probability, prior)`, as `predictFit` returns it. */
  fit: number;
  /** Average share of positives at the trees' roots: the probability before any split. */
  bias: number;
  /** Feature index → how much the feature moved the probability (only features on the paths). */
  contributions: Map<number, number>;
}

/** Per model, a feature-indexed accumulator reused across accounts (a Map per path step is slow at universe scale). */
const accumulators = new WeakMap<LookalikeModel, { sums: Float64Array; seen: Uint8Array }>();

/** `vector` is the account's dense model-feature vector (see DenseScratch). */
export function explainFit(model: LookalikeModel, vector: ArrayLike<number>, id?: string): FitExplanation {
  const bags = scoringBags(model, id);
  let accumulator = accumulators.get(model);
  if (!accumulator) accumulators.set(model, (accumulator = { sums: new Float64Array(model.featureDim), seen: new Uint8Array(model.featureDim) }));
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
  const contributions = new Map<number, number>();
  for (const f of touched) {
    contributions.set(f, sums[f]);
    sums[f] = 0;
    seen[f] = 0;
  }
  return { probability, fit: balanceFit(probability, model.prior), bias, contributions };
}

export interface Contribution {
  index: number;
  key: string;
  label: string;
  contribution: number;
}

/** The `n` largest contributions by size, either sign, skipping those below `minAbs`. */
export function topContributions(
  contributions: Map<number, number>,
  features: FeatureInfo[],
  n: number,
  minAbs = 1e-3,
): Contribution[] {
  return [...contributions]
    .filter(([, contribution]) => Math.abs(contribution) >= minAbs)
    .map(([index, contribution]) => ({ index, key: features[index].key, label: features[index].label, contribution }))
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || a.index - b.index)
    .slice(0, n);
}
