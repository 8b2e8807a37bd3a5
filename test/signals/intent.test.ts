import { describe, expect, it } from 'vitest';
import { intentScore, SIGNAL_RULES } from '../../src/signals/intent.ts';

describe('intentScore', () => {
  const now = new Date('2025-06-01T00:00:00Z');
  const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
  const signal = (type: string, days: number, value: number | null = null, topic: string | null = null) => ({
    type,
    occurredAt: daysAgo(days),
    value,
    topic,
  });

  it('is 0 without signals', () => {
    expect(intentScore([], now)).toEqual({ score: 0, drivers: [] });
  });

  it('decays with the half-life of the signal type', () => {
    const fresh = intentScore([signal('competitor_evaluation', 0)], now).drivers[0].weight;
    const halfLife = SIGNAL_RULES.competitor_evaluation.halfLifeDays;
    expect(intentScore([signal('competitor_evaluation', halfLife)], now).drivers[0].weight).toBeCloseTo(fresh / 2);
    expect(intentScore([signal('competitor_evaluation', 0)], now).score).toBeCloseTo(1 - Math.exp(-0.7));
  });

  it('saturates below 1 and ranks drivers', () => {
    const many = Array.from({ length: 30 }, (_, i) => signal('web_visit', i, 3, i % 2 ? 'pricing' : 'docs'));
    const result = intentScore([...many, signal('funding_round', 10), signal('made_up_signal', 1)], now);
    expect(result.score).toBeGreaterThan(0.9);
    expect(result.score).toBeLessThan(1);
    expect(result.drivers[0]).toMatchObject({ type: 'web_visit', count: 30, topics: ['docs', 'pricing'] });
    expect(result.drivers[0].lastOccurredAt).toEqual(now);
    expect(result.drivers.map((d) => d.type)).toContain('made_up_signal');
  });

  it('treats future timestamps as now', () => {
    expect(intentScore([signal('funding_round', -5)], now).score).toBeCloseTo(intentScore([signal('funding_round', 0)], now).score);
  });
});
