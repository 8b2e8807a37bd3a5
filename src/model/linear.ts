/**
 * The linear half of the fit: L2-regularised logistic regression over the same model features as the
 * forest, stacked with it (the share is chosen by cross-validation, ./metrics.ts).
 *
 * Why a linear model beside the forest: an ICP that is an OR of several tokens (two industries, three
 * synonymous tags) is one weight per token for a linear model, but many paths for trees that draw √d
 * candidate features per split; scikit-learn's logistic regression on the same tokens is the strongest
 * of the bench's baselines on such rules (docs/quality.md).
 *
 * - Features: every token feature as it is (0/1); each numeric feature standardised over its known values
 *   in training (missing = 0), plus one missing indicator per numeric feature.
 * - Positive–unlabelled weights consistent with the forest's bags: positives and known negatives keep their
 *   example weights; the unlabelled pool are negatives whose weights sum to what one bag samples
 *   (`unlabelledSampleSize`), i.e. the expected bag, without the sampling.
 * - Objective: Σ weight × log loss + (L2 / 2) × ‖w‖², intercept unpenalised: scikit-learn's
 *   LogisticRegression with C = 1 / L2 and these sample weights, minimised by L-BFGS (deterministic:
 *   rows sorted by id, fixed iteration order).
 */
import type { SparseVector } from '../features/spec.ts';
import { computeTask } from '../compute/thread.ts';
import { DEFAULT_LOOKALIKE_PARAMS, unlabelledSampleSize, type LookalikeParams, type TrainingExample } from './forest.ts';

/**
 * Penalty on the weights: scikit-learn's default C = 1, as the bench's baseline (bench/quality_baselines.py).
 * The bench's baseline weighs every unlabelled account 1, so the same penalty pulls harder here, where they
 * weigh one bag's sample together; other values have not been measured.
 */
export const LINEAR_L2 = 1;

export interface LinearModel {
  format: 'pu-logistic/1';
  featureDim: number;
  numericFeatures: number;
  /** Mean and standard deviation of each numeric feature's known values in training (standardisation). */
  numericMean: number[];
  numericScale: number[];
  /** Weight of each numeric feature's missing indicator. */
  missingWeights: number[];
  intercept: number;
  /** Non-zero weights by model-feature index; a numeric feature's applies to its standardised value. */
  weights: SparseVector;
  /** Weighted share of positives in training: what a probability is relative to (as the forest's prior). */
  prior: number;
}

/** A linear model as a model version keeps it: with its share of the fit. */
export interface StackedLinear {
  share: number;
  model: LinearModel;
}

export interface TrainLinearInput {
  examples: TrainingExample[];
  /** Features below this index are numeric (values ≥ 0, MISSING_NUMERIC when unknown); the rest 0/1. */
  numericFeatures: number;
  featureDim?: number;
  /** The forest's settings: the unlabelled weight is what one of its bags samples. */
  params?: Partial<LookalikeParams>;
  l2?: number;
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
/** log(1 + e^z), without overflow. */
const softplus = (z: number) => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));

/** Rows in the linear model's layout: numeric features standardised, missing indicators after the model features. */
interface LinearRows {
  offsets: Int32Array;
  indexes: Int32Array;
  values: Float64Array;
}

/** One row's entries: standardised numerics (every numeric feature, absent = 0 = known), missing indicators, tokens. */
/** How a row's numbers are standardised: each numeric feature's mean and scale over its known values. */
interface Standardise {
  featureDim: number;
  numericFeatures: number;
  numericMean: number[];
  numericScale: number[];
}

function linearEntries(v: SparseVector, standardise: Standardise, out: { index: number[]; value: number[] }): void {
  const { featureDim, numericFeatures, numericMean, numericScale } = standardise;
  let k = 0;
  for (let j = 0; j < numericFeatures; j++) {
    let x = 0;
    if (k < v.index.length && v.index[k] === j) x = v.value[k++];
    if (x < 0) {
      out.index.push(featureDim + j);
      out.value.push(1);
    } else {
      out.index.push(j);
      out.value.push((x - numericMean[j]) / numericScale[j]);
    }
  }
  for (; k < v.index.length; k++) {
    if (v.index[k] < numericFeatures || v.index[k] >= featureDim) continue;
    out.index.push(v.index[k]);
    out.value.push(v.value[k]);
  }
}

/** Mean and standard deviation of each numeric feature's known values (scale 1 when constant or unknown everywhere). */
function numericStatistics(examples: TrainingExample[], numericFeatures: number) {
  const sum = new Float64Array(numericFeatures);
  const squares = new Float64Array(numericFeatures);
  const known = new Float64Array(numericFeatures);
  for (const e of examples) {
    let k = 0;
    for (let j = 0; j < numericFeatures; j++) {
      let x = 0;
      if (k < e.features.index.length && e.features.index[k] === j) x = e.features.value[k++];
      if (x < 0) continue;
      sum[j] += x;
      squares[j] += x * x;
      known[j]++;
    }
  }
  const numericMean: number[] = [];
  const numericScale: number[] = [];
  for (let j = 0; j < numericFeatures; j++) {
    const mean = known[j] > 0 ? sum[j] / known[j] : 0;
    const variance = known[j] > 0 ? Math.max(0, squares[j] / known[j] - mean * mean) : 0;
    numericMean.push(mean);
    numericScale.push(variance > 1e-12 ? Math.sqrt(variance) : 1);
  }
  return { numericMean, numericScale };
}

export function trainLinear(input: TrainLinearInput): LinearModel {
  const problem = linearProblem(input);
  const { featureDim, numericFeatures, standardise, prior } = problem;
  // Parameters: one weight per model feature, one per missing indicator, then the intercept.
  const interceptAt = featureDim + numericFeatures;
  const start = new Float64Array(interceptAt + 1);
  start[interceptAt] = Math.log(prior / (1 - prior));
  const solution = lbfgs(logisticObjective(problem, input.l2 ?? LINEAR_L2), start);

  const weightEntries: SparseVector = { index: [], value: [] };
  for (let i = 0; i < featureDim; i++) {
    if (solution[i] !== 0) {
      weightEntries.index.push(i);
      weightEntries.value.push(solution[i]);
    }
  }
  return {
    format: 'pu-logistic/1',
    featureDim,
    numericFeatures,
    numericMean: standardise.numericMean,
    numericScale: standardise.numericScale,
    missingWeights: Array.from(solution.subarray(featureDim, interceptAt)),
    intercept: solution[interceptAt],
    weights: weightEntries,
    prior,
  };
}

/** The training rows as the optimiser reads them: standardised sparse rows, labels, example weights and the weighted prior. */
interface LinearProblem {
  featureDim: number;
  numericFeatures: number;
  standardise: Standardise;
  rows: LinearRows;
  labels: Float64Array;
  weights: Float64Array;
  prior: number;
}

function linearProblem(input: TrainLinearInput): LinearProblem {
  const params = { ...DEFAULT_LOOKALIKE_PARAMS, ...input.params };
  const { numericFeatures } = input;
  // Sorted by id: the same examples in any order give the same model.
  const examples = input.examples.slice().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  let featureDim = Math.max(input.featureDim ?? 0, numericFeatures, 1);
  for (const e of examples) if (e.features.index.length > 0) featureDim = Math.max(featureDim, e.features.index.at(-1)! + 1);
  const positives = examples.filter((e) => e.label === 'positive').length;
  const unlabelled = examples.filter((e) => e.label === 'unlabelled').length;
  if (positives === 0 || positives === examples.length) throw new Error('the linear model needs positive and other examples');
  const unlabelledWeight = unlabelled > 0 ? unlabelledSampleSize(params, positives, unlabelled) / unlabelled : 0;

  const standardise = { featureDim, numericFeatures, ...numericStatistics(examples, numericFeatures) };
  const entries = { index: [] as number[], value: [] as number[] };
  const offsets = new Int32Array(examples.length + 1);
  examples.forEach((e, r) => {
    linearEntries(e.features, standardise, entries);
    offsets[r + 1] = entries.index.length;
  });
  const rows: LinearRows = { offsets, indexes: Int32Array.from(entries.index), values: Float64Array.from(entries.value) };
  const labels = Float64Array.from(examples, (e) => (e.label === 'positive' ? 1 : 0));
  const weights = Float64Array.from(examples, (e) => (e.label === 'unlabelled' ? unlabelledWeight : (e.weight ?? 1)));
  let positiveWeight = 0;
  let totalWeight = 0;
  for (let r = 0; r < examples.length; r++) {
    positiveWeight += weights[r] * labels[r];
    totalWeight += weights[r];
  }
  return { featureDim, numericFeatures, standardise, rows, labels, weights, prior: positiveWeight / totalWeight };
}

/** The weighted logistic loss with an L2 penalty (not on the intercept, the last parameter), and its gradient. */
function logisticObjective({ rows, labels, weights }: LinearProblem, l2: number): Objective {
  return (x, gradient) => {
    const interceptAt = x.length - 1;
    let loss = 0;
    gradient.fill(0);
    for (let r = 0; r < labels.length; r++) {
      let z = x[interceptAt];
      for (let k = rows.offsets[r]; k < rows.offsets[r + 1]; k++) z += x[rows.indexes[k]] * rows.values[k];
      loss += weights[r] * (softplus(z) - labels[r] * z);
      const residual = weights[r] * (sigmoid(z) - labels[r]);
      for (let k = rows.offsets[r]; k < rows.offsets[r + 1]; k++) gradient[rows.indexes[k]] += residual * rows.values[k];
      gradient[interceptAt] += residual;
    }
    for (let i = 0; i < interceptAt; i++) {
      loss += 0.5 * l2 * x[i] * x[i];
      gradient[i] += l2 * x[i];
    }
    return loss;
  };
}

/** A function to minimise: its value at x, with its gradient written into `gradient`. */
type Objective = (x: Float64Array, gradient: Float64Array) => number;

const dot = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
const largest = (a: Float64Array) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** The last L-BFGS pairs: steps s, gradient changes y and 1 / (s·y). */
class CurvatureHistory {
  steps: Float64Array[] = [];
  changes: Float64Array[] = [];
  rhos: number[] = [];
  constructor(private readonly memory: number) {}

  add(s: Float64Array, y: Float64Array): void {
    const curvature = dot(s, y);
    if (curvature <= 1e-12) return;
    this.steps.push(s);
    this.changes.push(y);
    this.rhos.push(1 / curvature);
    if (this.steps.length > this.memory) {
      this.steps.shift();
      this.changes.shift();
      this.rhos.shift();
    }
  }

  clear(): void {
    this.steps.length = 0;
    this.changes.length = 0;
    this.rhos.length = 0;
  }

  /** Two-loop recursion: direction = −H·gradient. */
  direction(gradient: Float64Array, direction: Float64Array): void {
    const { steps, changes, rhos } = this;
    const alphas = new Float64Array(steps.length);
    for (let i = 0; i < direction.length; i++) direction[i] = -gradient[i];
    for (let m = steps.length - 1; m >= 0; m--) {
      alphas[m] = rhos[m] * dot(steps[m], direction);
      for (let i = 0; i < direction.length; i++) direction[i] -= alphas[m] * changes[m][i];
    }
    const last = steps.length - 1;
    const scale = last >= 0 ? dot(steps[last], changes[last]) / dot(changes[last], changes[last]) : 1 / Math.max(1, largest(gradient));
    for (let i = 0; i < direction.length; i++) direction[i] *= scale;
    for (let m = 0; m < steps.length; m++) {
      const beta = rhos[m] * dot(changes[m], direction);
      for (let i = 0; i < direction.length; i++) direction[i] += steps[m][i] * (alphas[m] - beta);
    }
  }
}

/**
 * Limited-memory BFGS (Nocedal & Wright, algorithm 7.4, 10 pairs) with a backtracking line search
 * (Armijo); stops when the largest gradient entry or the relative decrease is tiny. The objective
 * is convex, so this reaches its minimum.
 */
function lbfgs(objective: Objective, start: Float64Array, maxIterations = 500): Float64Array {
  const n = start.length;
  const history = new CurvatureHistory(10);
  let x: Float64Array = start.slice();
  let gradient = new Float64Array(n);
  let value = objective(x, gradient);
  const direction = new Float64Array(n);
  const nextGradient = new Float64Array(n);
  for (let iteration = 0; iteration < maxIterations && largest(gradient) > 1e-6; iteration++) {
    history.direction(gradient, direction);
    let slope = dot(gradient, direction);
    if (slope >= 0) {
      // Not a descent direction (curvature lost to rounding): start again from steepest descent.
      history.clear();
      for (let i = 0; i < n; i++) direction[i] = -gradient[i] / Math.max(1, largest(gradient));
      slope = dot(gradient, direction);
    }
    const { candidate, candidateValue } = lineSearch(objective, x, value, direction, slope, nextGradient);
    if (!(candidateValue < value)) break;
    history.add(
      candidate.map((ci, i) => ci - x[i]),
      nextGradient.map((gi, i) => gi - gradient[i]),
    );
    const decrease = value - candidateValue;
    x = candidate;
    value = candidateValue;
    gradient = nextGradient.slice();
    if (decrease <= 1e-12 * Math.max(1, Math.abs(value))) break;
  }
  return x;
}

/** Backtracking (Armijo): halves the step until the value falls enough; the gradient at the candidate goes into `nextGradient`. */
function lineSearch(
  objective: Objective,
  x: Float64Array,
  value: number,
  direction: Float64Array,
  slope: number,
  nextGradient: Float64Array,
) {
  let step = 1;
  let candidate: Float64Array = x;
  let candidateValue = value;
  for (let tries = 0; tries < 40; tries++) {
    candidate = x.map((xi, i) => xi + step * direction[i]);
    candidateValue = objective(candidate, nextGradient);
    if (candidateValue <= value + 1e-4 * step * slope) break;
    step /= 2;
  }
  return { candidate, candidateValue };
}

/** Training the final model's linear half on the compute thread. */
export const TRAIN_LINEAR = computeTask(import.meta.url, trainLinear);

// ---------------------------------------------------------------------------------------------
// Scoring

interface CompiledLinear {
  /** Dense weights in the training layout (model features, then missing indicators). */
  dense: Float64Array;
  entries: { index: number[]; value: number[] };
}
const compiled = new WeakMap<LinearModel, CompiledLinear>();

function compile(model: LinearModel): CompiledLinear {
  let c = compiled.get(model);
  if (!c) {
    const dense = new Float64Array(model.featureDim + model.numericFeatures);
    model.weights.index.forEach((i, k) => (dense[i] = model.weights.value[k]));
    model.missingWeights.forEach((w, j) => (dense[model.featureDim + j] = w));
    c = { dense, entries: { index: [], value: [] } };
    compiled.set(model, c);
  }
  return c;
}

/** Each term of the account's logit by model feature (a numeric feature's missing indicator counts as the feature). */
function terms(model: LinearModel, v: SparseVector): { index: number[]; value: number[] } {
  const { dense, entries } = compile(model);
  entries.index.length = 0;
  entries.value.length = 0;
  linearEntries(v, model, entries);
  return {
    index: entries.index.map((i) => (i >= model.featureDim ? i - model.featureDim : i)),
    value: entries.index.map((i, k) => dense[i] * entries.value[k]),
  };
}

/** The log-odds of a positive, as trained (relative to the training prior). */
export function linearLogit(model: LinearModel, v: SparseVector): number {
  const { dense, entries } = compile(model);
  entries.index.length = 0;
  entries.value.length = 0;
  linearEntries(v, model, entries);
  let z = model.intercept;
  for (let k = 0; k < entries.index.length; k++) z += dense[entries.index[k]] * entries.value[k];
  return z;
}

/** The fit of a forest stacked with a linear model that has `share` of it (cross-validation chooses the share). */
export const stackFit = (forestFit: number, linear: number, share: number) => (1 - share) * forestFit + share * linear;

/** The posterior had positives and negatives been equally common in training, as the forest's `balanceFit`. */
export function linearFit(model: LinearModel, v: SparseVector): number {
  return sigmoid(linearLogit(model, v) - Math.log(model.prior / (1 - model.prior)));
}

export interface LinearExplanation {
  /** The model's probability as trained: bias + Σ contributions. */
  probability: number;
  /** The probability of an account with no tokens and average numbers (every term 0). */
  bias: number;
  /** Per model feature, its share of probability − bias: its logit term × the secant slope of the sigmoid. */
  contributions: { index: number[]; value: number[] };
}

/**
 * Contributions in probability points, like the forest's: each feature's logit term scaled by
 * (σ(z) − σ(b)) / (z − b), so they keep their signs and sum to the probability's distance from the bias.
 */
export function explainLinear(model: LinearModel, v: SparseVector): LinearExplanation {
  const { index, value } = terms(model, v);
  const logit = model.intercept + value.reduce((s, x) => s + x, 0);
  const probability = sigmoid(logit);
  const bias = sigmoid(model.intercept);
  const distance = logit - model.intercept;
  const slope = Math.abs(distance) > 1e-9 ? (probability - bias) / distance : bias * (1 - bias);
  const kept = index.flatMap((_, k) => (value[k] !== 0 ? [k] : []));
  return { probability, bias, contributions: { index: kept.map((k) => index[k]), value: kept.map((k) => value[k] * slope) } };
}
