import { RandomForestClassifier } from 'ml-random-forest';
import { describe, expect, it } from 'vitest';
import {
  balanceFit,
  compactTree,
  loadLookalike,
  outcomeExample,
  predictFit,
  predictProbability,
  scoringBags,
  trainLookalike,
  type TrainingExample,
} from '../../src/model/forest.ts';
import { plantedDataset, SMALL_PARAMS } from './synthetic.ts';

const { examples, buyer } = plantedDataset({ n: 240, dim: 12, seed: 1 });
const model = trainLookalike({ examples, seed: 7, params: SMALL_PARAMS });

describe('trainLookalike', () => {
  it('is deterministic for a seed and independent of row order', () => {
    const again = trainLookalike({ examples: examples.slice().reverse(), seed: 7, params: SMALL_PARAMS });
    expect(JSON.stringify(again)).toBe(JSON.stringify(model));
    const otherSeed = trainLookalike({ examples, seed: 8, params: SMALL_PARAMS });
    expect(JSON.stringify(otherSeed)).not.toBe(JSON.stringify(model));
  });

  it('is JSON-serialisable and loads back to the same predictions', () => {
    const loaded = loadLookalike(JSON.parse(JSON.stringify(model)));
    const vectors = examples.slice(0, 20).map((e) => e.vector);
    expect(predictFit(loaded, vectors)).toEqual(predictFit(model, vectors));
    expect(() => loadLookalike({ ...model, format: 'other' })).toThrow();
  });

  it('records the training composition', () => {
    const count = (label: string) => examples.filter((e) => e.label === label).length;
    expect(model.counts).toMatchObject({ positives: count('positive'), negatives: count('negative'), unlabelled: count('unlabelled') });
    // a bag samples at most half the unlabelled pool
    expect(model.counts.unlabelledPerBag).toBeLessThanOrEqual(count('unlabelled') / 2);
    expect(model.prior).toBeCloseTo(count('positive') / (count('positive') + count('negative') + model.counts.unlabelledPerBag));
    expect(model.bags).toHaveLength(SMALL_PARAMS.bags);
    expect(model.bags.every((b) => b.trees.length === SMALL_PARAMS.treesPerBag)).toBe(true);
  });

  it('learns the planted signal', () => {
    const unlabelled = examples.filter((e) => e.label === 'unlabelled');
    const fits = predictFit(model, unlabelled.map((e) => e.vector), unlabelled.map((e) => e.id));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const hiddenBuyers = fits.filter((_, i) => buyer.get(unlabelled[i].id));
    const others = fits.filter((_, i) => !buyer.get(unlabelled[i].id));
    expect(mean(hiddenBuyers)).toBeGreaterThan(mean(others) + 0.15);
  });

  it('resamples positives in proportion to their weight', () => {
    const base: TrainingExample[] = examples.map((e) => ({ ...e, weight: e.label === 'positive' ? 1 : undefined }));
    const heavy = base.find((e) => e.label === 'positive')!;
    heavy.weight = 50;
    const m = trainLookalike({ examples: base, seed: 3, params: { ...SMALL_PARAMS, bags: 8, treesPerBag: 1 } });
    const inBagShare = (id: string) => m.bags.filter((b) => b.inBag.includes(m.trainingIds.indexOf(id))).length / m.bags.length;
    const others = base.filter((e) => e.label === 'positive' && e !== heavy).map((e) => inBagShare(e.id));
    expect(inBagShare(heavy.id)).toBe(1);
    // With weight 1 of ~90 in total, an ordinary positive is drawn into ~36 % of bags (63 % without the heavy one).
    expect(others.reduce((a, b) => a + b, 0) / others.length).toBeLessThan(0.5);
  });

  it('rejects unusable input', () => {
    expect(() => trainLookalike({ examples: examples.filter((e) => e.label !== 'positive'), seed: 1 })).toThrow(/positive/);
    expect(() => trainLookalike({ examples: [...examples, examples[0]], seed: 1 })).toThrow(/duplicate/);
    expect(() => trainLookalike({ examples: [{ ...examples[0], vector: [1] }, ...examples.slice(1)], seed: 1 })).toThrow(/features/);
  });
});

describe('PU bagging out-of-bag scoring', () => {
  const unlabelled = examples.filter((e) => e.label === 'unlabelled');
  const inBagCount = (id: string) => {
    const position = model.trainingIds.indexOf(id);
    return model.bags.filter((b) => b.inBag.includes(position)).length;
  };

  it('scores an unlabelled training negative only with the bags that did not see it', () => {
    const sampled = unlabelled.find((e) => inBagCount(e.id) > 0 && inBagCount(e.id) < model.bags.length)!;
    const bags = scoringBags(model, sampled.id);
    expect(bags).toHaveLength(model.bags.length - inBagCount(sampled.id));
    const position = model.trainingIds.indexOf(sampled.id);
    expect(bags.every((b) => !b.inBag.includes(position))).toBe(true);

    // the same as a model made of only those bags
    const outOfBagOnly = { ...model, bags };
    expect(predictProbability(model, sampled.vector, sampled.id)).toBeCloseTo(predictProbability(outOfBagOnly, sampled.vector));
    expect(predictFit(model, [sampled.vector], [sampled.id])[0]).not.toBe(predictFit(model, [sampled.vector])[0]);
  });

  it('uses every bag for accounts no bag trained on', () => {
    expect(scoringBags(model, 'never-seen.com')).toBe(model.bags);
    expect(scoringBags(model)).toBe(model.bags);
  });

  it('samples every unlabelled account into at most about half the bags', () => {
    const share = unlabelled.reduce((sum, e) => sum + inBagCount(e.id), 0) / (unlabelled.length * model.bags.length);
    expect(share).toBeLessThanOrEqual(0.5);
    expect(share).toBeGreaterThan(0.2);
  });
});

describe('compactTree', () => {
  it('matches ml-cart leaf distributions and maps feature subsets to global indexes', () => {
    const X = examples.map((e) => e.vector);
    const y = examples.map((e) => (e.label === 'positive' ? 1 : 0));
    const columns = [0, 2, 5, 7, 9, 11];
    const forest = new RandomForestClassifier({ nEstimators: 3, maxFeatures: 3, replacement: false, seed: 5, useSampleBagging: false, noOOB: true });
    forest.train(X.map((row) => columns.map((c) => row[c])), y);
    const { indexes, estimators } = forest.toJSON().baseModel as any;
    estimators.forEach((est: any, t: number) => {
      const global = indexes[t].map((c: number) => columns[c]);
      const tree = compactTree(est.root, global, X, y);
      expect(tree.feature.filter((f) => f >= 0).every((f) => global.includes(f))).toBe(true);
      expect(tree.count[0]).toBe(X.length);
      for (const row of X) {
        let node = 0;
        while (tree.feature[node] >= 0) node = row[tree.feature[node]] < tree.threshold[node] ? tree.left[node] : tree.right[node];
        const distribution: number[] = est.root.classify(indexes[t].map((c: number) => row[columns[c]])).getRow(0);
        expect(tree.value[node]).toBeCloseTo(distribution[1] ?? 0, 9);
      }
    });
  });
});

describe('fit', () => {
  it('balances the bags prior away: the prior maps to 0.5, order is kept', () => {
    expect(balanceFit(0.25, 0.25)).toBeCloseTo(0.5);
    expect(balanceFit(0, 0.25)).toBe(0);
    expect(balanceFit(1, 0.25)).toBe(1);
    expect(balanceFit(0.3, 0.25)).toBeLessThan(balanceFit(0.4, 0.25));
  });
});

describe('outcomeExample', () => {
  const now = new Date('2025-06-01T00:00:00Z');
  const context = { medianWonAmount: 10_000, now };
  it('weights won accounts by deal value and retention, within bounds', () => {
    expect(outcomeExample({ status: 'won', amount: 10_000, closedAt: now }, context)).toEqual({ label: 'positive', weight: 1 });
    expect(outcomeExample({ status: 'won', amount: 40_000, closedAt: now }, context).weight).toBeCloseTo(2);
    expect(outcomeExample({ status: 'won', amount: 1e9, closedAt: now }, context).weight).toBe(2);
    expect(outcomeExample({ status: 'won', amount: null, closedAt: new Date('2022-06-01T00:00:00Z') }, context).weight).toBe(1.5);
  });
  it('labels the other outcomes', () => {
    expect(outcomeExample({ status: 'competitor_customer', amount: null, closedAt: null }, context)).toEqual({ label: 'positive', weight: 0.5 });
    expect(outcomeExample({ status: 'churned', amount: 5, closedAt: null }, context).label).toBe('negative');
    expect(outcomeExample({ status: 'lost', amount: null, closedAt: null }, context).label).toBe('negative');
    expect(outcomeExample({ status: 'open', amount: null, closedAt: null }, context).label).toBe('unlabelled');
    expect(outcomeExample({ status: null, amount: null, closedAt: null }, context).label).toBe('unlabelled');
  });
});
