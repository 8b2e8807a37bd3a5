import { describe, expect, it } from 'vitest';
import { explainFit, topContributions } from '../../src/model/explain.ts';
import { predictFit, predictProbability, trainLookalike } from '../../src/model/forest.ts';
import type { FeatureInfo } from '../../src/features/spec.ts';
import { plantedDataset, SMALL_PARAMS } from './synthetic.ts';

const { examples } = plantedDataset({ n: 200, dim: 10, seed: 2 });
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('explainFit', () => {
  it('adds up for a single tree: bias + contributions = leaf probability', () => {
    const single = trainLookalike({ examples, seed: 4, params: { ...SMALL_PARAMS, bags: 1, treesPerBag: 1 } });
    for (const e of examples.slice(0, 30)) {
      const x = explainFit(single, e.vector);
      expect(x.bias).toBeCloseTo(single.bags[0].trees[0].value[0], 12);
      expect(x.bias + sum(x.contributions)).toBeCloseTo(predictProbability(single, e.vector), 12);
    }
  });

  it('adds up for the bagged forest, out-of-bag included, and matches predictFit', () => {
    const model = trainLookalike({ examples, seed: 4, params: SMALL_PARAMS });
    for (const e of examples.slice(0, 40)) {
      for (const id of [undefined, e.id]) {
        const x = explainFit(model, e.vector, id);
        expect(x.bias + sum(x.contributions)).toBeCloseTo(predictProbability(model, e.vector, id), 12);
        expect(x.probability).toBeCloseTo(predictProbability(model, e.vector, id), 12);
        expect(x.fit).toBeCloseTo(predictFit(model, [e.vector], id ? [id] : undefined)[0], 12);
        expect(x.contributions).toHaveLength(10);
      }
    }
  });

  it('credits the planted features', () => {
    const model = trainLookalike({ examples, seed: 4, params: SMALL_PARAMS });
    const buyer = examples.find((e) => e.vector[2] === 1)!;
    const x = explainFit(model, buyer.vector);
    const features: FeatureInfo[] = Array.from({ length: 10 }, (_, i) => ({ index: i, key: `f${i}`, kind: 'numeric', term: null, label: `F${i}`, absentLabel: null }));
    const top = topContributions(x.contributions, features, 3);
    expect(top[0]).toMatchObject({ key: 'f2', index: 2 });
    expect(top[0].contribution).toBeGreaterThan(0);
    expect(top.length).toBeLessThanOrEqual(3);
  });
});
