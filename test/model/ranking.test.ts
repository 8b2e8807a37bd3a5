import { describe, expect, it } from 'vitest';
import { sparseDot, type SparseVector } from '../../src/features/spec.ts';
import {
  blendWeights,
  combineScore,
  COLD_START_CRITERIA_WEIGHTS,
  INTENT_WEIGHT,
  rankingConfidence,
  similarityScore,
  tierCutoffs,
  tierFor,
  WonIndex,
} from '../../src/model/ranking.ts';

describe('blendWeights', () => {
  it('splits what intent leaves between fit and similarity as cross-validation chose', () => {
    expect(blendWeights(0)).toEqual({ fit: 1 - INTENT_WEIGHT, similarity: 0, intent: INTENT_WEIGHT });
    expect(blendWeights(0.3)).toEqual({ fit: 0.525, similarity: 0.225, intent: 0.25 });
    for (const share of [0, 0.1, 0.2, 0.3, 0.5]) {
      const w = blendWeights(share);
      expect(w.fit + w.similarity + w.intent).toBeCloseTo(1, 10);
      expect(w.fit).toBeGreaterThanOrEqual(w.similarity);
    }
  });
});

describe('combineScore', () => {
  const blend = blendWeights(0.3);

  it('weights fit, similarity and intent by the model blend', () => {
    expect(combineScore({ fit: 1, similarity: 1, intent: 1 }, blend)).toBeCloseTo(1);
    expect(combineScore({ fit: 0.5, similarity: 0.4, intent: 0 }, blend)).toBeCloseTo(blend.fit * 0.5 + blend.similarity * 0.4);
    // fit alone (similarity weight 0): similarity does not move the score
    expect(combineScore({ fit: 0.5, similarity: 0.9, intent: 0 }, blendWeights(0))).toBeCloseTo(
      combineScore({ fit: 0.5, similarity: 0.1, intent: 0 }, blendWeights(0)),
    );
    // intent reorders similar fits, it does not lift a poor fit above a strong one
    for (const b of [blendWeights(0), blend, blendWeights(0.5)]) {
      expect(combineScore({ fit: 0.3, similarity: 0.4, intent: 1 }, b)).toBeLessThan(
        combineScore({ fit: 0.8, similarity: 0.6, intent: 0 }, b),
      );
      expect(combineScore({ fit: 0.6, similarity: 0.5, intent: 0.8 }, b)).toBeGreaterThan(
        combineScore({ fit: 0.6, similarity: 0.5, intent: 0.1 }, b),
      );
    }
    // sub-scores are clamped to 0..1
    expect(combineScore({ fit: 2, similarity: -1, intent: 0 }, blend)).toBeCloseTo(blend.fit);
  });

  it('has a cold-start variant without fit', () => {
    expect(combineScore({ fit: null, similarity: 0.9, intent: 0.5 }, null)).toBeCloseTo(0.8 * 0.9 + 0.2 * 0.5);
    expect(combineScore({ fit: null, similarity: -0.2, intent: 0 }, null)).toBe(0);
    const w = COLD_START_CRITERIA_WEIGHTS;
    expect(combineScore({ fit: null, similarity: 0.9, intent: 0.5, criteria: 1 }, null)).toBeCloseTo(
      w.similarity * 0.9 + w.criteria + w.intent * 0.5,
    );
  });
});

describe('similarity', () => {
  const unit = (entries: [number, number][]): SparseVector => {
    const norm = Math.hypot(...entries.map(([, x]) => x));
    return { index: entries.map(([i]) => i), value: entries.map(([, x]) => x / norm) };
  };
  const won = [
    unit([
      [0, 1],
      [3, 2],
    ]),
    unit([[1, 1]]),
    unit([
      [0, 1],
      [1, 1],
      [7, 3],
    ]),
    unit([[9, 1]]),
  ];

  it('is the cosine to every won account, through the inverted index', () => {
    const index = new WonIndex(won);
    expect(index.size).toBe(4);
    for (const v of [
      unit([[0, 1]]),
      unit([
        [1, 2],
        [3, 1],
        [8, 5],
      ]),
      unit([[5, 1]]),
      won[2],
    ]) {
      const sims = index.similarities(v);
      expect(sims).toHaveLength(4);
      won.forEach((w, row) => expect(sims[row]).toBeCloseTo(sparseDot(v, w), 12));
    }
    expect(index.similarities(won[2])[2]).toBeCloseTo(1, 12);
    expect(Array.from(index.similarities(unit([[5, 1]])))).toEqual([0, 0, 0, 0]);
    expect(Array.from(new WonIndex([]).similarities(won[0]))).toEqual([]);
  });

  it('is a top-k mean for the sub-score', () => {
    expect(similarityScore([0.9, 0.1, 0.8, 0.7], 3)).toBeCloseTo(0.8);
    expect(similarityScore(new Float64Array([0.9, 0.1, 0.8, 0.7]), 3)).toBeCloseTo(0.8);
    expect(similarityScore([0.5], 3)).toBe(0.5);
    expect(similarityScore([])).toBe(0);
  });
});

describe('tiers', () => {
  const scores = Array.from({ length: 100 }, (_, i) => i / 100); // 0.00 .. 0.99

  it('are percentile-based over the prospects', () => {
    const cutoffs = tierCutoffs(scores);
    expect(cutoffs).toEqual({ A: 0.95, B: 0.8, C: 0.5 });
    const tiers = scores.map((s) => tierFor(s, cutoffs));
    expect(tiers.filter((t) => t === 'A')).toHaveLength(5);
    expect(tiers.filter((t) => t === 'B')).toHaveLength(15);
    expect(tiers.filter((t) => t === 'C')).toHaveLength(30);
    expect(tiers.filter((t) => t === 'D')).toHaveLength(50);
  });

  it('have floors, so weak universes get no A list', () => {
    const weak = scores.map((s) => s * 0.4); // all below 0.4
    const cutoffs = tierCutoffs(weak);
    expect(cutoffs.A).toBe(0.5);
    expect(cutoffs.B).toBe(0.35);
    expect(weak.filter((s) => tierFor(s, cutoffs) === 'A')).toHaveLength(0);
    expect(() => tierCutoffs([])).toThrow();
  });
});

describe('rankingConfidence', () => {
  it('is low without a model or with a weak one', () => {
    expect(rankingConfidence({ wonCount: 5, cvAuc: null })).toBe('low');
    expect(rankingConfidence({ wonCount: 50, cvAuc: 0.55 })).toBe('low');
    expect(rankingConfidence({ wonCount: 15, cvAuc: 0.9 })).toBe('medium');
    expect(rankingConfidence({ wonCount: 50, cvAuc: 0.7 })).toBe('medium');
    expect(rankingConfidence({ wonCount: 50, cvAuc: 0.8 })).toBe('high');
  });
});
