import { describe, expect, it } from 'vitest';
import type { TrainingExample } from '../../src/model/forest.ts';
import { explainLinear, linearFit, linearLogit, trainLinear } from '../../src/model/linear.ts';
import { seededRandom } from '../../src/lib/random.ts';

/**
 * 60 accounts: feature 0 numeric (0–4, a fifth unknown = −1), features 1–5 tokens; accounts with token 1,
 * or token 2 and a value above 2, fit (60 % of them won, the rest unlabelled); of the others 20 % lost,
 * 5 % won, the rest unlabelled. Won accounts weigh 0.5–1.5.
 */
function fixture(): TrainingExample[] {
  const random = seededRandom(11);
  const out: TrainingExample[] = [];
  for (let i = 0; i < 60; i++) {
    const index: number[] = [];
    const value: number[] = [];
    const size = random() < 0.2 ? -1 : Math.round(random() * 40) / 10;
    if (size !== 0) {
      index.push(0);
      value.push(size);
    }
    for (let j = 1; j <= 5; j++) {
      if (random() < 0.35) {
        index.push(j);
        value.push(1);
      }
    }
    const r = random();
    const fits = index.includes(1) || (index.includes(2) && size > 2);
    const label = fits ? (r < 0.6 ? 'positive' : 'unlabelled') : r < 0.2 ? 'negative' : r < 0.25 ? 'positive' : 'unlabelled';
    const weight = label === 'positive' ? 0.5 + Math.round(random() * 10) / 10 : undefined;
    out.push({ id: `a${String(i).padStart(2, '0')}`, features: { index, value }, label, weight });
  }
  return out;
}

/** One bag's unlabelled sample: the positives' count (20), at most half the pool of 30: 15, so each unlabelled account weighs 15 / 30. */
const PARAMS = { unlabelledRatio: 1, minUnlabelled: 0, maxUnlabelled: 1000 };

/**
 * scikit-learn 1.2.1, computed once: LogisticRegression(C=1, tol=1e-10).fit(X, y, sample_weight=w) on the
 * fixture with feature 0 standardised over its known values (mean 2.0833, sd 1.1290; unknown = 0) and a
 * missing-indicator column, w = the example weights, 0.5 for every unlabelled account (15 / 30).
 */
const SKLEARN = {
  coefficients: [0.747426, 1.44733, 0.657602, -0.054062, 0.517702, -0.023672],
  missingIndicator: -0.169933,
  intercept: -1.206294,
};

describe('trainLinear', () => {
  const examples = fixture();
  const model = trainLinear({ examples, numericFeatures: 1, featureDim: 6, params: PARAMS, l2: 1 });

  it("finds scikit-learn's logistic regression coefficients on the same weighted, standardised data", () => {
    const weights = new Array(6).fill(0);
    model.weights.index.forEach((i, k) => (weights[i] = model.weights.value[k]));
    weights.forEach((w, i) => expect(w).toBeCloseTo(SKLEARN.coefficients[i], 4));
    expect(model.missingWeights[0]).toBeCloseTo(SKLEARN.missingIndicator, 4);
    expect(model.intercept).toBeCloseTo(SKLEARN.intercept, 4);
    expect(model.numericMean[0]).toBeCloseTo(2.083333, 5);
    expect(model.numericScale[0]).toBeCloseTo(1.129036, 5);
    // Weighted prior: 20 won (their weights) against 10 lost (1 each) and 30 unlabelled (0.5 each).
    const wonWeight = examples.filter((e) => e.label === 'positive').reduce((s, e) => s + e.weight!, 0);
    expect(model.prior).toBeCloseTo(wonWeight / (wonWeight + 10 + 15), 12);
  });

  it('does not depend on the order of the examples', () => {
    const reversed = trainLinear({ examples: fixture().reverse(), numericFeatures: 1, featureDim: 6, params: PARAMS, l2: 1 });
    expect(reversed).toEqual(model);
  });

  it('penalises more with a larger L2: smaller weights', () => {
    const strong = trainLinear({ examples, numericFeatures: 1, featureDim: 6, params: PARAMS, l2: 10 });
    const norm = (m: typeof model) => m.weights.value.reduce((s, w) => s + w * w, 0);
    expect(norm(strong)).toBeLessThan(norm(model) / 2);
  });

  it('explains a score: bias + contributions = probability, each contribution with its logit term’s sign', () => {
    for (const e of examples) {
      const x = explainLinear(model, e.features);
      const z = linearLogit(model, e.features);
      expect(x.probability).toBeCloseTo(1 / (1 + Math.exp(-z)), 12);
      expect(x.bias + x.contributions.value.reduce((s, v) => s + v, 0)).toBeCloseTo(x.probability, 12);
      for (const [k, f] of x.contributions.index.entries()) {
        expect(f).toBeLessThan(6);
        if (f >= 1) expect(Math.sign(x.contributions.value[k])).toBe(Math.sign(SKLEARN.coefficients[f]));
      }
      // The fit removes the training prior: 0.5 at logit(prior).
      const prior = Math.log(model.prior / (1 - model.prior));
      expect(linearFit(model, e.features)).toBeCloseTo(1 / (1 + Math.exp(-(z - prior))), 12);
    }
  });

  it('credits an unknown number to its feature through the missing indicator', () => {
    const unknown = { index: [0, 1], value: [-1, 1] };
    const x = explainLinear(model, unknown);
    expect(x.contributions.index).toEqual([0, 1]);
    expect(Math.sign(x.contributions.value[0])).toBe(-1);
    expect(linearLogit(model, unknown)).toBeCloseTo(SKLEARN.intercept + SKLEARN.missingIndicator + SKLEARN.coefficients[1], 3);
  });
});
