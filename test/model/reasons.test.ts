import { describe, expect, it } from 'vitest';
import type { Account } from '../../src/accounts/schema.ts';
import { describeFeatures, featurise } from '../../src/features/spec.ts';
import { intentScore } from '../../src/signals/intent.ts';
import { buildVocabulary } from '../../src/features/vocabulary.ts';
import { formatShare } from '../../src/lib/format.ts';
import { buildReasons, formatAge, intentReasons, type ReasonEvidence } from '../../src/model/reasons.ts';
import { formatMoney } from '../../src/lib/format.ts';
import { account as emptyAccount } from '../support/accounts.ts';

const base: Account = emptyAccount({ domain: 'x.example' });
// Every value the tests use is on at least two universe accounts, so it has a feature.
const universe: Account[] = [
  ...[1, 2, 3].map(
    (i): Account => ({
      ...base,
      domain: `sw${i}.example`,
      industry: 'software',
      country: 'DE',
      technologies: ['snowflake', 'oracle'],
      keywords: ['fintech'],
      description: 'Payments for banks',
    }),
  ),
  ...[1, 2, 3].map(
    (i): Account => ({
      ...base,
      domain: `rt${i}.example`,
      industry: 'retail',
      country: 'US',
      stage: 'seed',
      technologies: ['oracle'],
      description: 'Shop software',
    }),
  ),
];
const vocab = buildVocabulary(universe, new Date('2025-06-01T00:00:00Z'));
const features = describeFeatures(vocab);
const index = (key: string) => {
  const f = features.find((f) => f.key === key);
  if (!f) throw new Error(`no feature ${key}`);
  return f.index;
};

const account: Account = {
  domain: 'shop.example',
  name: 'Shop',
  industry: 'retail',
  employees: 1200,
  revenue: 150e6,
  country: 'US',
  region: null,
  city: null,
  foundedYear: 2012,
  businessModel: 'b2c',
  stage: null,
  technologies: ['snowflake'],
  keywords: [],
  description: 'Payments in shops',
};

const evidence: ReasonEvidence = {
  wonCount: 9,
  wonWith: {
    'tech:snowflake': 7,
    'industry:retail': 0,
    'industry:software': 6,
    'tech:oracle': 0,
    'keyword:fintech': 5,
    'country:DE': 4,
    'term:payments': 3,
  },
  universeShare: { 'tech:snowflake': 0.04, 'industry:retail': 0.12, 'tech:oracle': 0.2, 'keyword:fintech': 0.004, 'term:payments': 0.05 },
  winRateBySizeBand: { mid_market: 0.3 },
  overallWinRate: 0.1,
  wonMedian: { revenue: 80e6, foundedYear: 2009 },
};

const contributionMap = (contributions: Record<string, number>) => ({
  index: Object.keys(contributions).map(index),
  value: Object.values(contributions),
});

function reasonsFor(contributions: Record<string, number>, limit = 10, options: { account?: Account; evidence?: ReasonEvidence } = {}) {
  const a = options.account ?? account;
  return buildReasons({
    contributions: contributionMap(contributions),
    vector: featurise(a, vocab),
    features,
    account: a,
    evidence: options.evidence ?? evidence,
    limit,
  });
}
const labels = (...args: Parameters<typeof reasonsFor>) => reasonsFor(...args).map((r) => r.label);

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
      'num:log_revenue': -0.009,
      'num:company_age': -0.006,
    });
    expect(reasons.map((r) => r.label)).toEqual([
      'Uses Snowflake — 7 of 9 won accounts do, 4% of the universe does',
      'Industry: Retail — 0 of 9 won accounts, 12% of the universe',
      '1,200 employees — in the 500–2,000 band, where your win rate is 3× average',
      'Not in Software — where 6 of 9 won accounts are',
      "Doesn't use Oracle — 0 of 9 won accounts do, 20% of the universe does",
      'Outside Germany — where 4 of 9 won accounts are',
      '$150M revenue — above the median won account ($80M)',
      'Founded in 2012 — younger than the median won account (2009)',
    ]);
    expect(reasons[0]).toEqual({ feature: 'tech:snowflake', label: reasons[0].label, direction: 'positive', weight: 0.12 });
    expect(reasons[1]).toMatchObject({ feature: 'industry:retail', direction: 'negative', weight: 0.1 });
    expect(reasons[6]).toMatchObject({ feature: 'num:log_revenue', direction: 'negative', weight: 0.009 });
  });

  it('explains description terms', () => {
    expect(labels({ 'term:payments': 0.05 })).toEqual([
      'Description mentions "payments" — 3 of 9 won accounts do, 5% of the universe does',
    ]);
  });

  it('names a phrase of the description, not its words, which add their contributions to it', () => {
    const described = (i: number, description: string): Account => ({ ...base, domain: `d${i}.example`, description });
    const terms = buildVocabulary(
      [
        ...[1, 2, 3].map((i) => described(i, 'Open source database for banks')),
        ...[4, 5].map((i) => described(i, 'Source control for banks')),
        ...[6, 7, 8, 9, 10].map((i) => described(i, 'Payroll')),
      ],
      new Date('2025-06-01T00:00:00Z'),
    );
    const termFeatures = describeFeatures(terms);
    const at = (key: string) => termFeatures.findIndex((f) => f.key === key);
    const termEvidence: ReasonEvidence = { wonCount: 9, wonWith: { 'term:open source': 6, 'term:source': 7 }, universeShare: {} };
    const explain = (description: string, contributions: Record<string, number>) => {
      const a = described(0, description);
      return buildReasons({
        contributions: { index: Object.keys(contributions).map(at), value: Object.values(contributions) },
        vector: featurise(a, terms),
        features: termFeatures,
        account: a,
        evidence: termEvidence,
      });
    };
    // The phrase and its word both contributed: one reason, with both effects.
    expect(explain('Open source database for banks', { 'term:source': 0.05, 'term:open source': 0.02, 'term:banks': 0.01 })).toEqual([
      {
        feature: 'term:open source',
        label: 'Description mentions "open source" — 6 of 9 won accounts do',
        direction: 'positive',
        weight: 0.07,
      },
      { feature: 'term:banks', label: 'Description mentions "banks"', direction: 'positive', weight: 0.01 },
    ]);
    // Only the word was on the trees' paths: the description's phrase still speaks for it.
    expect(explain('Open source database', { 'term:source': 0.05 }).map((r) => [r.feature, r.weight])).toEqual([
      ['term:open source', 0.05],
    ]);
    // A word in two phrases goes to the one that contributed more: "source" to "source database".
    expect(
      explain('Open source database', { 'term:source': 0.03, 'term:source database': 0.04, 'term:open source': 0.01 }).map((r) => [
        r.feature,
        r.weight,
      ]),
    ).toEqual([
      ['term:source database', 0.07],
      ['term:open source', 0.01],
    ]);
    // Without a phrase of the vocabulary around it in the description, the word is the reason.
    expect(explain('Source of truth', { 'term:source': 0.05 }).map((r) => r.label)).toEqual([
      'Description mentions "source" — 7 of 9 won accounts do',
    ]);
    // An absent word is not folded into anything.
    expect(explain('Payroll', { 'term:source': -0.05 }).map((r) => r.label)).toEqual([
      'Description doesn\'t mention "source" — 7 of 9 won accounts do',
    ]);
  });

  it('gives a numeric reason only when the evidence backs its direction', () => {
    // Above the median won account's revenue, or younger, cannot explain a higher fit.
    expect(labels({ 'num:log_revenue': 0.05, 'num:company_age': 0.04 })).toEqual([]);
    // A band with a high win rate cannot explain a lower fit (and there is no median to fall back on).
    expect(labels({ 'num:log_employees': -0.05 })).toEqual([]);
    const weakBand: ReasonEvidence = { ...evidence, winRateBySizeBand: { mid_market: 0.05 } };
    expect(labels({ 'num:log_employees': -0.05 }, 10, { evidence: weakBand })).toEqual([
      '1,200 employees — in the 500–2,000 band, where your win rate is 0.5× average',
    ]);
    expect(labels({ 'num:log_employees': 0.05 }, 10, { evidence: weakBand })).toEqual([]);
    // Close to the median won account: a reason for, never against.
    const near: ReasonEvidence = {
      ...evidence,
      winRateBySizeBand: undefined,
      wonMedian: { employees: 1100, revenue: 140e6, foundedYear: 2011 },
    };
    expect(labels({ 'num:log_employees': 0.05, 'num:log_revenue': 0.04, 'num:company_age': 0.03 }, 10, { evidence: near })).toEqual([
      '1,200 employees — close to the median won account (1,100)',
      '$150M revenue — close to the median won account ($140M)',
      'Founded in 2012 — like the median won account (2011)',
    ]);
    expect(labels({ 'num:log_employees': -0.05, 'num:log_revenue': -0.04, 'num:company_age': -0.03 }, 10, { evidence: near })).toEqual([]);
    // Being close to the median is context, not a reason to call: it never leads, and fills only the room reasons leave.
    expect(labels({ 'num:log_employees': 0.2, 'tech:snowflake': 0.05, 'industry:retail': -0.04 }, 10, { evidence: near })).toEqual([
      'Uses Snowflake — 7 of 9 won accounts do, 4% of the universe does',
      'Industry: Retail — 0 of 9 won accounts, 12% of the universe',
      '1,200 employees — close to the median won account (1,100)',
    ]);
    expect(labels({ 'num:log_employees': 0.2, 'tech:snowflake': 0.05, 'industry:retail': -0.04 }, 2, { evidence: near })).toEqual([
      'Uses Snowflake — 7 of 9 won accounts do, 4% of the universe does',
      'Industry: Retail — 0 of 9 won accounts, 12% of the universe',
    ]);
    const far: ReasonEvidence = { ...near, wonMedian: { employees: 5000, revenue: 1e9, foundedYear: 2000 } };
    expect(labels({ 'num:log_employees': -0.05, 'num:log_revenue': -0.04, 'num:company_age': -0.03 }, 10, { evidence: far })).toEqual([
      '1,200 employees — below the median won account (5,000)',
      '$150M revenue — below the median won account ($1B)',
      'Founded in 2012 — younger than the median won account (2000)',
    ]);
    // No number, no numeric reason.
    expect(labels({ 'num:log_employees': 0.05 }, 10, { account: { ...account, employees: null }, evidence: near })).toEqual([]);
  });

  it('says nothing about unknown fields: no "Not in X" when X is unknown, no reason from unknown markers', () => {
    const unknown: Account = { ...account, industry: null, country: null, region: 'SF Bay Area', stage: null, businessModel: null };
    const contributions = {
      'industry:software': -0.05,
      'country:DE': -0.04,
      'region:europe': -0.03,
      'stage:seed': -0.02,
      'unknown:business_model': 0.1,
      'unknown:stage': -0.2,
    };
    expect(labels(contributions, 10, { account: unknown })).toEqual([]);
    // An empty list is no data: no "Doesn't use", "Not tagged" or "doesn't mention" claims.
    const empty: Account = { ...account, technologies: [], keywords: [], description: null };
    expect(labels({ 'tech:oracle': 0.05, 'keyword:fintech': 0.04, 'term:payments': 0.03 }, 10, { account: empty })).toEqual([]);
    // The same absences on an account whose fields are known are facts.
    const known: Account = { ...account, industry: 'retail', country: 'US', stage: 'series_a' };
    expect(labels(contributions, 10, { account: known })).toEqual([
      'Not in Software — where 6 of 9 won accounts are',
      'Outside Germany — where 4 of 9 won accounts are',
      'Outside Europe',
      'Not at the Seed stage',
    ]);
  });

  it('respects the limit, skips noise and dimensions without a sentence', () => {
    const reasons = reasonsFor({ 'tech:snowflake': 0.12, 'unknown:stage': 0.2, 'industry:software': 0.001 }, 3);
    expect(reasons.map((r) => r.feature)).toEqual(['tech:snowflake']);
    expect(reasonsFor({ 'tech:snowflake': 0.1, 'num:log_employees': 0.2 }, 1).map((r) => r.feature)).toEqual(['num:log_employees']);
    expect(reasonsFor({ 'tech:snowflake': 0.1, 'industry:retail': 0.09, 'tech:oracle': 0.08 }, 2).map((r) => r.feature)).toEqual([
      'tech:snowflake',
      'industry:retail',
    ]);
  });

  it('says less when evidence is missing', () => {
    const bare = buildReasons({
      contributions: contributionMap({ 'tech:snowflake': 0.1, 'num:log_employees': 0.05 }),
      vector: featurise(account, vocab),
      features,
      account,
      evidence: { wonCount: 9, wonWith: {}, universeShare: {} },
    });
    // Without win rates or medians, a number is no reason.
    expect(bare.map((r) => r.label)).toEqual(['Uses Snowflake']);
  });
});

describe('formatting', () => {
  it('formats money, shares and ages', () => {
    expect([formatMoney(900_000), formatMoney(150e6), formatMoney(1.25e9), formatMoney(2.5e6), formatMoney(500)]).toEqual([
      '$900K',
      '$150M',
      '$1.3B',
      '$2.5M',
      '$500',
    ]);
    expect([formatShare(0.04), formatShare(0.004), formatShare(0), formatShare(1)]).toEqual(['4%', '<1%', '0%', '100%']);
    const now = new Date('2025-06-01T00:00:00Z');
    const ago = (d: number) => new Date(now.getTime() - d * 86_400_000);
    expect([0, 1, 5, 21, 90].map((d) => formatAge(ago(d), now))).toEqual([
      'today',
      'yesterday',
      '5 days ago',
      '3 weeks ago',
      '3 months ago',
    ]);
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
      {
        feature: 'intent:competitor_evaluation',
        label: 'Evaluating a competitor — 5 days ago',
        direction: 'positive',
        weight: expect.any(Number),
      },
      {
        feature: 'intent:web_visit',
        label: 'Visited your website (pricing) — 2 times, last 2 days ago',
        direction: 'positive',
        weight: expect.any(Number),
      },
    ]);
  });
});
