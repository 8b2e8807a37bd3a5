// Random forest training speed: ml-random-forest on our patched ml-cart (see
// patches/ml-cart+2.1.1.patch) against the same forest on the original ml-cart.
//
// The baseline is the published code, unmodified: ml-random-forest-original
// (npm:ml-random-forest@2.1.0, identical to ml-random-forest) loaded so that its
// require('ml-cart') gets ml-cart-original (npm:ml-cart@2.1.1, which
// patch-package leaves alone) instead of the patched top-level ml-cart; see
// loadOriginalRandomForest. Both get the same data, options and seed, and the
// bench checks that they grow the same trees.
//
// Run: npx tsx bench/train-speed.ts [patchedRuns] [originalRuns] [originalTrees]
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { RandomForestClassifier } from 'ml-random-forest';

const require = createRequire(import.meta.url);

interface Forest {
  train(X: number[][], y: number[]): void;
  predict(X: number[][]): number[];
  estimators?: unknown[];
}
type ForestClass = new (options: object) => Forest;

type ResolveFilename = (request: string, parent: { filename?: string } | undefined, ...rest: unknown[]) => string;
const moduleInternals = Module as unknown as { _resolveFilename: ResolveFilename };

let originalForest: ForestClass | undefined;

/**
 * RandomForestClassifier of ml-random-forest-original, growing its trees with
 * ml-cart-original. Node's CommonJS resolver is redirected while the bundle
 * loads (it requires ml-cart once, at load time), for requests of 'ml-cart'
 * from files in that package only.
 */
export function loadOriginalRandomForest(): ForestClass {
  if (originalForest) return originalForest;
  const forestDirectory = path.dirname(require.resolve('ml-random-forest-original/package.json'));
  const originalCart = require.resolve('ml-cart-original');
  const resolveFilename = moduleInternals._resolveFilename;
  moduleInternals._resolveFilename = function (this: unknown, request, parent, ...rest) {
    if (request === 'ml-cart' && parent?.filename?.startsWith(forestDirectory + path.sep)) {
      return originalCart;
    }
    return resolveFilename.call(this, request, parent, ...rest);
  };
  try {
    originalForest = require('ml-random-forest-original').RandomForestClassifier as ForestClass;
  } finally {
    moduleInternals._resolveFilename = resolveFilename;
  }

  // Had the bundle been loaded earlier, it would be cached with the patched trees.
  const forest = new originalForest({ nEstimators: 1, noOOB: true });
  forest.train([[0], [1], [2], [3], [4]], [0, 0, 1, 1, 1]);
  const OriginalTree = require('ml-cart-original').DecisionTreeClassifier;
  if (!(forest.estimators?.[0] instanceof OriginalTree)) {
    throw new Error('ml-random-forest-original was loaded without ml-cart-original');
  }
  return originalForest;
}

/** Uniform numbers in [0, 1), the same for a seed (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Deterministic data: uniform features, a noisy label from three of them. */
export function makeClassificationData(rows: number, columns: number, seed: number) {
  const random = seededRandom(seed);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < rows; i++) {
    const row = Array.from({ length: columns }, random);
    X.push(row);
    y.push(row[0] + row[1] - row[2] + 0.5 * random() > 0.75 ? 1 : 0);
  }
  return { X, y };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

interface Shape {
  rows: number;
  columns: number;
  trees: number;
}

export interface TrainSpeedShapeResult extends Shape {
  patchedSeconds: number[];
  patchedMedianSeconds: number;
  /** Trees in each baseline forest: the original is too slow to grow them all by default. */
  originalTrees: number;
  originalSeconds: number[];
  /** Median baseline time per tree × trees: the original's time for the whole forest. */
  originalEstimatedSeconds: number;
  speedup: number;
  /** The baseline's trees equal the patched forest's first trees (same seed, same bootstrap samples). */
  identicalTrees: boolean;
}

export interface TrainSpeedResult {
  forestOptions: string;
  data: string;
  shapes: TrainSpeedShapeResult[];
}

const SHAPES: Shape[] = [
  { rows: 2000, columns: 50, trees: 100 },
  { rows: 2000, columns: 30, trees: 50 },
];
const SEED = 42;

/**
 * Trains each shape patchedRuns times with the patched trees, and originalRuns
 * times a forest of its first originalTrees trees with the original ones, timing
 * train() only. Forest options are the defaults but nEstimators, with a fixed
 * seed: maxFeatures 1.0 (every tree gets as many features as the data, drawn
 * with replacement), bootstrap samples, out-of-bag predictions.
 *
 * The original takes seconds per tree here (over ten minutes for 2,000 × 50,
 * 100 trees on our 2 cores), so by default its time for the whole forest is
 * extrapolated from 10 trees: a tree's cost does not depend on how many follow
 * it (each grows from its own bootstrap sample). So few trees leave some rows
 * without an out-of-bag tree, on which ml-random-forest throws, so that forest
 * skips out-of-bag predictions (making the baseline slightly faster).
 * originalTrees >= trees times whole forests, with the same options.
 */
export function runTrainSpeedBench({ patchedRuns = 5, originalRuns = 1, originalTrees = 10 } = {}): TrainSpeedResult {
  const OriginalForest = loadOriginalRandomForest();
  const shapes = SHAPES.map((shape) => {
    const { X, y } = makeClassificationData(shape.rows, shape.columns, SEED);
    const options = { nEstimators: shape.trees, seed: SEED };
    const baselineTrees = Math.min(originalTrees, shape.trees);
    const baselineOptions = baselineTrees < shape.trees ? { ...options, nEstimators: baselineTrees, noOOB: true } : options;
    // Times train(); keeps the first forest only, for the comparison of trees.
    const time = (Forest: ForestClass, forestOptions: object, runs: number) => {
      const seconds: number[] = [];
      let first: Forest | undefined;
      for (let run = 0; run < runs; run++) {
        const forest = new Forest(forestOptions);
        const start = performance.now();
        forest.train(X, y);
        seconds.push((performance.now() - start) / 1000);
        first ??= forest;
      }
      return { seconds, trees: JSON.stringify(first?.estimators?.slice(0, baselineTrees)) };
    };

    const patched = time(RandomForestClassifier as unknown as ForestClass, options, patchedRuns);
    const original = time(OriginalForest, baselineOptions, originalRuns);
    const patchedMedianSeconds = median(patched.seconds);
    const originalEstimatedSeconds = (median(original.seconds) * shape.trees) / baselineTrees;
    return {
      ...shape,
      patchedSeconds: patched.seconds,
      patchedMedianSeconds,
      originalTrees: baselineTrees,
      originalSeconds: original.seconds,
      originalEstimatedSeconds,
      speedup: originalEstimatedSeconds / patchedMedianSeconds,
      identicalTrees: patched.trees === original.trees,
    };
  });
  return {
    forestOptions: `defaults, nEstimators per shape, seed ${SEED}`,
    data: 'uniform features in [0, 1), label 1 when x0 + x1 - x2 + noise > 0.75 (about half the rows)',
    shapes,
  };
}

function format(result: TrainSpeedResult): string {
  const lines = [`RandomForestClassifier.train (${result.forestOptions}; data: ${result.data})`];
  const seconds = (values: number[]) => values.map((value) => value.toFixed(2)).join(', ');
  for (const shape of result.shapes) {
    const original =
      shape.originalTrees < shape.trees
        ? `original ≈ ${shape.originalEstimatedSeconds.toFixed(1)} s (${shape.originalTrees} trees: ${seconds(shape.originalSeconds)} s)`
        : `original ${shape.originalEstimatedSeconds.toFixed(1)} s (median of ${seconds(shape.originalSeconds)})`;
    lines.push(
      `${shape.rows} rows × ${shape.columns} features, ${shape.trees} trees: ` +
        `patched ${shape.patchedMedianSeconds.toFixed(2)} s (median of ${seconds(shape.patchedSeconds)}), ` +
        `${original}, ${shape.speedup.toFixed(0)}x faster, identical trees: ${shape.identicalTrees}`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [patchedRuns, originalRuns, originalTrees] = process.argv.slice(2).map(Number);
  console.log(
    format(
      runTrainSpeedBench({
        patchedRuns: patchedRuns || undefined,
        originalRuns: originalRuns || undefined,
        originalTrees: originalTrees || undefined,
      }),
    ),
  );
}
