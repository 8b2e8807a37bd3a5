import { DecisionTreeClassifier } from 'ml-cart';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/lib/random.ts';
import { growTree, toSparseRows, type CompactTree } from '../../src/model/tree.ts';

const dense = (rows: number[][]) =>
  toSparseRows(
    rows.map((r) => ({ index: r.flatMap((x, i) => (x !== 0 ? [i] : [])), value: r.filter((x) => x !== 0) })),
    rows[0].length,
  );

interface CartNode {
  splitColumn?: number;
  splitValue?: number;
  left?: CartNode;
  right?: CartNode;
  distribution?: { data?: number[][] } | number[][];
}

/** Walks ml-cart's tree and ours side by side: same split features and thresholds, same leaf probabilities. */
function expectSameTree(cart: CartNode, tree: CompactTree, node = 0): void {
  if (cart.left && cart.right) {
    expect(tree.feature[node]).toBe(cart.splitColumn);
    expect(tree.threshold[node]).toBeCloseTo(cart.splitValue!, 12);
    expectSameTree(cart.left, tree, tree.left[node]);
    expectSameTree(cart.right, tree, tree.right[node]);
  } else {
    expect(tree.feature[node]).toBe(-1);
    const distribution = JSON.parse(JSON.stringify(cart.distribution)) as number[][];
    expect(tree.value[node]).toBeCloseTo(distribution[0][1] ?? 0, 12);
  }
}

describe('growTree', () => {
  it('grows the same trees as ml-cart (the reference) where the settings coincide', () => {
    // Every feature a candidate, unit weights, ml-cart's gain threshold; continuous features.
    for (const seed of [1, 2, 3]) {
      const random = seededRandom(seed);
      const rows = Array.from({ length: 150 }, () => Array.from({ length: 5 }, () => Math.round(random() * 1e6) / 1e6));
      const labels = rows.map((r) => (r[0] + r[1] * r[2] + 0.3 * random() > 0.8 ? 1 : 0));
      const options = { maxDepth: 5, minNumSamples: 3, gainThreshold: 0.01 };
      const cart = new DecisionTreeClassifier(options);
      cart.train(rows, labels);
      const tree = growTree({
        data: dense(rows),
        rows: rows.map((_, i) => i),
        labels,
        weights: rows.map(() => 1),
        numericFeatures: 5,
        options: { maxDepth: options.maxDepth, minNumSamples: options.minNumSamples, maxFeatures: 5, minGain: options.gainThreshold },
        random,
      });
      expect(tree.feature.filter((f) => f >= 0).length).toBeGreaterThan(3);
      expectSameTree((cart.toJSON() as { root: CartNode }).root, tree);
    }
  });

  it('draws candidate features at every split, so one tree can combine three rare attributes', () => {
    // Positives have features 0, 1 and 2 together; 60 noise features. With √63 ≈ 8 candidates per
    // split, a per-tree subset would rarely hold all three; per split, the tree finds them.
    const random = seededRandom(5);
    const rows = Array.from({ length: 600 }, (_, i) => {
      const r: number[] = Array.from({ length: 63 }, () => (random() < 0.1 ? 1 : 0));
      if (i < 60) [r[0], r[1], r[2]] = [1, 1, 1];
      else if (i < 300) r[i % 3] = 1; // one of the three for sure, the others at random
      return r;
    });
    const labels: number[] = rows.map((r) => (r[0] && r[1] && r[2] ? 1 : 0));
    const tree = growTree({
      data: dense(rows),
      rows: rows.map((_, i) => i),
      labels,
      weights: rows.map(() => 1),
      numericFeatures: 0,
      options: { maxDepth: 40, minNumSamples: 1, maxFeatures: 8, minGain: 0 },
      random,
    });
    const used = new Set(tree.feature.filter((f) => f >= 0));
    for (const f of [0, 1, 2]) expect(used.has(f)).toBe(true);
    // Every training row ends in a leaf of its own class.
    const leafOf = (r: number[]) => {
      let node = 0;
      while (tree.feature[node] >= 0) node = r[tree.feature[node]] < tree.threshold[node] ? tree.left[node] : tree.right[node];
      return tree.value[node];
    };
    rows.forEach((r, i) => expect(leafOf(r)).toBe(labels[i]));
  });

  it('takes sample weights: a leaf value is the weighted share of positives', () => {
    const rows = [[1], [1], [1], [0], [0]];
    const labels = [1, 0, 0, 0, 0];
    const grow = (weights: number[]) =>
      growTree({
        data: dense(rows),
        rows: [0, 1, 2, 3, 4],
        labels,
        weights,
        numericFeatures: 0,
        options: { maxDepth: 3, minNumSamples: 1, maxFeatures: 1, minGain: 0 },
        random: seededRandom(1),
      });
    const unit = grow([1, 1, 1, 1, 1]);
    const heavy = grow([4, 1, 1, 1, 1]);
    const right = (t: CompactTree) => t.value[t.right[0]];
    expect(right(unit)).toBeCloseTo(1 / 3);
    expect(right(heavy)).toBeCloseTo(4 / 6);
    expect(heavy.count[0]).toBe(8);
  });
});
