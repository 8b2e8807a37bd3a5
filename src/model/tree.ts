/**
 * A CART classification tree grower (Gini impurity, binary labels) for sparse rows with sample
 * weights, sampling candidate features at every split (Breiman 2001; scikit-learn's `max_features`).
 *
 * Why our own and not ml-cart (which ml-random-forest uses): ml-cart draws nothing per split (its
 * forest picks one feature subset per tree, so a three-attribute ICP needs all three in one tree's
 * subset), takes no sample weights, is dense, and re-partitions the node for every candidate
 * threshold. Here a node costs one pass over its rows' non-zero entries to find which features vary
 * in it; `maxFeatures` of those are drawn (like scikit-learn, constant features do not use up the
 * draw); binary features need no sort, numeric ones a sort of the node's values.
 *
 * Where the settings coincide (every feature a candidate, unit weights, ml-cart's gain threshold),
 * it grows the partitions ml-cart grows; test/model/tree.test.ts checks that against ml-cart.
 */
import type { SparseVector } from '../features/spec.ts';

/** Rows in compressed sparse row form: row r's entries are `indexes/values[offsets[r] .. offsets[r+1])`. */
export interface SparseRows {
  rows: number;
  dim: number;
  offsets: Int32Array;
  indexes: Int32Array;
  values: Float64Array;
}

export function toSparseRows(vectors: SparseVector[], dim: number): SparseRows {
  const offsets = new Int32Array(vectors.length + 1);
  vectors.forEach((v, r) => (offsets[r + 1] = offsets[r] + v.index.length));
  const indexes = new Int32Array(offsets[vectors.length]);
  const values = new Float64Array(offsets[vectors.length]);
  vectors.forEach((v, r) => {
    indexes.set(v.index, offsets[r]);
    values.set(v.value, offsets[r]);
  });
  return { rows: vectors.length, dim, offsets, indexes, values };
}

/**
 * A grown tree as flat arrays. Go left when vector[feature] < threshold; feature -1 marks a leaf.
 * `count` is the training weight that reached the node, `value` its weighted share of positives
 * (a leaf's value is the tree's probability; inner values serve explanations).
 */
export interface CompactTree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  count: number[];
  value: number[];
}

export interface TreeOptions {
  maxDepth: number;
  /** A node with this many rows or fewer becomes a leaf (ml-cart's minNumSamples). */
  minNumSamples: number;
  /** Candidate features drawn at each split among those that vary in the node. */
  maxFeatures: number;
  /** A split must reduce the node's Gini impurity by more than this (ml-cart's gainThreshold). */
  minGain: number;
}

/** Index of the child a vector goes to: the single definition of the split rule. */
export function nextNode(tree: CompactTree, node: number, vector: ArrayLike<number>): number {
  return vector[tree.feature[node]] < tree.threshold[node] ? tree.left[node] : tree.right[node];
}

const gini = (positive: number, total: number) => {
  if (total <= 0) return 0;
  const p = positive / total;
  return 2 * p * (1 - p);
};

interface Split {
  feature: number;
  threshold: number;
  gain: number;
}

/**
 * Grows one tree on `rows` (indexes into `data`; each listed once) with per-row `weights` and
 * labels (1 = positive). `numericFeatures` are the features whose values are not just 0/1
 * (they get threshold sweeps; every other feature splits present/absent).
 */
export function growTree(input: {
  data: SparseRows;
  rows: number[];
  labels: ArrayLike<number>;
  weights: ArrayLike<number>;
  numericFeatures: number;
  options: TreeOptions;
  random: () => number;
}): CompactTree {
  const { data, labels, weights, numericFeatures, options, random } = input;
  const tree: CompactTree = { feature: [], threshold: [], left: [], right: [], count: [], value: [] };

  // Per-feature accumulators over one node, reset through `touched` after each node.
  const presentRows = new Int32Array(data.dim);
  const presentWeight = new Float64Array(data.dim);
  const presentPositive = new Float64Array(data.dim);
  const minValue = new Float64Array(data.dim);
  const maxValue = new Float64Array(data.dim);
  const touched: number[] = [];
  const dense = new Float64Array(data.dim); // one row's values, for routing
  // Numeric features of the tree's rows, dense (row-major), for the threshold sweeps.
  const numeric = new Float64Array(data.rows * numericFeatures);
  for (const r of input.rows) {
    for (let k = data.offsets[r]; k < data.offsets[r + 1] && data.indexes[k] < numericFeatures; k++)
      numeric[r * numericFeatures + data.indexes[k]] = data.values[k];
  }
  const numericValue = (row: number, feature: number) => numeric[row * numericFeatures + feature];

  const bestNumericSplit = (rows: number[], feature: number, total: number, positive: number): Split | null => {
    const pairs = rows.map((r) => ({ x: numericValue(r, feature), w: weights[r], y: labels[r] })).sort((a, b) => a.x - b.x);
    let leftWeight = 0;
    let leftPositive = 0;
    let best: Split | null = null;
    const parent = gini(positive, total);
    for (let i = 0; i < pairs.length - 1; i++) {
      leftWeight += pairs[i].w;
      leftPositive += pairs[i].w * pairs[i].y;
      if (pairs[i].x === pairs[i + 1].x) continue;
      const rightWeight = total - leftWeight;
      const gain =
        parent - (leftWeight / total) * gini(leftPositive, leftWeight) - (rightWeight / total) * gini(positive - leftPositive, rightWeight);
      if (best === null || gain > best.gain) best = { feature, threshold: (pairs[i].x + pairs[i + 1].x) / 2, gain };
    }
    return best;
  };

  const grow = (rows: number[], depth: number): number => {
    let total = 0;
    let positive = 0;
    for (const r of rows) {
      total += weights[r];
      positive += weights[r] * labels[r];
    }
    const node = tree.feature.length;
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.count.push(total);
    tree.value.push(total > 0 ? positive / total : 0);
    if (rows.length <= options.minNumSamples || depth >= options.maxDepth || positive <= 0 || positive >= total) return node;

    // Which features vary in this node: present in some rows but not all, or (numeric) with two values.
    for (const r of rows) {
      const w = weights[r];
      const y = labels[r];
      for (let k = data.offsets[r]; k < data.offsets[r + 1]; k++) {
        const f = data.indexes[k];
        const x = data.values[k];
        if (presentRows[f] === 0) {
          touched.push(f);
          minValue[f] = x;
          maxValue[f] = x;
        } else {
          if (x < minValue[f]) minValue[f] = x;
          if (x > maxValue[f]) maxValue[f] = x;
        }
        presentRows[f]++;
        presentWeight[f] += w;
        presentPositive[f] += w * y;
      }
    }
    const varying: number[] = [];
    for (const f of touched) {
      // Absent rows hold 0: a feature varies if some rows lack it, or if its present values differ.
      if (presentRows[f] < rows.length ? minValue[f] !== 0 || maxValue[f] !== 0 : minValue[f] !== maxValue[f]) varying.push(f);
    }

    // Draw up to maxFeatures candidates (partial Fisher–Yates over the varying features, in the order
    // the node's rows first touched them: deterministic), then keep them in feature order so ties
    // between equal gains go to the lowest feature, as in ml-cart.
    const draws = Math.min(options.maxFeatures, varying.length);
    for (let i = 0; i < draws; i++) {
      const j = i + Math.floor(random() * (varying.length - i));
      [varying[i], varying[j]] = [varying[j], varying[i]];
    }
    const candidates = varying.slice(0, draws).sort((a, b) => a - b);

    let best: Split | null = null;
    const parent = gini(positive, total);
    for (const f of candidates) {
      let split: Split | null;
      if (f < numericFeatures) {
        split = bestNumericSplit(rows, f, total, positive);
      } else {
        // Binary: present (≥ 0.5) goes right, absent left.
        const rightWeight = presentWeight[f];
        const rightPositive = presentPositive[f];
        const leftWeight = total - rightWeight;
        const gain =
          parent -
          (leftWeight / total) * gini(positive - rightPositive, leftWeight) -
          (rightWeight / total) * gini(rightPositive, rightWeight);
        split = { feature: f, threshold: 0.5, gain };
      }
      if (split && (best === null || split.gain > best.gain)) best = split;
    }
    for (const f of touched) {
      presentRows[f] = 0;
      presentWeight[f] = 0;
      presentPositive[f] = 0;
    }
    touched.length = 0;
    if (best === null || !(best.gain > options.minGain)) return node;

    const leftRows: number[] = [];
    const rightRows: number[] = [];
    for (const r of rows) {
      for (let k = data.offsets[r]; k < data.offsets[r + 1]; k++) dense[data.indexes[k]] = data.values[k];
      (dense[best.feature] < best.threshold ? leftRows : rightRows).push(r);
      for (let k = data.offsets[r]; k < data.offsets[r + 1]; k++) dense[data.indexes[k]] = 0;
    }
    if (leftRows.length === 0 || rightRows.length === 0) return node;
    tree.feature[node] = best.feature;
    tree.threshold[node] = best.threshold;
    tree.left[node] = grow(leftRows, depth + 1);
    tree.right[node] = grow(rightRows, depth + 1);
    return node;
  };

  grow(input.rows, 0);
  return tree;
}
