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

export interface GrowInput {
  data: SparseRows;
  /** Indexes into `data`, each listed once. */
  rows: number[];
  /** 1 = positive. */
  labels: ArrayLike<number>;
  weights: ArrayLike<number>;
  /** Features below this index are numeric (threshold sweeps); every other feature splits present/absent. */
  numericFeatures: number;
  options: TreeOptions;
  random: () => number;
}

/**
 * Grows one tree on `rows` (indexes into `data`; each listed once) with per-row `weights` and
 * labels (1 = positive). `numericFeatures` are the features whose values are not just 0/1
 * (they get threshold sweeps; every other feature splits present/absent).
 */
export function growTree(input: GrowInput): CompactTree {
  const grower = new TreeGrower(input);
  grower.grow(input.rows, 0);
  return grower.tree;
}

/**
 * Per-feature sums over one node's rows: one pass over their non-zero entries. Allocated once per
 * tree and reset through `touched` (the features the node's rows have), so a node costs its entries, not `dim`.
 */
class FeatureScan {
  readonly presentRows: Int32Array;
  readonly presentWeight: Float64Array;
  readonly presentPositive: Float64Array;
  readonly minValue: Float64Array;
  readonly maxValue: Float64Array;
  /** The features present in the node, in the order its rows first touched them. */
  readonly touched: number[] = [];

  constructor(dim: number) {
    this.presentRows = new Int32Array(dim);
    this.presentWeight = new Float64Array(dim);
    this.presentPositive = new Float64Array(dim);
    this.minValue = new Float64Array(dim);
    this.maxValue = new Float64Array(dim);
  }

  add(data: SparseRows, rows: number[], weights: ArrayLike<number>, labels: ArrayLike<number>): void {
    const { offsets, indexes, values } = data;
    const { presentRows, presentWeight, presentPositive, minValue, maxValue, touched } = this;
    for (const r of rows) {
      const w = weights[r];
      const y = labels[r];
      for (let k = offsets[r]; k < offsets[r + 1]; k++) {
        const f = indexes[k];
        const x = values[k];
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
  }

  /** Which features vary among the node's `rowCount` rows: present in some but not all, or with two values. */
  varying(rowCount: number): number[] {
    const { presentRows, minValue, maxValue } = this;
    const varying: number[] = [];
    for (const f of this.touched) {
      // Absent rows hold 0: a feature varies if some rows lack it, or if its present values differ.
      if (presentRows[f] < rowCount ? minValue[f] !== 0 || maxValue[f] !== 0 : minValue[f] !== maxValue[f]) varying.push(f);
    }
    return varying;
  }

  reset(): void {
    for (const f of this.touched) {
      this.presentRows[f] = 0;
      this.presentWeight[f] = 0;
      this.presentPositive[f] = 0;
    }
    this.touched.length = 0;
  }
}

/**
 * Up to `maxFeatures` of the varying features: a partial Fisher–Yates over them in the order the node's
 * rows first touched them (deterministic), then in feature order so that ties between equal gains go to
 * the lowest feature, as in ml-cart. Shuffles `varying` in place.
 */
function drawCandidates(varying: number[], maxFeatures: number, random: () => number): number[] {
  const draws = Math.min(maxFeatures, varying.length);
  for (let i = 0; i < draws; i++) {
    const j = i + Math.floor(random() * (varying.length - i));
    [varying[i], varying[j]] = [varying[j], varying[i]];
  }
  return varying.slice(0, draws).sort((a, b) => a - b);
}

/** A binary feature's split: present (≥ 0.5) goes right, absent left. */
function binarySplit(feature: number, total: number, positive: number, rightWeight: number, rightPositive: number): Split {
  const leftWeight = total - rightWeight;
  const gain =
    gini(positive, total) -
    (leftWeight / total) * gini(positive - rightPositive, leftWeight) -
    (rightWeight / total) * gini(rightPositive, rightWeight);
  return { feature, threshold: 0.5, gain };
}

/** The numeric features of `rows`, dense and row-major (`rows` index it as they index `data`), for the threshold sweeps. */
function denseNumeric(data: SparseRows, rows: number[], numericFeatures: number): Float64Array {
  const numeric = new Float64Array(data.rows * numericFeatures);
  for (const r of rows) {
    for (let k = data.offsets[r]; k < data.offsets[r + 1] && data.indexes[k] < numericFeatures; k++)
      numeric[r * numericFeatures + data.indexes[k]] = data.values[k];
  }
  return numeric;
}

/** One tree's growth: the tree so far and the buffers its nodes reuse. */
class TreeGrower {
  readonly tree: CompactTree = { feature: [], threshold: [], left: [], right: [], count: [], value: [] };
  private readonly scan: FeatureScan;
  private readonly numeric: Float64Array;
  /** One row's values, for routing it to a child. */
  private readonly dense: Float64Array;

  constructor(private readonly input: GrowInput) {
    this.scan = new FeatureScan(input.data.dim);
    this.numeric = denseNumeric(input.data, input.rows, input.numericFeatures);
    this.dense = new Float64Array(input.data.dim);
  }

  /** Grows the subtree of `rows` at `depth`; returns its root's index. */
  grow(rows: number[], depth: number): number {
    const { weights, labels, options } = this.input;
    let total = 0;
    let positive = 0;
    for (const r of rows) {
      total += weights[r];
      positive += weights[r] * labels[r];
    }
    const node = this.addLeaf(total, positive);
    if (rows.length <= options.minNumSamples || depth >= options.maxDepth || positive <= 0 || positive >= total) return node;
    const best = this.bestSplit(rows, total, positive);
    if (best === null || !(best.gain > options.minGain)) return node;
    const { leftRows, rightRows } = this.partition(rows, best);
    if (leftRows.length === 0 || rightRows.length === 0) return node;
    const { tree } = this;
    tree.feature[node] = best.feature;
    tree.threshold[node] = best.threshold;
    tree.left[node] = this.grow(leftRows, depth + 1);
    tree.right[node] = this.grow(rightRows, depth + 1);
    return node;
  }

  private addLeaf(total: number, positive: number): number {
    const { tree } = this;
    const node = tree.feature.length;
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.count.push(total);
    tree.value.push(total > 0 ? positive / total : 0);
    return node;
  }

  /** The best split among candidate features drawn from those that vary in the node. */
  private bestSplit(rows: number[], total: number, positive: number): Split | null {
    const { data, weights, labels, numericFeatures, options, random } = this.input;
    const { scan } = this;
    scan.add(data, rows, weights, labels);
    let best: Split | null = null;
    for (const f of drawCandidates(scan.varying(rows.length), options.maxFeatures, random)) {
      const split =
        f < numericFeatures
          ? this.bestNumericSplit(rows, f, total, positive)
          : binarySplit(f, total, positive, scan.presentWeight[f], scan.presentPositive[f]);
      if (split && (best === null || split.gain > best.gain)) best = split;
    }
    scan.reset();
    return best;
  }

  /** A sweep over the node's values of a numeric feature, each threshold halfway between two distinct values. */
  private bestNumericSplit(rows: number[], feature: number, total: number, positive: number): Split | null {
    const { weights, labels, numericFeatures } = this.input;
    const { numeric } = this;
    const pairs = rows.map((r) => ({ x: numeric[r * numericFeatures + feature], w: weights[r], y: labels[r] })).sort((a, b) => a.x - b.x);
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
  }

  /** The node's rows by the split rule of nextNode, applied to each row made dense for the moment. */
  private partition(rows: number[], split: Split): { leftRows: number[]; rightRows: number[] } {
    const { offsets, indexes, values } = this.input.data;
    const { dense } = this;
    const leftRows: number[] = [];
    const rightRows: number[] = [];
    for (const r of rows) {
      for (let k = offsets[r]; k < offsets[r + 1]; k++) dense[indexes[k]] = values[k];
      (dense[split.feature] < split.threshold ? leftRows : rightRows).push(r);
      for (let k = offsets[r]; k < offsets[r + 1]; k++) dense[indexes[k]] = 0;
    }
    return { leftRows, rightRows };
  }
}
