/**
 * The lookalike model: random forests trained by positive–unlabelled bagging
 * (Mordelet & Vert 2014, "A bagging SVM to learn from positive and unlabeled examples").
 *
 * Won accounts are positives; lost and churned accounts are known negatives; everything else is
 * unlabelled, and some of it would buy. Each bag trains a small forest (src/model/tree.ts: features
 * sampled at every split, sample weights) on the positives (weighted by deal value and retention),
 * the known negatives, and a fresh random sample of unlabelled accounts as negatives; every tree
 * of a bag grows on a bootstrap of the bag's rows (scikit-learn's bootstrap, as counts × weights).
 * The fit of an account is the average over bags of the trees' leaf probabilities; an account a bag
 * trained on is scored only by the other bags (out-of-bag), so no unlabelled account is scored by a
 * forest that was told it is a negative.
 */
import { z } from 'zod';
import type { SparseVector } from '../features/spec.ts';
import type { OutcomeStatus } from '../outcomes/schema.ts';
import { growTree, nextNode, toSparseRows, type CompactTree, type SparseRows, type TreeOptions } from './tree.ts';
import { seededRandom, shuffled } from '../lib/random.ts';
import { DomainError } from '../lib/errors.ts';
import { runSteps, type Steps } from '../lib/steps.ts';
import { computeTask } from '../compute/thread.ts';

/** The workspace's data cannot train a forest: said to the client as it is (the model's `error`). */
class TrainingDataError extends DomainError {
  constructor(problem: string) {
    super('unprocessable', 'training_data', `The training data cannot train a forest: ${problem}`);
  }
}

export { nextNode, type CompactTree };

export type ExampleLabel = 'positive' | 'negative' | 'unlabelled';

export interface TrainingExample {
  id: string;
  /** Model features (featurise). */
  features: SparseVector;
  /** Similarity vector (similarityVector), for the blend's cross-validation; optional for the forest alone. */
  similarity?: SparseVector;
  label: ExampleLabel;
  /** Relative importance (see `outcomeExample`). Default 1. */
  weight?: number;
}

export const MaxFeatures = z.union([z.literal('sqrt'), z.literal('log2'), z.number().gt(0).lte(1)]);

const LookalikeParamsSchema = z.object({
  /** Number of PU bags, each with its own unlabelled sample. */
  bags: z.number().int().positive(),
  treesPerBag: z.number().int().positive(),
  maxDepth: z.number().int().positive(),
  /** A node with this many rows or fewer is a leaf. */
  minNumSamples: z.number().int().positive(),
  /** Candidate features per split: √d, log2 d, or a share of the d features that vary in training. */
  maxFeatures: MaxFeatures,
  /** Unlabelled sample per bag = this × number of positives, clamped to [minUnlabelled, maxUnlabelled]. */
  unlabelledRatio: z.number().positive(),
  minUnlabelled: z.number().int().nonnegative(),
  maxUnlabelled: z.number().int().nonnegative(),
  /** The largest share of the fit cross-validation may give the linear model stacked with the forest (./linear.ts). */
  maxLinearShare: z.number().min(0).max(1),
});
export type LookalikeParams = z.infer<typeof LookalikeParamsSchema>;

/**
 * Defaults, measured on real company data (bench/quality.ts) against scikit-learn's forest:
 * - 20 bags × 10 trees = 200 trees (scikit-learn's baseline has 200); an unlabelled account is
 *   out-of-bag for most bags, so its score still averages well over 100 trees.
 * - √d candidate features per split, as scikit-learn's classifier default.
 * - depth ≤ 8, nodes of ≤ 5 rows left as leaves: deep enough for a conjunction of several
 *   attributes and a numeric threshold or two, shallow enough not to learn CRM noise (outcomes are
 *   noisy draws: on the generated universe depth 16 / leaves of 2 ranked the true ICP at P@100 0.68,
 *   depth 8 / 5 at 0.77, with the same precision on the real-data rules).
 * - 4 unlabelled per positive (at least 200, at most 4,000): enough negatives to pin down what the
 *   won accounts do not share with everyone, and each bag still sees a different sample.
 */
export const DEFAULT_LOOKALIKE_PARAMS: Readonly<LookalikeParams> = {
  bags: 20,
  treesPerBag: 10,
  maxDepth: 8,
  minNumSamples: 5,
  maxFeatures: 'sqrt',
  unlabelledRatio: 4,
  minUnlabelled: 200,
  maxUnlabelled: 4000,
  maxLinearShare: 1,
};

const CompactTreeSchema = z.object({
  feature: z.array(z.number().int()),
  threshold: z.array(z.number()),
  left: z.array(z.number().int()),
  right: z.array(z.number().int()),
  count: z.array(z.number()),
  value: z.array(z.number()),
});

const LookalikeModelSchema = z.object({
  format: z.literal('pu-forest/2'),
  featureDim: z.number().int().positive(),
  seed: z.number().int(),
  params: LookalikeParamsSchema,
  /** Weighted share of positives in every bag: what a leaf probability is relative to. */
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

function validate(examples: TrainingExample[]): number {
  if (examples.length === 0) throw new Error('no training examples');
  const ids = new Set<string>();
  let dim = 0;
  for (const e of examples) {
    if (ids.has(e.id)) throw new Error(`duplicate example id ${e.id}`);
    ids.add(e.id);
    const { index, value } = e.features;
    if (index.length !== value.length) throw new Error(`example ${e.id} has mismatched indexes and values`);
    for (let k = 0; k < index.length; k++) {
      if (!Number.isFinite(value[k])) throw new Error(`example ${e.id} has a non-finite feature`);
      if (k > 0 && index[k] <= index[k - 1]) throw new Error(`example ${e.id} has unsorted feature indexes`);
    }
    if (index.length > 0) dim = Math.max(dim, index[index.length - 1] + 1);
    if (e.weight !== undefined && !(e.weight > 0)) throw new Error(`example ${e.id} has weight ${e.weight}; weights must be > 0`);
  }
  return dim;
}

/** Features that take more than one value across the examples (absent = 0). */
function countVaryingFeatures(examples: TrainingExample[], dim: number): number {
  const present = new Int32Array(dim);
  const first = new Float64Array(dim).fill(Number.NaN);
  const differs = new Uint8Array(dim);
  for (const e of examples) {
    e.features.index.forEach((f, k) => {
      const x = e.features.value[k];
      if (present[f]++ === 0) first[f] = x;
      else if (first[f] !== x) differs[f] = 1;
    });
  }
  let n = 0;
  for (let f = 0; f < dim; f++) if (present[f] > 0 && (present[f] < examples.length || differs[f])) n++;
  return n;
}

/**
 * Unlabelled accounts each bag samples as negatives: unlabelledRatio × positives, clamped, and at most half
 * the pool, so every unlabelled account is out-of-bag for about half the bags.
 */
export function unlabelledSampleSize(params: LookalikeParams, positives: number, unlabelled: number): number {
  return Math.min(
    clamp(Math.round(params.unlabelledRatio * positives), params.minUnlabelled, params.maxUnlabelled),
    unlabelled > 1 ? Math.floor(unlabelled / 2) : unlabelled,
  );
}

/** Candidate features per split for `varying` features that vary. */
export function featuresPerSplit(maxFeatures: LookalikeParams['maxFeatures'], varying: number): number {
  const n = maxFeatures === 'sqrt' ? Math.sqrt(varying) : maxFeatures === 'log2' ? Math.log2(varying) : maxFeatures * varying;
  return Math.max(1, Math.min(varying, Math.round(n)));
}

export interface TrainLookalikeInput {
  examples: TrainingExample[];
  seed: number;
  /** Features below this index are numeric (threshold sweeps); the rest are binary. */
  numericFeatures: number;
  /** Model dimension (features beyond the examples' highest index may exist). */
  featureDim?: number;
  params?: Partial<LookalikeParams>;
}

export const trainLookalike = (input: TrainLookalikeInput): LookalikeModel => runSteps(growLookalike(input));

/** The examples, sorted, split by label and checked that they can train a forest, as the rows trees grow on. */
interface TrainingSet {
  dim: number;
  examples: TrainingExample[];
  positives: number[];
  negatives: number[];
  unlabelled: number[];
  /** Candidate features per split. */
  maxFeatures: number;
  data: SparseRows;
  labels: number[];
  sampleWeight: number[];
}

function trainingSet(input: TrainLookalikeInput, params: LookalikeParams): TrainingSet {
  const dim = Math.max(validate(input.examples), input.featureDim ?? 0, 1);
  // Sorted by id: the model depends on the data and the seed, not on the order rows came from the database.
  const examples = input.examples.slice().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const byLabel = (label: ExampleLabel) => examples.flatMap((e, i) => (e.label === label ? [i] : []));
  const positives = byLabel('positive');
  const negatives = byLabel('negative');
  const unlabelled = byLabel('unlabelled');
  if (positives.length === 0) throw new TrainingDataError('no positive examples');
  if (negatives.length + unlabelled.length === 0) throw new TrainingDataError('no negative or unlabelled examples');
  const varying = countVaryingFeatures(examples, dim);
  if (varying === 0) throw new TrainingDataError('no feature varies across the examples');
  return {
    dim,
    examples,
    positives,
    negatives,
    unlabelled,
    maxFeatures: featuresPerSplit(params.maxFeatures, varying),
    data: toSparseRows(
      examples.map((e) => e.features),
      dim,
    ),
    labels: examples.map((e) => (e.label === 'positive' ? 1 : 0)),
    sampleWeight: examples.map((e) => e.weight ?? 1),
  };
}

/** Weighted share of positives among a bag's rows. */
function bagPrior(bagRows: number[], { labels, sampleWeight }: TrainingSet): number {
  let bagWeight = 0;
  let bagPositive = 0;
  for (const r of bagRows) {
    bagWeight += sampleWeight[r];
    bagPositive += sampleWeight[r] * labels[r];
  }
  return bagPositive / bagWeight;
}

/** One tree of a bag, grown on a bootstrap of the bag's rows. */
function growBootstrapTree(
  set: TrainingSet,
  bagRows: number[],
  numericFeatures: number,
  options: TreeOptions,
  random: () => number,
): CompactTree {
  const { data, labels, sampleWeight } = set;
  // Bootstrap: n draws with replacement; a row's weight is its draw count × its sample weight.
  const draws = new Map<number, number>();
  for (let i = 0; i < bagRows.length; i++) {
    const r = bagRows[Math.floor(random() * bagRows.length)];
    draws.set(r, (draws.get(r) ?? 0) + 1);
  }
  const weights = new Float64Array(set.examples.length);
  for (const [r, n] of draws) weights[r] = n * sampleWeight[r];
  const rows = [...draws.keys()].sort((a, b) => a - b);
  return growTree({ data, rows, labels, weights, numericFeatures, options, random });
}

/** The grown bags as a model: bags refer to examples by position in `trainingIds`, which lists only examples some bag used. */
function forestModel(
  set: TrainingSet,
  grown: { seed: number; params: LookalikeParams; unlabelledPerBag: number; priorSum: number },
  bags: { rows: number[]; trees: CompactTree[] }[],
): LookalikeModel {
  const { params } = grown;
  const used = [...new Set(bags.flatMap((b) => b.rows))].sort((a, b) => a - b);
  const position = new Map(used.map((exampleIndex, p) => [exampleIndex, p]));
  return {
    format: 'pu-forest/2',
    featureDim: set.dim,
    seed: grown.seed,
    params,
    prior: clamp(grown.priorSum / params.bags, 1e-6, 1 - 1e-6),
    counts: {
      positives: set.positives.length,
      negatives: set.negatives.length,
      unlabelled: set.unlabelled.length,
      unlabelledPerBag: grown.unlabelledPerBag,
    },
    trainingIds: used.map((i) => set.examples[i].id),
    bags: bags.map((b) => ({ inBag: b.rows.map((i) => position.get(i)!), trees: b.trees })),
  };
}

/**
 * The training, a tree at a time: it yields after each tree, so the compute thread can give other
 * workspaces' work a turn during a large training (src/compute/thread.ts). Same model as trainLookalike.
 */
export function* growLookalike(input: TrainLookalikeInput): Steps<LookalikeModel> {
  const params = LookalikeParamsSchema.parse({ ...DEFAULT_LOOKALIKE_PARAMS, ...input.params });
  const set = trainingSet(input, params);
  const { positives, negatives, unlabelled } = set;
  const unlabelledPerBag = unlabelledSampleSize(params, positives.length, unlabelled.length);
  const random = seededRandom(input.seed);
  const options = { maxDepth: params.maxDepth, minNumSamples: params.minNumSamples, maxFeatures: set.maxFeatures, minGain: 0 };

  let priorSum = 0;
  const bags: { rows: number[]; trees: CompactTree[] }[] = [];
  for (let b = 0; b < params.bags; b++) {
    const bagRows = [...positives, ...negatives, ...shuffled(unlabelled, random).slice(0, unlabelledPerBag)];
    priorSum += bagPrior(bagRows, set);
    const trees: CompactTree[] = [];
    for (let t = 0; t < params.treesPerBag; t++) {
      trees.push(growBootstrapTree(set, bagRows, input.numericFeatures, options, random));
      yield;
    }
    bags.push({ rows: bagRows.slice().sort((a, b) => a - b), trees });
  }
  return forestModel(set, { seed: input.seed, params, unlabelledPerBag, priorSum }, bags);
}

export function loadLookalike(json: unknown): LookalikeModel {
  return LookalikeModelSchema.parse(json);
}

// ---------------------------------------------------------------------------------------------
// Scoring

/**
 * A reusable dense copy of one sparse vector at a time: trees look features up by index, and
 * allocating a model-wide array per account would cost more than scoring it.
 */
export class DenseScratch {
  private readonly values: Float64Array;
  private current: SparseVector | null = null;
  constructor(dim: number) {
    this.values = new Float64Array(dim);
  }
  /** The dense view of `v`, valid until the next call. */
  of(v: SparseVector): Float64Array {
    if (this.current) for (const i of this.current.index) this.values[i] = 0;
    v.index.forEach((i, k) => {
      if (i < this.values.length) this.values[i] = v.value[k];
    });
    this.current = v;
    return this.values;
  }
}

interface BagIndex {
  idPosition: Map<string, number>;
  inBag: Set<number>[];
}
const bagIndexes = new WeakMap<LookalikeModel, BagIndex>();

/**
 * The bags that may score an account: those that did not train on it. Accounts no bag trained on
 * (and calls without an id) get all bags; an account every bag trained on (positives and known
 * negatives, which are never prospects) also gets all bags.
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

/** Mean over bags of the mean leaf probability over the bag's trees, for a dense vector: the raw forest probability. */
export function predictProbability(model: LookalikeModel, vector: ArrayLike<number>, id?: string): number {
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
 * Fit in 0..1 for each sparse vector. Pass `ids` (same order) so accounts a bag trained on as
 * negatives are scored only by the other bags.
 */
export function predictFit(model: LookalikeModel, vectors: SparseVector[], ids?: string[]): number[] {
  if (ids && ids.length !== vectors.length) throw new Error('ids and vectors differ in length');
  const scratch = new DenseScratch(model.featureDim);
  return vectors.map((v, i) => balanceFit(predictProbability(model, scratch.of(v), ids?.[i]), model.prior));
}

/** Growing the forest on the compute thread, a tree at a time. */
export const GROW_LOOKALIKE = computeTask(import.meta.url, growLookalike);
