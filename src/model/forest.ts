/**
 * The lookalike model: random forests trained by positive–unlabelled bagging
 * (Mordelet & Vert 2014, "A bagging SVM to learn from positive and unlabeled examples").
 *
 * Won accounts are positives; lost and churned accounts are known negatives; everything else is
 * unlabelled, and some of it would buy. Each bag trains a small forest (ml-random-forest) on
 *   - the positives, resampled with replacement in proportion to their weight (deal value,
 *     retention; ml-random-forest has no sample weights, and a weighted bootstrap is the honest
 *     equivalent),
 *   - the known negatives, resampled with replacement,
 *   - a fresh random sample of unlabelled accounts, as negatives.
 * The fit of an account is the average over bags of the trees' leaf probabilities; an account
 * that a bag trained on is scored only by the other bags (out-of-bag), so no unlabelled account
 * is scored by a forest that was told it is a negative.
 *
 * Trees are stored in a compact form (flat arrays, global feature indexes, the share of positives
 * at every node), not as ml-random-forest JSON: that JSON repeats the tree options in every node,
 * lacks the per-node statistics explanations need, and its predictProbability counts hard votes.
 * `compactTree` is the one place that reads ml-cart's node format.
 */
import { RandomForestClassifier } from 'ml-random-forest';
import { z } from 'zod';
import type { OutcomeStatus } from '../outcomes/schema.ts';

export type ExampleLabel = 'positive' | 'negative' | 'unlabelled';

export interface TrainingExample {
  id: string;
  vector: number[];
  label: ExampleLabel;
  /** Positives only: relative importance (see `outcomeExample`). Default 1. */
  weight?: number;
}

const LookalikeParamsSchema = z.object({
  /** Number of PU bags, each with its own unlabelled sample. */
  bags: z.number().int().positive(),
  /** Trees per bag (one ml-random-forest per bag). */
  treesPerBag: z.number().int().positive(),
  maxDepth: z.number().int().positive(),
  /** ml-cart makes a node with this many rows or fewer a leaf. */
  minNumSamples: z.number().int().positive(),
  /** Share of the varying features each tree sees (ml-random-forest draws one subset per tree). */
  featureFraction: z.number().gt(0).lte(1),
  /** Unlabelled sample per bag = this × number of positives, clamped to [minUnlabelled, maxUnlabelled]. */
  unlabelledRatio: z.number().positive(),
  minUnlabelled: z.number().int().nonnegative(),
  maxUnlabelled: z.number().int().nonnegative(),
});
export type LookalikeParams = z.infer<typeof LookalikeParamsSchema>;

/**
 * Defaults for real CRM data: tens to hundreds of won accounts, skewed industries.
 * - 20 bags × 10 trees = 200 trees: a bag samples at most half the unlabelled pool (usually far
 *   less), so an unlabelled account is out-of-bag for at least about half the bags and its score
 *   still averages ~100 trees or more.
 * - maxDepth 8, leaves of ≤ 3 rows: with few positives, deeper trees memorise single accounts.
 * - featureFraction 0.2 of the varying features per tree: ml-random-forest draws one subset per
 *   tree (not per split), so this decides how many trees can use a feature at all — about 40 of
 *   200 here, enough that one decisive technology is not left to a handful of trees. On the demo
 *   universe 0.1–0.6 ranked equally well; training time grows linearly with it.
 * - 2 unlabelled per positive (at least 100, at most 2,000): Mordelet & Vert found samples about
 *   as large as the positive set work as well as larger ones; small samples make the bags differ
 *   (the point of bagging) and keep training fast.
 */
export const DEFAULT_LOOKALIKE_PARAMS: Readonly<LookalikeParams> = {
  bags: 20,
  treesPerBag: 10,
  maxDepth: 8,
  minNumSamples: 3,
  featureFraction: 0.2,
  unlabelledRatio: 2,
  minUnlabelled: 100,
  maxUnlabelled: 2000,
};

const CompactTreeSchema = z.object({
  /** Global feature index of the split, -1 at a leaf. Go left when vector[feature] < threshold. */
  feature: z.array(z.number().int()),
  threshold: z.array(z.number()),
  left: z.array(z.number().int()),
  right: z.array(z.number().int()),
  /** Training rows that reached the node (with resampling duplicates). */
  count: z.array(z.number()),
  /** Share of positives among them: the leaf's value is the tree's probability. */
  value: z.array(z.number()),
});
export type CompactTree = z.infer<typeof CompactTreeSchema>;

const LookalikeModelSchema = z.object({
  format: z.literal('pu-forest/1'),
  featureDim: z.number().int().positive(),
  seed: z.number().int(),
  params: LookalikeParamsSchema,
  /** Share of positive rows in every bag: what a leaf probability is relative to. */
  prior: z.number().gt(0).lt(1),
  counts: z.object({
    positives: z.number().int(),
    negatives: z.number().int(),
    unlabelled: z.number().int(),
    unlabelledPerBag: z.number().int(),
  }),
  /** Ids of the examples some bag trained on; bags refer to them by position. */
  trainingIds: z.array(z.string()),
  bags: z.array(z.object({ inBag: z.array(z.number().int()), trees: z.array(CompactTreeSchema) })),
});
/** JSON-serialisable: store it as is, read it back with `loadLookalike`. */
export type LookalikeModel = z.infer<typeof LookalikeModelSchema>;
export type LookalikeBag = LookalikeModel['bags'][number];

// ---------------------------------------------------------------------------------------------
// Outcomes → examples


/** A competitor's customer proves the need, not that they would choose you. */
export const COMPETITOR_CUSTOMER_WEIGHT = 0.5;

/**
 * Label and weight of an account from its CRM outcome. Won accounts weigh more with deal value
 * (√(amount / median won amount), clamped to 0.5–2 so one large deal does not dominate) and with
 * retention (+25 % per year still a customer, up to +50 %). Churned accounts are negatives: not
 * the customers to find more of.
 */
export function outcomeExample(
  outcome: { status: OutcomeStatus | null; amount: number | null; closedAt: Date | null },
  context: { medianWonAmount: number | null; now: Date },
): { label: ExampleLabel; weight: number } {
  switch (outcome.status) {
    case 'won': {
      const { amount, closedAt } = outcome;
      const median = context.medianWonAmount;
      const value = amount != null && amount > 0 && median ? clamp(Math.sqrt(amount / median), 0.5, 2) : 1;
      const years = closedAt ? (context.now.getTime() - closedAt.getTime()) / (365.25 * 86_400_000) : 0;
      return { label: 'positive', weight: value * (1 + 0.25 * clamp(years, 0, 2)) };
    }
    case 'competitor_customer':
      return { label: 'positive', weight: COMPETITOR_CUSTOMER_WEIGHT };
    case 'lost':
    case 'churned':
      return { label: 'negative', weight: 1 };
    default:
      return { label: 'unlabelled', weight: 1 };
  }
}

// ---------------------------------------------------------------------------------------------
// Training

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** mulberry32: small, fast, and the same sequence on every platform for a seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle of a copy. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** `n` draws with replacement, each item with probability ∝ its weight. */
function weightedDraws(weights: number[], n: number, random: () => number): number[] {
  const cumulative: number[] = [];
  let total = 0;
  for (const w of weights) cumulative.push((total += w));
  return Array.from({ length: n }, () => {
    const target = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  });
}

function validate(examples: TrainingExample[]): number {
  if (examples.length === 0) throw new Error('no training examples');
  const dim = examples[0].vector.length;
  const ids = new Set<string>();
  for (const e of examples) {
    if (ids.has(e.id)) throw new Error(`duplicate example id ${e.id}`);
    ids.add(e.id);
    if (e.vector.length !== dim) throw new Error(`example ${e.id} has ${e.vector.length} features, expected ${dim}`);
    if (!e.vector.every(Number.isFinite)) throw new Error(`example ${e.id} has a non-finite feature`);
    if (e.weight !== undefined && !(e.weight > 0)) throw new Error(`example ${e.id} has weight ${e.weight}; weights must be > 0`);
  }
  return dim;
}

/** Features that vary across the examples; constant ones (unused slots) cannot split and would waste trees' feature subsets. */
function varyingFeatures(examples: TrainingExample[], dim: number): number[] {
  const first = examples[0].vector;
  const out: number[] = [];
  for (let j = 0; j < dim; j++) if (examples.some((e) => e.vector[j] !== first[j])) out.push(j);
  return out;
}

interface CartNode {
  splitColumn?: number;
  splitValue?: number;
  left?: CartNode;
  right?: CartNode;
}

/** Index of the child a vector goes to: the single definition of the split rule (ml-cart's `<`). */
export function nextNode(tree: CompactTree, node: number, vector: ArrayLike<number>): number {
  return vector[tree.feature[node]] < tree.threshold[node] ? tree.left[node] : tree.right[node];
}

/**
 * Flattens an ml-cart tree, mapping its column positions (`columns[i]` = global feature of the
 * tree's i-th column), and computes each node's count and share of positives by routing the rows
 * the tree was trained on. Each tree of a bag is trained on exactly those rows, so the statistics
 * are exact and leaf values equal ml-cart's leaf distributions.
 */
export function compactTree(root: CartNode, columns: number[], rows: number[][], labels: number[]): CompactTree {
  const tree: CompactTree = { feature: [], threshold: [], left: [], right: [], count: [], value: [] };
  const visit = (node: CartNode): number => {
    const i = tree.feature.length;
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    // ml-cart's own test (TreeNode.classify): a node with both children is a split.
    if (node.left && node.right) {
      tree.feature[i] = columns[node.splitColumn!];
      tree.threshold[i] = node.splitValue!;
      tree.left[i] = visit(node.left);
      tree.right[i] = visit(node.right);
    }
    return i;
  };
  visit(root);

  const positives = new Array<number>(tree.feature.length).fill(0);
  tree.count = new Array<number>(tree.feature.length).fill(0);
  rows.forEach((row, r) => {
    for (let i = 0; ; i = nextNode(tree, i, row)) {
      tree.count[i] += 1;
      positives[i] += labels[r];
      if (tree.feature[i] < 0) break;
    }
  });
  tree.value = tree.count.map((n, i) => {
    if (n === 0) throw new Error('a tree node reached by no training row: the split rule differs from ml-cart');
    return positives[i] / n;
  });
  return tree;
}

export function trainLookalike(input: {
  examples: TrainingExample[];
  seed: number;
  params?: Partial<LookalikeParams>;
}): LookalikeModel {
  const params = LookalikeParamsSchema.parse({ ...DEFAULT_LOOKALIKE_PARAMS, ...input.params });
  const dim = validate(input.examples);
  // Sorted by id: the model depends on the data and the seed, not on the order rows came from the database.
  const examples = input.examples.slice().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const byLabel = (label: ExampleLabel) => examples.flatMap((e, i) => (e.label === label ? [i] : []));
  const positives = byLabel('positive');
  const negatives = byLabel('negative');
  const unlabelled = byLabel('unlabelled');
  if (positives.length === 0) throw new Error('no positive examples');
  if (negatives.length + unlabelled.length === 0) throw new Error('no negative or unlabelled examples');

  const features = varyingFeatures(examples, dim);
  if (features.length === 0) throw new Error('no feature varies across the examples');
  // An integer ≥ 2: ml-random-forest reads 1 as "100 %".
  const featuresPerTree = Math.min(features.length, Math.max(2, Math.round(params.featureFraction * features.length)));

  // At most half the pool, so every unlabelled account is out-of-bag for about half the bags.
  const unlabelledPerBag = Math.min(
    clamp(Math.round(params.unlabelledRatio * positives.length), params.minUnlabelled, params.maxUnlabelled),
    unlabelled.length > 1 ? Math.floor(unlabelled.length / 2) : unlabelled.length,
  );
  const positiveWeights = positives.map((i) => examples[i].weight ?? 1);
  const random = seededRandom(input.seed);

  const bags = Array.from({ length: params.bags }, () => {
    const rows = [
      ...weightedDraws(positiveWeights, positives.length, random).map((k) => positives[k]),
      ...negatives.map(() => negatives[Math.floor(random() * negatives.length)]),
      ...shuffled(unlabelled, random).slice(0, unlabelledPerBag),
    ];
    const labels = rows.map((i) => (examples[i].label === 'positive' ? 1 : 0));
    const vectors = rows.map((i) => examples[i].vector);

    const forest = new RandomForestClassifier({
      nEstimators: params.treesPerBag,
      maxFeatures: featuresPerTree,
      replacement: false,
      // Row resampling is done above (weighted), so every tree of the bag sees exactly these rows.
      useSampleBagging: false,
      noOOB: true,
      seed: Math.floor(random() * 2 ** 31),
      treeOptions: { maxDepth: params.maxDepth, minNumSamples: params.minNumSamples },
    });
    forest.train(
      vectors.map((v) => features.map((j) => v[j])),
      labels,
    );
    const { indexes, estimators } = forest.toJSON().baseModel as unknown as {
      indexes: number[][];
      estimators: { root: CartNode }[];
    };
    const trees = estimators.map((est, t) =>
      compactTree(
        est.root,
        indexes[t].map((c) => features[c]),
        vectors,
        labels,
      ),
    );
    return { rows: [...new Set(rows)].sort((a, b) => a - b), trees };
  });

  // Bags refer to examples by position in `trainingIds`, which lists only examples some bag used.
  const used = [...new Set(bags.flatMap((b) => b.rows))].sort((a, b) => a - b);
  const position = new Map(used.map((exampleIndex, p) => [exampleIndex, p]));
  const bagSize = positives.length + negatives.length + unlabelledPerBag;
  return {
    format: 'pu-forest/1',
    featureDim: dim,
    seed: input.seed,
    params,
    prior: positives.length / bagSize,
    counts: {
      positives: positives.length,
      negatives: negatives.length,
      unlabelled: unlabelled.length,
      unlabelledPerBag,
    },
    trainingIds: used.map((i) => examples[i].id),
    bags: bags.map((b) => ({ inBag: b.rows.map((i) => position.get(i)!), trees: b.trees })),
  };
}

export function loadLookalike(json: unknown): LookalikeModel {
  return LookalikeModelSchema.parse(json);
}

// ---------------------------------------------------------------------------------------------
// Scoring

interface BagIndex {
  idPosition: Map<string, number>;
  inBag: Set<number>[];
}
const bagIndexes = new WeakMap<LookalikeModel, BagIndex>();

/**
 * The bags that may score an account: those that did not train on it. Accounts no bag trained on
 * (and calls without an id) get all bags; an account every bag trained on (possible only for
 * positives and known negatives, which are never prospects) also gets all bags.
 */
export function scoringBags(model: LookalikeModel, id?: string): LookalikeBag[] {
  if (id === undefined) return model.bags;
  let index = bagIndexes.get(model);
  if (!index) {
    index = {
      idPosition: new Map(model.trainingIds.map((trainingId, p) => [trainingId, p])),
      inBag: model.bags.map((b) => new Set(b.inBag)),
    };
    bagIndexes.set(model, index);
  }
  const position = index.idPosition.get(id);
  if (position === undefined) return model.bags;
  const outOfBag = model.bags.filter((_, b) => !index.inBag[b].has(position));
  return outOfBag.length > 0 ? outOfBag : model.bags;
}

function treeProbability(tree: CompactTree, vector: ArrayLike<number>): number {
  let node = 0;
  while (tree.feature[node] >= 0) node = nextNode(tree, node, vector);
  return tree.value[node];
}

/** Mean over bags of the mean leaf probability over the bag's trees: the raw forest probability. */
export function predictProbability(model: LookalikeModel, vector: ArrayLike<number>, id?: string): number {
  if (vector.length !== model.featureDim) throw new Error(`vector has ${vector.length} features, model expects ${model.featureDim}`);
  const bags = scoringBags(model, id);
  let sum = 0;
  for (const bag of bags) {
    let bagSum = 0;
    for (const tree of bag.trees) bagSum += treeProbability(tree, vector);
    sum += bagSum / bag.trees.length;
  }
  return sum / bags.length;
}

/**
 * Removes the bags' class balance from a raw probability: the posterior had positives and
 * negatives been equally common in training (0.5 = no evidence either way). Monotone, so it
 * does not change rankings; it makes fit comparable across workspaces and bag sizes.
 */
export function balanceFit(probability: number, prior: number): number {
  const pos = probability * (1 - prior);
  const neg = (1 - probability) * prior;
  return pos + neg === 0 ? 0.5 : pos / (pos + neg);
}

/**
 * Fit in 0..1 for each vector. Pass `ids` (same order) so accounts a bag trained on as negatives
 * are scored only by the other bags.
 */
export function predictFit(model: LookalikeModel, vectors: ArrayLike<number>[], ids?: string[]): number[] {
  if (ids && ids.length !== vectors.length) throw new Error('ids and vectors differ in length');
  return vectors.map((v, i) => balanceFit(predictProbability(model, v, ids?.[i]), model.prior));
}
