import { describe, expect, it } from 'vitest';
import {
  balanceFit,
  DenseScratch,
  featuresPerSplit,
  loadLookalike,
  outcomeExample,
  predictFit,
  predictProbability,
  scoringBags,
  trainLookalike,
  type TrainingExample,
} from '../../src/model/forest.ts';
import { PLANTED_NUMERIC_FEATURES, plantedDataset, SMALL_PARAMS, toDense } from './synthetic.ts';

const numericFeatures = PLANTED_NUMERIC_FEATURES;
const { examples, buyer } = plantedDataset({ n: 240, dim: 12, seed: 1 });
const model = trainLookalike({ examples, seed: 7, numericFeatures, params: SMALL_PARAMS });
const dense = (e: TrainingExample) => toDense(e.features, model.featureDim);

describe('trainLookalike', () => {
  it('is deterministic for a seed and independent of row order', () => {
    const again = trainLookalike({ examples: examples.slice().reverse(), seed: 7, numericFeatures, params: SMALL_PARAMS });
    expect(JSON.stringify(again)).toBe(JSON.stringify(model));
    const otherSeed = trainLookalike({ examples, seed: 8, numericFeatures, params: SMALL_PARAMS });
    expect(JSON.stringify(otherSeed)).not.toBe(JSON.stringify(model));
  });

  it('is JSON-serialisable and loads back to the same predictions', () => {
    const loaded = loadLookalike(JSON.parse(JSON.stringify(model)));
    const vectors = examples.slice(0, 20).map((e) => e.features);
    expect(predictFit(loaded, vectors)).toEqual(predictFit(model, vectors));
    expect(() => loadLookalike({ ...model, format: 'other' })).toThrow();
  });

  it('records the training composition', () => {
    const count = (label: string) => examples.filter((e) => e.label === label).length;
    expect(model.counts).toMatchObject({ positives: count('positive'), negatives: count('negative'), unlabelled: count('unlabelled') });
    // a bag samples at most half the unlabelled pool
    expect(model.counts.unlabelledPerBag).toBeLessThanOrEqual(count('unlabelled') / 2);
    // The prior is the weighted share of positives in a bag (negatives and unlabelled weigh 1).
    const positiveWeight = examples.filter((e) => e.label === 'positive').reduce((sum, e) => sum + (e.weight ?? 1), 0);
    expect(model.prior).toBeCloseTo(positiveWeight / (positiveWeight + count('negative') + model.counts.unlabelledPerBag));
    expect(model.bags).toHaveLength(SMALL_PARAMS.bags);
    expect(model.bags.every((b) => b.trees.length === SMALL_PARAMS.treesPerBag)).toBe(true);
    expect(model.featureDim).toBe(12);
  });

  it('learns the planted signal', () => {
    const unlabelled = examples.filter((e) => e.label === 'unlabelled');
    const fits = predictFit(
      model,
      unlabelled.map((e) => e.features),
      unlabelled.map((e) => e.id),
    );
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const hiddenBuyers = fits.filter((_, i) => buyer.get(unlabelled[i].id));
    const others = fits.filter((_, i) => !buyer.get(unlabelled[i].id));
    expect(mean(hiddenBuyers)).toBeGreaterThan(mean(others) + 0.15);
  });

  it('splits the numeric feature on thresholds and binary features at 0.5', () => {
    const splits = model.bags.flatMap((b) =>
      b.trees.flatMap((t) => t.feature.flatMap((f, n) => (f >= 0 ? [{ f, threshold: t.threshold[n] }] : []))),
    );
    expect(splits.some((s) => s.f === 0)).toBe(true);
    for (const s of splits.filter((s) => s.f >= numericFeatures)) expect(s.threshold).toBe(0.5);
    for (const s of splits.filter((s) => s.f === 0)) {
      expect(s.threshold).toBeGreaterThan(0);
      expect(s.threshold).toBeLessThan(2);
    }
  });

  it('uses sample weights in the trees: a heavily weighted positive pulls its leaves toward positive', () => {
    // A positive whose features four unlabelled accounts share exactly: no split can separate them,
    // so wherever the five land together the leaf value is the weighted share of the positive.
    const twin = { index: [0, 3, 5], value: [0.5, 1, 1] };
    const twins: TrainingExample[] = [
      { id: 'twin-positive', features: twin, label: 'positive', weight: 1 },
      ...[1, 2, 3, 4].map((i) => ({ id: `twin-${i}`, features: twin, label: 'unlabelled' as const })),
    ];
    const base = [...examples.map((e) => ({ ...e, weight: e.label === 'positive' ? 1 : undefined })), ...twins];
    const heavy = base.map((e) => (e.id === 'twin-positive' ? { ...e, weight: 50 } : e));
    // Many trees: each grows on a bootstrap, which leaves the positive out about a third of the time.
    const params = { ...SMALL_PARAMS, bags: 4, treesPerBag: 25 };
    const light = trainLookalike({ examples: base, seed: 3, numericFeatures, params });
    const weighted = trainLookalike({ examples: heavy, seed: 3, numericFeatures, params });
    const x = toDense(twin, light.featureDim);
    const pLight = predictProbability(light, x);
    const pHeavy = predictProbability(weighted, x);
    // Unit weight: about 1 positive in 5 identical rows; weight 50: about 50 in 54, in the trees that drew it.
    expect(pLight).toBeLessThan(0.4);
    expect(pHeavy).toBeGreaterThan(0.5);
    expect(pHeavy).toBeGreaterThan(pLight + 0.2);
    // Elsewhere the fit hardly moves: the other positives' leaves are not the twin's.
    const others = examples.filter((e) => e.label === 'positive' && !e.features.index.includes(3));
    const shift = others.map((e) => Math.abs(predictFit(weighted, [e.features])[0] - predictFit(light, [e.features])[0]));
    expect(shift.reduce((a, b) => a + b, 0) / shift.length).toBeLessThan((pHeavy - pLight) / 2);
    // And the prior counts the weight.
    expect(weighted.prior).toBeGreaterThan(light.prior);
  });

  it('rejects unusable input', () => {
    const first = examples[0];
    expect(() => trainLookalike({ examples: examples.filter((e) => e.label !== 'positive'), seed: 1, numericFeatures })).toThrow(
      /positive/,
    );
    expect(() => trainLookalike({ examples: [...examples, examples[0]], seed: 1, numericFeatures })).toThrow(/duplicate/);
    const withFirst = (e: TrainingExample) => [e, ...examples.slice(1)];
    expect(() =>
      trainLookalike({ examples: withFirst({ ...first, features: { index: [0, 1], value: [1] } }), seed: 1, numericFeatures }),
    ).toThrow(/mismatched/);
    expect(() =>
      trainLookalike({ examples: withFirst({ ...first, features: { index: [1, 0], value: [1, 1] } }), seed: 1, numericFeatures }),
    ).toThrow(/unsorted/);
    expect(() =>
      trainLookalike({ examples: withFirst({ ...first, features: { index: [0], value: [Number.NaN] } }), seed: 1, numericFeatures }),
    ).toThrow(/non-finite/);
    expect(() => trainLookalike({ examples: withFirst({ ...first, weight: 0 }), seed: 1, numericFeatures })).toThrow(/weight/);
    expect(() => trainLookalike({ examples, seed: 1, numericFeatures, params: { maxFeatures: 1.5 } })).toThrow();
  });
});

describe('featuresPerSplit', () => {
  it('draws √d, log2 d or a share of the varying features, at least 1 and at most d', () => {
    expect(featuresPerSplit('sqrt', 100)).toBe(10);
    expect(featuresPerSplit('log2', 1024)).toBe(10);
    expect(featuresPerSplit(0.5, 12)).toBe(6);
    expect(featuresPerSplit(1, 12)).toBe(12);
    expect(featuresPerSplit('sqrt', 1)).toBe(1);
    expect(featuresPerSplit(0.01, 10)).toBe(1);
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
    expect(predictProbability(model, dense(sampled), sampled.id)).toBeCloseTo(predictProbability(outOfBagOnly, dense(sampled)));
    expect(predictFit(model, [sampled.features], [sampled.id])[0]).not.toBe(predictFit(model, [sampled.features])[0]);
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

describe('predictFit', () => {
  it('scores sparse vectors like their dense copies, whatever came before them', () => {
    const some = examples.slice(0, 30);
    const fits = predictFit(
      model,
      some.map((e) => e.features),
    );
    some.forEach((e, i) => expect(fits[i]).toBeCloseTo(balanceFit(predictProbability(model, dense(e)), model.prior), 12));
    // Scoring in another order gives the same fits (the dense scratch is cleared between vectors).
    expect(
      predictFit(
        model,
        some
          .slice()
          .reverse()
          .map((e) => e.features),
      ).reverse(),
    ).toEqual(fits);
    expect(() => predictFit(model, [examples[0].features], ['a', 'b'])).toThrow(/length/);
  });

  it('DenseScratch clears the previous vector and ignores indexes beyond the model', () => {
    const scratch = new DenseScratch(4);
    expect(Array.from(scratch.of({ index: [0, 2], value: [3, 1] }))).toEqual([3, 0, 1, 0]);
    expect(Array.from(scratch.of({ index: [1, 9], value: [5, 1] }))).toEqual([0, 5, 0, 0]);
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
    expect(outcomeExample({ status: 'competitor_customer', amount: null, closedAt: null }, context)).toEqual({
      label: 'positive',
      weight: 0.5,
    });
    expect(outcomeExample({ status: 'churned', amount: 5, closedAt: null }, context).label).toBe('negative');
    expect(outcomeExample({ status: 'lost', amount: null, closedAt: null }, context).label).toBe('negative');
    expect(outcomeExample({ status: 'open', amount: null, closedAt: null }, context).label).toBe('unlabelled');
    expect(outcomeExample({ status: null, amount: null, closedAt: null }, context).label).toBe('unlabelled');
  });
});
