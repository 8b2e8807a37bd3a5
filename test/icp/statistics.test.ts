import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, liftOf, logGamma, logHypergeometricTail, wilsonInterval } from '../../src/icp/statistics.ts';

describe('ICP statistics', () => {
  it('logGamma matches factorials', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(11)).toBeCloseTo(Math.log(3628800), 10);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });

  it("gives Fisher's exact one-sided p-values (hypergeometric tails)", () => {
    // R: fisher.test(matrix(c(3, 1, 1, 3), 2), alternative = 'greater')$p.value = 0.2428571
    const small = { population: 8, successes: 4, draws: 4 };
    expect(Math.exp(logHypergeometricTail(small, 3, 'upper'))).toBeCloseTo(17 / 70, 12);
    expect(Math.exp(logHypergeometricTail(small, 1, 'lower'))).toBeCloseTo(17 / 70, 12);
    expect(Math.exp(logHypergeometricTail(small, 0, 'upper'))).toBe(1);
    expect(logHypergeometricTail(small, 5, 'upper')).toBe(-Infinity);
    // Below the mode the upper tail is the complement of the lower one.
    expect(Math.exp(logHypergeometricTail(small, 2, 'upper'))).toBeCloseTo(1 - 17 / 70, 12);
    // Tails too small for a double stay finite in logarithms: 60 of 100 draws where 1% of a million qualify.
    const huge = logHypergeometricTail({ population: 1_000_000, successes: 10_000, draws: 100 }, 60, 'upper');
    expect(huge).toBeLessThan(-200);
    expect(Number.isFinite(huge)).toBe(true);
  });

  it('computes Wilson intervals that behave at 0 and n', () => {
    const zero = wilsonInterval(0, 10);
    expect(zero.low).toBe(0);
    expect(zero.high).toBeCloseTo(0.2775, 3);
    const half = wilsonInterval(5, 10);
    expect(half.low).toBeCloseTo(0.2366, 3);
    expect(half.high).toBeCloseTo(0.7634, 3);
    expect(wilsonInterval(10, 10).high).toBeCloseTo(1, 12);
  });

  it('adjusts p-values with Benjamini–Hochberg, counting tests left out', () => {
    expect(benjaminiHochberg([0.01, 0.04, 0.03, 0.2])).toEqual([0.04, (0.04 * 4) / 3, (0.04 * 4) / 3, 0.2]);
    expect(benjaminiHochberg([0.01], 10)).toEqual([0.1]);
  });

  it('measures lift as won share over universe share', () => {
    const { lift, interval, logP } = liftOf(20, 100, 50, 1000);
    expect(lift).toBeCloseTo(4, 12);
    expect(interval.low).toBeGreaterThan(1);
    expect(interval.high).toBeGreaterThan(lift);
    expect(logP).toBeLessThan(Math.log(1e-6));
  });
});
