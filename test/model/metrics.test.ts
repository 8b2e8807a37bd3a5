import { describe, expect, it } from 'vitest';
import { trainLookalike } from '../../src/model/forest.ts';
import {
  assignFolds,
  averagePrecision,
  compareModels,
  crossValidate,
  featureImportances,
  hitsAtK,
  LINEAR_SHARE_GRID,
  rocAuc,
  SIMILARITY_WEIGHT_GRID,
  topImportances,
  type CrossValidation,
} from '../../src/model/metrics.ts';
import type { FeatureInfo } from '../../src/features/spec.ts';
import type { TrainingExample } from '../../src/model/forest.ts';
import { seededRandom } from '../../src/lib/random.ts';
import { PLANTED_NUMERIC_FEATURES, plantedDataset, SMALL_PARAMS } from './synthetic.ts';

const numericFeatures = PLANTED_NUMERIC_FEATURES;

describe('rocAuc', () => {
  it('is 1 for a perfect ranking, 0 for a reversed one, 0.5 for ties', () => {
    expect(rocAuc([0.9, 0.8], [0.1, 0.2, 0.3])).toBe(1);
    expect(rocAuc([0.1], [0.5, 0.6])).toBe(0);
    expect(rocAuc([0.5, 0.5], [0.5, 0.5])).toBe(0.5);
    expect(rocAuc([0.8, 0.4], [0.6, 0.2])).toBe(0.75);
    expect(rocAuc([], [0.1])).toBeNull();
  });
});

describe('hitsAtK', () => {
  it('counts positives in the top k, ties at the cut fractionally', () => {
    const scored = [
      { score: 0.9, positive: true },
      { score: 0.5, positive: true },
      { score: 0.5, positive: false },
      { score: 0.1, positive: true },
    ];
    expect(hitsAtK(scored, 1)).toBe(1);
    expect(hitsAtK(scored, 2)).toBe(1.5);
    expect(hitsAtK(scored, 3)).toBe(2);
    expect(hitsAtK(scored, 10)).toBe(3);
  });
});

describe('crossValidate', () => {
  const planted = plantedDataset({ n: 300, dim: 12, seed: 11 }).examples;

  it('finds a planted signal: AUC well above 0.5, lift above 1', () => {
    const cv = crossValidate({ examples: planted, seed: 5, numericFeatures, params: SMALL_PARAMS, topFraction: 0.1 });
    expect(cv.folds).toBe(5);
    expect(cv.auc).toBeGreaterThan(0.75);
    expect(cv.lift).toBeGreaterThan(1.5);
    expect(cv.recallAtK).toBeGreaterThan(0);
    expect(cv.precisionAtK).toBeCloseTo(cv.hits / cv.k);
    expect(cv.baseRate).toBeCloseTo(cv.heldOutPositives / cv.pool);
    expect(cv.foldAuc).toHaveLength(5);
    // k is relative to each fold's pool of held-out positives + unlabelled
    expect(cv.k).toBeGreaterThanOrEqual(Math.round(0.1 * cv.pool) - cv.folds);
    expect(cv.k).toBeLessThanOrEqual(Math.round(0.1 * cv.pool) + cv.folds);
  });

  it('finds nothing in random labels: AUC near 0.5', () => {
    const random = plantedDataset({ n: 300, dim: 12, seed: 12, randomLabels: true }).examples;
    const cv = crossValidate({ examples: random, seed: 5, numericFeatures, params: SMALL_PARAMS });
    expect(cv.auc).toBeGreaterThan(0.35);
    expect(cv.auc).toBeLessThan(0.65);
  });

  it('uses deterministic, stratified folds', () => {
    const a = assignFolds(planted, 5, 9);
    expect(assignFolds(planted.slice().reverse(), 5, 9)).toEqual(a);
    const positivesPerFold = [0, 1, 2, 3, 4].map((f) => planted.filter((e) => e.label === 'positive' && a.get(e.id) === f).length);
    expect(Math.max(...positivesPerFold) - Math.min(...positivesPerFold)).toBeLessThanOrEqual(1);
  });

  it('needs two positives, and uses fewer folds than positives', () => {
    const two = planted.filter((e) => e.label !== 'positive').concat(planted.filter((e) => e.label === 'positive').slice(0, 2));
    expect(crossValidate({ examples: two, seed: 1, numericFeatures, params: SMALL_PARAMS }).folds).toBe(2);
    expect(() => crossValidate({ examples: two.slice(0, -1), seed: 1, numericFeatures })).toThrow(/2 positives/);
  });

  it('reports the blend grid: forest alone first, a similarity weight or linear share only when it ranks held-out won accounts clearly higher', () => {
    const cv = crossValidate({ examples: planted, seed: 5, numericFeatures, params: SMALL_PARAMS, topFraction: 0.1 });
    expect(cv.blend.grid.map((g) => [g.linear, g.similarity])).toEqual(
      LINEAR_SHARE_GRID.flatMap((linear) => SIMILARITY_WEIGHT_GRID.map((similarity) => [linear, similarity])),
    );
    for (const g of cv.blend.grid) {
      expect(g.averagePrecision).toBeGreaterThan(0);
      expect(g.averagePrecision).toBeLessThanOrEqual(1);
    }
    const chosen = cv.blend.grid.find((g) => g.similarity === cv.blend.similarity && g.linear === cv.blend.linear)!;
    expect(chosen.averagePrecision).toBeGreaterThanOrEqual(cv.blend.grid[0].averagePrecision);
    if (cv.blend.similarity > 0 || cv.blend.linear > 0)
      expect(chosen.averagePrecision).toBeGreaterThan(cv.blend.grid[0].averagePrecision * 1.05);

    // Without similarity vectors every similarity weight ranks like the fit alone: the fit alone wins the tie.
    const bare = crossValidate({
      examples: planted.map(({ similarity: _, ...e }) => e),
      seed: 5,
      numericFeatures,
      params: SMALL_PARAMS,
      topFraction: 0.1,
    });
    expect(bare.blend.similarity).toBe(0);
    for (const linear of LINEAR_SHARE_GRID) {
      expect(new Set(bare.blend.grid.filter((g) => g.linear === linear).map((g) => g.averagePrecision)).size).toBe(1);
    }
    // The reported metrics are the fit's (forest and linear model at the chosen share), whatever the similarity
    // weight: similarity equal for every account moves no ranking, so the same choice and the same metrics.
    const constant = crossValidate({
      examples: planted.map((e) => ({ ...e, similarity: { index: [0], value: [1] } })),
      seed: 5,
      numericFeatures,
      params: SMALL_PARAMS,
      topFraction: 0.1,
    });
    expect(constant.blend.linear).toBe(bare.blend.linear);
    expect(constant.precisionAtK).toBe(bare.precisionAtK);
    expect(constant.auc).toBe(bare.auc);
  });

  it('gives the linear model a share when the ICP is an OR of many tokens', () => {
    // Buyers have any of tokens 1–30 (each on 1.5 % of accounts: more than the trees' depth of 8 can list on a
    // path); half of them won, a few others lost.
    const random = seededRandom(21);
    const examples: TrainingExample[] = Array.from({ length: 600 }, (_, i) => {
      const index = [0];
      const value = [random() * 2];
      for (let j = 1; j < 60; j++) {
        if (random() < 0.015) {
          index.push(j);
          value.push(1);
        }
      }
      const buys = index.some((j) => j >= 1 && j <= 30);
      const r = random();
      const label = buys ? (r < 0.5 ? 'positive' : 'unlabelled') : r < 0.1 ? 'negative' : 'unlabelled';
      return { id: `or-${String(i).padStart(3, '0')}`, features: { index, value }, label };
    });
    const cv = crossValidate({ examples, seed: 5, numericFeatures, params: SMALL_PARAMS, topFraction: 0.1 });
    expect(cv.blend.linear).toBeGreaterThan(0);
    const forestAlone = cv.blend.grid.find((g) => g.linear === 0 && g.similarity === cv.blend.similarity)!;
    const chosen = cv.blend.grid.find((g) => g.linear === cv.blend.linear && g.similarity === cv.blend.similarity)!;
    expect(chosen.averagePrecision).toBeGreaterThan(forestAlone.averagePrecision * 1.05);
  });

  it('gives similarity weight when the forest has nothing to learn but similarity finds the won accounts', () => {
    // Features are noise (random labels); the similarity vectors carry the truth: buyers share one token.
    const { examples } = plantedDataset({ n: 300, dim: 12, seed: 14, randomLabels: true });
    const truth: TrainingExample[] = examples.map((e) => ({ ...e, similarity: { index: [e.label === 'positive' ? 0 : 1], value: [1] } }));
    const cv = crossValidate({ examples: truth, seed: 5, numericFeatures, params: SMALL_PARAMS, topFraction: 0.1 });
    expect(cv.auc).toBeLessThan(0.65);
    expect(cv.blend.similarity).toBeGreaterThan(0);
    const chosen = cv.blend.grid.find((g) => g.similarity === cv.blend.similarity)!;
    expect(chosen.averagePrecision).toBeGreaterThan(cv.blend.grid[0].averagePrecision);
  });
});

describe('averagePrecision', () => {
  it('averages the precision at each positive, ties broken pessimistically', () => {
    const at = (scores: [number, boolean][]) => averagePrecision(scores.map(([score, positive]) => ({ score, positive })));
    expect(
      at([
        [0.9, true],
        [0.8, true],
        [0.1, false],
      ]),
    ).toBe(1);
    expect(
      at([
        [0.9, false],
        [0.8, true],
        [0.1, true],
      ]),
    ).toBeCloseTo((1 / 2 + 2 / 3) / 2);
    expect(
      at([
        [0.5, true],
        [0.5, false],
      ]),
    ).toBe(0.5);
    expect(at([[0.5, false]])).toBe(0);
  });
});

describe('featureImportances', () => {
  it('sums to 1 and ranks the planted features first', () => {
    const { examples } = plantedDataset({ n: 300, dim: 12, seed: 13 });
    const model = trainLookalike({ examples, seed: 1, numericFeatures, featureDim: 12, params: SMALL_PARAMS });
    const importances = featureImportances(model);
    expect(importances).toHaveLength(12);
    expect(importances.reduce((a, b) => a + b, 0)).toBeCloseTo(1);
    const features: FeatureInfo[] = importances.map((_, i) => ({
      index: i,
      key: `f${i}`,
      kind: 'numeric',
      term: null,
      label: `F${i}`,
      absentLabel: null,
      field: null,
    }));
    const top = topImportances(importances, features, 3).map((x) => x.key);
    expect(top).toHaveLength(3);
    expect(top.filter((k) => ['f0', 'f1', 'f2'].includes(k)).length).toBeGreaterThanOrEqual(2);
  });
});

describe('compareModels', () => {
  const base: CrossValidation = {
    folds: 3,
    foldsKey: 'abc',
    auc: 0.8,
    foldAuc: [0.8, 0.82, 0.78],
    topFraction: 0.05,
    k: 30,
    pool: 600,
    heldOutPositives: 20,
    hits: 8,
    recallAtK: 0.4,
    precisionAtK: 0.27,
    baseRate: 0.033,
    lift: 8,
  };

  it('flags a clear AUC drop with a reason', () => {
    const worse = { ...base, auc: 0.72, foldAuc: [0.7, 0.75, 0.8] };
    const result = compareModels(worse, base);
    expect(result).toMatchObject({ comparable: true, clearlyWorse: true });
    expect(result.reason).toBe('AUC 0.72 vs 0.80 for the active model, lower on 2 of 3 folds (drop above the 0.03 margin)');
  });

  it('flags a clear recall drop', () => {
    const result = compareModels({ ...base, recallAtK: 0.2 }, base);
    expect(result.clearlyWorse).toBe(true);
    expect(result.reason).toMatch(/^recall@30 0.20 vs 0.40/);
  });

  it('accepts small differences, and refuses to compare different folds', () => {
    expect(compareModels({ ...base, auc: 0.79 }, base)).toMatchObject({ comparable: true, clearlyWorse: false });
    expect(compareModels({ ...base, foldsKey: 'xyz' }, base)).toMatchObject({ comparable: false, clearlyWorse: false });
  });
});
