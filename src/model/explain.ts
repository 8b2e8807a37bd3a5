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
  /** Per feature (length = featureDim): how much the feature moved the probability. */
  contributions: number[];
}

export function explainFit(model: LookalikeModel, vector: ArrayLike<number>, id?: string): FitExplanation {
  if (vector.length !== model.featureDim) throw new Error(`vector has ${vector.length} features, model expects ${model.featureDim}`);
  const bags = scoringBags(model, id);
  const contributions = new Array<number>(model.featureDim).fill(0);
  let bias = 0;
  for (const bag of bags) {
    // Every tree weighs 1 / (bags × trees in its bag), as in predictProbability.
    const share = 1 / (bags.length * bag.trees.length);
    for (const tree of bag.trees) {
      bias += share * tree.value[0];
      for (let node = 0; tree.feature[node] >= 0; ) {
        const child = nextNode(tree, node, vector);
        contributions[tree.feature[node]] += share * (tree.value[child] - tree.value[node]);
        node = child;
      }
    }
  }
  const probability = contributions.reduce((sum, c) => sum + c, bias);
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
  contributions: number[],
  features: FeatureInfo[],
  n: number,
  minAbs = 1e-3,
): Contribution[] {
  return contributions
    .map((contribution, index) => ({ index, key: features[index].key, label: features[index].label, contribution }))
    .filter((c) => Math.abs(c.contribution) >= minAbs)
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || a.index - b.index)
    .slice(0, n);
}
