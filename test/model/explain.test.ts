import { describe, expect, it } from 'vitest';
import { explainFit, explainStackedFit, topContributions } from '../../src/model/explain.ts';
import { explainLinear, linearFit, trainLinear } from '../../src/model/linear.ts';
import { predictFit, predictProbability, trainLookalike } from '../../src/model/forest.ts';
import type { FeatureInfo } from '../../src/features/spec.ts';
import { PLANTED_NUMERIC_FEATURES, plantedDataset, SMALL_PARAMS, toDense } from './synthetic.ts';

const { examples } = plantedDataset({ n: 200, dim: 10, seed: 2 });
const numericFeatures = PLANTED_NUMERIC_FEATURES;
const sum = (xs: Iterable<number>) => [...xs].reduce((a, b) => a + b, 0);
const dense = (v: (typeof examples)[number]) => toDense(v.features, 10);

describe('explainFit', () => {
  it('adds up for a single tree: bias + contributions = leaf probability', () => {
    const single = trainLookalike({
      examples,
      seed: 4,
      numericFeatures,
      featureDim: 10,
      params: { ...SMALL_PARAMS, bags: 1, treesPerBag: 1 },
    });
    for (const e of examples.slice(0, 30)) {
      const x = explainFit(single, dense(e));
      expect(x.bias).toBeCloseTo(single.bags[0].trees[0].value[0], 12);
      expect(x.bias + sum(x.contributions.value)).toBeCloseTo(predictProbability(single, dense(e)), 12);
    }
  });

  it('adds up for the bagged forest, out-of-bag included, and matches predictFit', () => {
    const model = trainLookalike({ examples, seed: 4, numericFeatures, featureDim: 10, params: SMALL_PARAMS });
    const splitFeatures = new Set(model.bags.flatMap((b) => b.trees.flatMap((t) => t.feature.filter((f) => f >= 0))));
    for (const e of examples.slice(0, 40)) {
      for (const id of [undefined, e.id]) {
        const x = explainFit(model, dense(e), id);
        expect(x.bias + sum(x.contributions.value)).toBeCloseTo(predictProbability(model, dense(e), id), 12);
        expect(x.probability).toBeCloseTo(predictProbability(model, dense(e), id), 12);
        expect(x.fit).toBeCloseTo(predictFit(model, [e.features], id ? [id] : undefined)[0], 12);
        // Sparse: only features some tree split on, each a model feature.
        expect(x.contributions.index.length).toBeGreaterThan(0);
        for (const f of x.contributions.index) {
          expect(splitFeatures.has(f)).toBe(true);
          expect(f).toBeLessThan(model.featureDim);
        }
      }
    }
  });

  it('credits the planted features', () => {
    const model = trainLookalike({ examples, seed: 4, numericFeatures, featureDim: 10, params: SMALL_PARAMS });
    const buyer = examples.find((e) => e.features.index.includes(2))!;
    const x = explainFit(model, dense(buyer));
    const features: FeatureInfo[] = Array.from({ length: 10 }, (_, i) => ({
      index: i,
      key: `f${i}`,
      kind: i < numericFeatures ? 'numeric' : 'technology',
      term: null,
      label: `F${i}`,
      absentLabel: null,
      field: null,
    }));
    const top = topContributions(x.contributions, features, 3);
    expect(top[0]).toMatchObject({ key: 'f2', index: 2, label: 'F2' });
    expect(top[0].contribution).toBeGreaterThan(0);
    expect(top.length).toBeLessThanOrEqual(3);
  });
});

describe('explainStackedFit', () => {
  const forest = trainLookalike({ examples, seed: 4, numericFeatures, featureDim: 10, params: SMALL_PARAMS });
  const linear = trainLinear({ examples, numericFeatures, featureDim: 10, params: SMALL_PARAMS });

  it("mixes the forest's and the linear model's fits and contributions by the linear share", () => {
    for (const e of examples.slice(0, 30)) {
      const own = explainFit(forest, dense(e), e.id);
      const byLinear = explainLinear(linear, e.features);
      const stacked = explainStackedFit(own, { share: 0.25, model: linear }, e.features);
      expect(stacked.fit).toBeCloseTo(0.75 * own.fit + 0.25 * linearFit(linear, e.features), 12);
      const at = (c: { index: number[]; value: number[] }, f: number) => c.value[c.index.indexOf(f)] ?? 0;
      const features = new Set([...own.contributions.index, ...byLinear.contributions.index]);
      expect(new Set(stacked.contributions.index)).toEqual(features);
      for (const f of features) {
        expect(at(stacked.contributions, f)).toBeCloseTo(0.75 * at(own.contributions, f) + 0.25 * at(byLinear.contributions, f), 12);
      }
    }
  });

  it("is the forest's explanation without a linear model", () => {
    const own = explainFit(forest, dense(examples[0]));
    expect(explainStackedFit(own, null, examples[0].features)).toEqual({ fit: own.fit, contributions: own.contributions });
  });

  it('credits the planted token with the linear model alone too', () => {
    const buyer = examples.find((e) => e.features.index.includes(2))!;
    const stacked = explainStackedFit(explainFit(forest, dense(buyer)), { share: 1, model: linear }, buyer.features);
    const largest = stacked.contributions.index[stacked.contributions.value.indexOf(Math.max(...stacked.contributions.value))];
    expect(largest).toBe(2);
  });
});

describe('topContributions', () => {
  const features: FeatureInfo[] = Array.from({ length: 6 }, (_, i) => ({
    index: i,
    key: `f${i}`,
    kind: 'technology',
    term: null,
    label: `F${i}`,
    absentLabel: null,
    field: null,
  }));

  it('orders by size either sign, ties by index, and skips what is below minAbs', () => {
    const contributions = { index: [5, 1, 3, 4, 0], value: [0.02, -0.05, 0.02, 0.0005, 0.1] };
    expect(topContributions(contributions, features, 10).map((c) => [c.key, c.contribution])).toEqual([
      ['f0', 0.1],
      ['f1', -0.05],
      ['f3', 0.02],
      ['f5', 0.02],
    ]);
    expect(topContributions(contributions, features, 2).map((c) => c.index)).toEqual([0, 1]);
    expect(topContributions(contributions, features, 10, 0.03).map((c) => c.index)).toEqual([0, 1]);
    expect(topContributions({ index: [], value: [] }, features, 3)).toEqual([]);
  });
});
