// Tree growing speed: our grower (src/model/tree.ts) against ml-cart, the reference it replaces,
// on the same data and settings (every feature a candidate at every split, no bootstrap, ml-cart's
// gain threshold), in the same process. ml-cart is slow (every candidate threshold re-partitions
// the node; DESIGN §5), so it grows fewer trees and the figure is per tree.
//
// Run: npx tsx bench/train-speed.ts [rows] [columns] [ourTrees] [referenceTrees]
import { DecisionTreeClassifier } from 'ml-cart';
import { seededRandom } from '../src/lib/random.ts';
import { growTree, toSparseRows } from '../src/model/tree.ts';
import { describeMachine, fmt, median, timed } from './lib.ts';

/** Continuous features, labels from a noisy rule on the first three: every node has splits to search. */
export function makeClassificationData(rows: number, columns: number, seed: number) {
  const random = seededRandom(seed);
  const X = Array.from({ length: rows }, () => Array.from({ length: columns }, () => random()));
  const y = X.map((r) => (r[0] + r[1] * r[2] + 0.3 * random() > 0.8 ? 1 : 0));
  return { X, y };
}

export async function runTrainSpeedBench({ rows = 2000, columns = 50, ourTrees = 20, referenceTrees = 1 } = {}) {
  const { X, y } = makeClassificationData(rows, columns, 1);
  const options = { maxDepth: 8, minNumSamples: 3, gainThreshold: 0.01 };
  const data = toSparseRows(
    X.map((r) => ({ index: r.map((_, i) => i), value: r })),
    columns,
  );
  const ours: number[] = [];
  for (let t = 0; t < ourTrees; t++) {
    const { seconds } = await timed(async () =>
      growTree({
        data,
        rows: X.map((_, i) => i),
        labels: y,
        weights: y.map(() => 1),
        numericFeatures: columns,
        options: { maxDepth: options.maxDepth, minNumSamples: options.minNumSamples, maxFeatures: columns, minGain: options.gainThreshold },
        random: seededRandom(t),
      }),
    );
    ours.push(seconds);
  }
  const reference: number[] = [];
  for (let t = 0; t < referenceTrees; t++) {
    const { seconds } = await timed(async () => new DecisionTreeClassifier(options).train(X, y));
    reference.push(seconds);
  }
  const result = {
    rows,
    columns,
    oursSecondsPerTree: median(ours),
    referenceSecondsPerTree: median(reference),
    speedup: median(reference) / median(ours),
  };
  console.log(describeMachine());
  console.log(
    `${rows} × ${columns}, depth ≤ ${options.maxDepth}: our grower ${fmt(result.oursSecondsPerTree * 1000, 1)} ms per tree (median of ${ourTrees}), ` +
      `ml-cart ${fmt(result.referenceSecondsPerTree, 2)} s per tree (median of ${referenceTrees}) → ${fmt(result.speedup, 0)}× faster`,
  );
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [rows, columns, ourTrees, referenceTrees] = process.argv.slice(2).map(Number);
  await runTrainSpeedBench({
    rows: rows || undefined,
    columns: columns || undefined,
    ourTrees: ourTrees || undefined,
    referenceTrees: referenceTrees || undefined,
  });
}
