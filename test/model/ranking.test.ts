import { describe, expect, it } from 'vitest';
import {
  combineScore,
  cosineSimilarity,
  rankingConfidence,
  similarityScore,
  tierCutoffs,
  tierFor,
  SCORE_WEIGHTS,
} from '../../src/model/ranking.ts';

describe('combineScore', () => {
  it('weights fit, similarity and intent', () => {
    expect(combineScore({ fit: 1, similarity: 1, intent: 1 })).toBeCloseTo(1);
    expect(combineScore({ fit: 0.5, similarity: 0.4, intent: 0 })).toBeCloseTo(SCORE_WEIGHTS.fit * 0.5 + SCORE_WEIGHTS.similarity * 0.4);
    // intent reorders similar fits, it does not lift a poor fit above a strong one
    expect(combineScore({ fit: 0.3, similarity: 0.4, intent: 1 })).toBeLessThan(combineScore({ fit: 0.8, similarity: 0.6, intent: 0 }));
  });

  it('has a cold-start variant without fit', () => {
    expect(combineScore({ fit: null, similarity: 0.9, intent: 0.5 })).toBeCloseTo(0.8 * 0.9 + 0.2 * 0.5);
    expect(combineScore({ fit: null, similarity: -0.2, intent: 0 })).toBe(0);
  });
});

describe('similarity', () => {
  it('is cosine similarity, and a top-k mean for the sub-score', () => {
    expect(cosineSimilarity([1, 0], [1, 0])).toBeCloseTo(1);
    expect(cosineSimilarity([1, 0], [0, 1])).toBe(0);
    expect(cosineSimilarity([0, 0], [1, 1])).toBe(0);
    expect(similarityScore([0.9, 0.1, 0.8, 0.7], 3)).toBeCloseTo(0.8);
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
