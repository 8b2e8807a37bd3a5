// patches/ml-cart+2.1.1.patch makes ml-cart train fast; it must grow exactly the
// trees of the original (ml-cart-original, the same version unpatched): same
// split columns and values, gains, tie-breaking and leaf distributions.
import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';

import { RandomForestClassifier } from 'ml-random-forest';

import { loadOriginalRandomForest, makeClassificationData, seededRandom } from '../../bench/train-speed.ts';

const require = createRequire(import.meta.url);

// ml-cart has no type declarations.
interface Tree {
  train(X: number[][], y: number[]): void;
  predict(X: number[][]): number[];
  toJSON(): object;
}
interface TreeClass {
  new (options?: object): Tree;
  load(model: object): Tree;
}
interface Cart {
  DecisionTreeClassifier: TreeClass;
  DecisionTreeRegression: TreeClass;
}

const original: Cart = require('ml-cart-original');
// Node and vitest load the CommonJS bundle (package.json "main"); bundlers would
// take the ES sources ("module"). The patch changes both.
const builds: Record<string, Cart> = {
  'cart.js': require('ml-cart'),
  'src/index.js': await import('ml-cart/src/index.js' as string),
};

type Feature = (random: () => number) => number;
const continuous: Feature = (random) => random() * 10 - 5;
const fewValues: Feature = (random) => Math.round(random() * 10) / 10;
const integer: Feature = (random) => Math.floor(random() * 5);
const binary: Feature = (random) => (random() < 0.3 ? 1 : 0);
const constant: Feature = () => 7;
// Negative and positive zeros (equal for the sort, different split values), tiny and large numbers.
const awkward: Feature = (random) => [0, -0, 1e-310, -1e-310, 1e90, -2.5, 2.5, 0.1][Math.floor(random() * 8)];

interface Dataset {
  X: number[][];
  y: number[];
  test: number[][];
}

/** Rows of the given features; targets from a noisy score on the first features. */
function dataset(seed: number, rows: number, features: Feature[], target: (score: number) => number): Dataset {
  const random = seededRandom(seed);
  const makeRows = (count: number) => Array.from({ length: count }, () => features.map((feature) => feature(random)));
  const X = makeRows(rows);
  const y = X.map((row) => target(Math.max(-50, Math.min(50, row[0])) + (row[1] ?? 0) + random() * 2));
  // Repeated rows, as in a bootstrap sample.
  for (let i = 0; i < rows / 10; i++) {
    const copy = Math.floor(random() * rows);
    X.push([...X[copy]]);
    y.push(y[copy]);
  }
  return { X, y, test: makeRows(50) };
}

const twoClasses = (score: number) => (score > 1 ? 1 : 0);
const threeClasses = (score: number) => (score < 0 ? 0 : score < 2 ? 1 : 2);

const classification: Record<string, Dataset> = {
  'continuous features, 2 classes': dataset(1, 200, [continuous, continuous, continuous, continuous], twoClasses),
  'continuous features, 3 classes': dataset(2, 200, [continuous, continuous, continuous], threeClasses),
  'many ties, 3 classes': dataset(3, 250, [fewValues, fewValues, integer, fewValues], threeClasses),
  'integer and binary features, constant columns, 2 classes': dataset(
    4,
    250,
    [integer, binary, constant, binary, integer, constant],
    twoClasses,
  ),
  'duplicated columns, 2 classes': dataset(5, 150, [integer, fewValues, continuous, integer], twoClasses),
  'zeros of both signs, tiny and large values, 3 classes': dataset(6, 200, [awkward, awkward, fewValues], threeClasses),
  'labels 0 and 2 only': dataset(7, 150, [continuous, fewValues], (score) => (score > 1 ? 2 : 0)),
};
// A column equal to an earlier one, as random forests draw features with replacement.
for (const row of classification['duplicated columns, 2 classes'].X) row[3] = row[1];
// Both columns split with a gain of exactly 7/81: the original computes equal
// floats (and keeps the first column) while the fast search's direct formula
// rounds the second one higher, so only its re-scoring of near-best candidates
// with the original gain function picks column 0.
classification['equal gains, rounded differently'] = {
  X: [[1, 1], [1, 1], [0, 1], [0, 0], [0, 0], [0, 0], [0, 1], [0, 1], [1, 1]],
  y: [0, 1, 1, 2, 2, 2, 2, 2, 2],
  test: [[0, 0], [0, 1], [1, 0], [1, 1]],
};

const treeOptions: Record<string, object> = {
  defaults: {},
  'minNumSamples 1, gainThreshold 0': { minNumSamples: 1, gainThreshold: 0 },
  'maxDepth 3': { maxDepth: 3 },
};

function expectSameTrees(fast: Tree, slow: Tree, data: Dataset, load: TreeClass['load']) {
  expect(fast.toJSON()).toEqual(slow.toJSON());
  expect(JSON.stringify(fast)).toBe(JSON.stringify(slow));
  expect(fast.predict(data.X)).toEqual(slow.predict(data.X));
  expect(fast.predict(data.test)).toEqual(slow.predict(data.test));
  expect(load(JSON.parse(JSON.stringify(fast))).predict(data.test)).toEqual(slow.predict(data.test));
}

describe.each(Object.entries(builds))('patched ml-cart (%s)', (_, cart) => {
  describe.each(Object.entries(classification))('DecisionTreeClassifier, %s', (_, data) => {
    test.each(Object.entries(treeOptions))('%s: same tree as the original', (_, options) => {
      const fast = new cart.DecisionTreeClassifier(options);
      const slow = new original.DecisionTreeClassifier(options);
      fast.train(data.X, data.y);
      slow.train(data.X, data.y);
      expectSameTrees(fast, slow, data, cart.DecisionTreeClassifier.load);
    });
  });

  test('DecisionTreeClassifier: same trees as the original on 60 small random datasets', () => {
    const features = [continuous, fewValues, integer, binary, constant, awkward];
    const random = seededRandom(8);
    for (let i = 0; i < 60; i++) {
      const columns = Array.from({ length: 1 + Math.floor(random() * 5) }, () => features[Math.floor(random() * 6)]);
      const data = dataset(100 + i, 10 + Math.floor(random() * 80), columns, i % 2 === 0 ? twoClasses : threeClasses);
      const options = { minNumSamples: Math.floor(random() * 4) };
      const fast = new cart.DecisionTreeClassifier(options);
      const slow = new original.DecisionTreeClassifier(options);
      fast.train(data.X, data.y);
      slow.train(data.X, data.y);
      expectSameTrees(fast, slow, data, cart.DecisionTreeClassifier.load);
    }
  });

  test('DecisionTreeClassifier: data the fast search leaves to the original one (NaN) gives the same tree', () => {
    const data = dataset(9, 150, [continuous, fewValues, integer], twoClasses);
    data.X[3][1] = NaN;
    const fast = new cart.DecisionTreeClassifier();
    const slow = new original.DecisionTreeClassifier();
    fast.train(data.X, data.y);
    slow.train(data.X, data.y);
    expectSameTrees(fast, slow, data, cart.DecisionTreeClassifier.load);
  });

  const regression: Record<string, Dataset> = {
    'continuous features': dataset(10, 200, [continuous, continuous, fewValues], (score) => score * 3),
    'many ties, targets far from zero': dataset(11, 200, [fewValues, integer, binary, constant], (score) => 1e6 + score),
    'few distinct targets': dataset(12, 150, [continuous, integer], (score) => Math.round(score)),
  };
  test.each(Object.entries(regression))('DecisionTreeRegression, %s: same tree as the original', (_, data) => {
    const fast = new cart.DecisionTreeRegression();
    const slow = new original.DecisionTreeRegression();
    fast.train(data.X, data.y);
    slow.train(data.X, data.y);
    expectSameTrees(fast, slow, data, cart.DecisionTreeRegression.load);
  });
});

describe('RandomForestClassifier on the patched trees', () => {
  const { X, y } = makeClassificationData(300, 8, 3);
  const options = { nEstimators: 25, seed: 7 };

  test('is deterministic for a seed', () => {
    const first = new RandomForestClassifier(options);
    const second = new RandomForestClassifier(options);
    first.train(X, y);
    second.train(X, y);
    expect(first.predict(X)).toEqual(second.predict(X));
  });

  test('grows the same forest as ml-random-forest on the original trees', () => {
    const fast = new RandomForestClassifier(options);
    const slow = new (loadOriginalRandomForest())(options);
    fast.train(X, y);
    slow.train(X, y);
    expect(JSON.stringify(fast)).toBe(JSON.stringify(slow));
    expect(fast.predict(X)).toEqual(slow.predict(X));
  });
});
