import { describe, expect, it } from 'vitest';
import { bestBaseline, marginSummary } from '../../bench/quality-margins.ts';

describe('bestBaseline', () => {
  it('picks the highest precision, the first named on a tie, and skips missing figures', () => {
    expect(bestBaseline({ rf: 0.7, hgb: 0.82, lr: 0.8 })).toEqual({ name: 'hgb', precision: 0.82 });
    expect(bestBaseline({ rf: 0.8, hgb: 0.8, lr: null })).toEqual({ name: 'rf', precision: 0.8 });
    expect(bestBaseline({ rf: null, hgb: Number.NaN, lr: 0.1 })).toEqual({ name: 'lr', precision: 0.1 });
  });

  it('is null when no baseline ran', () => {
    expect(bestBaseline({ rf: null, hgb: null })).toBeNull();
  });
});

describe('marginSummary', () => {
  it('averages the known margins and names the worst rule', () => {
    const summary = marginSummary([
      { rule: 'a', margin: 0.1 },
      { rule: 'b', margin: -0.08 },
      { rule: 'c', margin: null },
      { rule: 'd', margin: 0.04 },
    ]);
    expect(summary?.mean).toBeCloseTo(0.02, 10);
    expect(summary?.worst).toEqual({ rule: 'b', margin: -0.08 });
  });

  it('is null when no rule has a margin', () => {
    expect(marginSummary([{ rule: 'a', margin: null }])).toBeNull();
  });
});
