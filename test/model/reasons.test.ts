import { describe, expect, it } from 'vitest';
import type { Account } from '../../src/accounts/schema.ts';
import { describeFeatures, featurise, intentScore } from '../../src/features/spec.ts';
import { buildVocabulary } from '../../src/features/vocabulary.ts';
import { buildReasons, formatAge, formatMoney, formatShare, intentReasons, type ReasonEvidence } from '../../src/model/reasons.ts';

const vocab = buildVocabulary({
  universeSize: 1000,
  industries: { software: 300, retail: 120 },
  countries: { US: 400, DE: 150 },
  stages: {},
  technologies: { snowflake: 40, oracle: 200 },
  keywords: { fintech: 30 },
});
const features = describeFeatures(vocab);
const index = (key: string) => features.find((f) => f.key === key)!.index;

const account: Account = {
  domain: 'shop.example', name: 'Shop', industry: 'retail', employees: 1200, revenue: 150e6, country: 'US', region: null,
  city: null, foundedYear: 2012, businessModel: 'b2c', stage: null, technologies: ['snowflake'], keywords: [], description: null,
};
const vector = featurise(account, vocab);

const evidence: ReasonEvidence = {
  wonCount: 9,
  wonWith: { 'tech:snowflake': 7, 'industry:retail': 0, 'industry:software': 6, 'tech:oracle': 0, 'keyword:fintech': 5, 'country:DE': 4 },
  universeShare: { 'tech:snowflake': 0.04, 'industry:retail': 0.12, 'tech:oracle': 0.2, 'keyword:fintech': 0.004 },
  winRateBySizeBand: { mid_market: 0.3 },
  overallWinRate: 0.1,
  wonMedian: { revenue: 80e6, foundedYear: 2009 },
};

function reasonsFor(contributions: Record<string, number>, limit = 10) {
  const dense = new Array(features.length).fill(0);
  for (const [key, c] of Object.entries(contributions)) dense[index(key)] = c;
  return buildReasons({ contributions: dense, vector, features, account, evidence, limit });
}

describe('buildReasons', () => {
  it('writes sentences with evidence, largest effect first', () => {
    const reasons = reasonsFor({
      'tech:snowflake': 0.12,
      'num:log_employees': 0.08,
      'industry:retail': -0.1,
      'industry:software': -0.05,
      'tech:oracle': 0.03,
      'keyword:fintech': -0.02,
      'country:DE': -0.01,
      'num:log_revenue': 0.009,
      'num:company_age': 0.006,
    });
    expect(reasons.map((r) => r.label)).toEqual([
      'Uses Snowflake — 7 of 9 won accounts do, 4% of the universe does',
      'Industry: Retail — 0 of 9 won accounts, 12% of the universe',
      '1,200 employees — in the 500–2,000 band, where your win rate is 3× average',
      'Not in Software — where 6 of 9 won accounts are',
      "Doesn't use Oracle — 0 of 9 won accounts do, 20% of the universe does",
      'Not tagged "fintech" — 5 of 9 won accounts are, <1% of the universe is',
      'Outside Germany — where 4 of 9 won accounts are',
      '$150M revenue — median won account: $80M',
      'Founded in 2012 — median won account: 2009',
    ]);
    expect(reasons[0]).toEqual({ feature: 'tech:snowflake', label: reasons[0].label, direction: 'positive', weight: 0.12 });
    expect(reasons[1]).toMatchObject({ feature: 'industry:retail', direction: 'negative', weight: 0.1 });
  });

  it('respects the limit, skips noise and dimensions without a sentence', () => {
    const reasons = reasonsFor({ 'tech:snowflake': 0.12, 'tech:(other)': -0.3, 'stage:(unknown)': 0.2, 'industry:software': 0.001 }, 3);
    expect(reasons.map((r) => r.feature)).toEqual(['stage:(unknown)', 'tech:snowflake']);
    expect(reasons[0].label).toBe('Stage unknown');
    expect(reasonsFor({ 'tech:snowflake': 0.1, 'num:log_employees': 0.2 }, 1).map((r) => r.feature)).toEqual(['num:log_employees']);
  });

  it('says less when evidence is missing', () => {
    const dense = new Array(features.length).fill(0);
    dense[index('tech:snowflake')] = 0.1;
    dense[index('num:log_employees')] = 0.05;
    const bare = buildReasons({ contributions: dense, vector, features, account, evidence: { wonCount: 9, wonWith: {}, universeShare: {} } });
    expect(bare.map((r) => r.label)).toEqual(['Uses Snowflake', '1,200 employees']);
  });
});

describe('formatting', () => {
  it('formats money, shares and ages', () => {
    expect([formatMoney(900_000), formatMoney(150e6), formatMoney(1.25e9), formatMoney(2.5e6), formatMoney(500)]).toEqual(['$900K', '$150M', '$1.3B', '$2.5M', '$500']);
    expect([formatShare(0.04), formatShare(0.004), formatShare(0), formatShare(1)]).toEqual(['4%', '<1%', '0%', '100%']);
    const now = new Date('2025-06-01T00:00:00Z');
    const ago = (d: number) => new Date(now.getTime() - d * 86_400_000);
    expect([0, 1, 5, 21, 90].map((d) => formatAge(ago(d), now))).toEqual(['today', 'yesterday', '5 days ago', '3 weeks ago', '3 months ago']);
  });

  it('turns intent drivers into reasons', () => {
    const now = new Date('2025-06-01T00:00:00Z');
    const ago = (d: number) => new Date(now.getTime() - d * 86_400_000);
    const intent = intentScore(
      [
        { type: 'competitor_evaluation', occurredAt: ago(5), value: null, topic: null },
        { type: 'web_visit', occurredAt: ago(2), value: 1, topic: 'pricing' },
        { type: 'web_visit', occurredAt: ago(9), value: 1, topic: null },
      ],
      now,
    );
    expect(intentReasons(intent, now)).toEqual([
      { feature: 'intent:competitor_evaluation', label: 'Evaluating a competitor — 5 days ago', direction: 'positive', weight: expect.any(Number) },
      { feature: 'intent:web_visit', label: 'Visited your website (pricing) — 2 times, last 2 days ago', direction: 'positive', weight: expect.any(Number) },
    ]);
  });
});
