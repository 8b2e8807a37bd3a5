import { describe, expect, it } from 'vitest';
import type { Account } from '../../src/accounts/schema.ts';
import {
  FEATURE_DIM,
  FEATURE_SPEC_VERSION,
  describeFeatures,
  featurise,
  intentScore,
  SIGNAL_RULES,
} from '../../src/features/spec.ts';
import { buildVocabulary, MIN_DOCUMENT_FREQUENCY, VOCABULARY_CAPS, type VocabularyCounts } from '../../src/features/vocabulary.ts';

const counts: VocabularyCounts = {
  universeSize: 1000,
  industries: { software: 300, retail: 120, fintech: 80, mining: 2 },
  countries: { US: 400, DE: 150, PL: 40 },
  stages: { series_b: 50, seed: 90 },
  technologies: { salesforce: 500, snowflake: 40, hubspot: 200, obscuredb: 1 },
  keywords: { payments: 60, b2b: 300 },
};
const vocab = buildVocabulary(counts, new Date('2025-06-01T00:00:00Z'));
const features = describeFeatures(vocab);
const at = (vector: number[], key: string) => vector[features.find((f) => f.key === key)!.index];

const account = (overrides: Partial<Account> = {}): Account => ({
  domain: 'acme.com',
  name: 'Acme',
  industry: 'software',
  employees: 1200,
  revenue: 150e6,
  country: 'DE',
  region: null,
  city: 'Berlin',
  foundedYear: 2010,
  businessModel: 'b2b',
  stage: 'series_b',
  technologies: ['snowflake', 'salesforce', 'some-rare-tool'],
  keywords: ['payments'],
  description: null,
  ...overrides,
});

describe('vocabulary', () => {
  it('keeps values by document frequency, above the minimum count, deterministically', () => {
    expect(vocab.terms.industry.map((t) => t.term)).toEqual(['software', 'retail', 'fintech']); // mining: below minimum
    expect(vocab.terms.technology.map((t) => t.term)).toEqual(['salesforce', 'hubspot', 'snowflake']);
    expect(vocab.referenceYear).toBe(2025);
    expect(JSON.parse(JSON.stringify(vocab))).toEqual(vocab);
  });

  it('caps each field; ties broken by name', () => {
    const many = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`tech-${String(i).padStart(3, '0')}`, 10]));
    const capped = buildVocabulary({ ...counts, technologies: many });
    expect(capped.terms.technology).toHaveLength(VOCABULARY_CAPS.technology);
    expect(capped.terms.technology[0].term).toBe('tech-000');
    expect(capped.terms.technology.every((t) => t.count >= MIN_DOCUMENT_FREQUENCY)).toBe(true);
  });
});

describe('feature layout', () => {
  it('has a fixed dimension per spec version', () => {
    expect(FEATURE_SPEC_VERSION).toBe(1);
    expect(FEATURE_DIM).toBe(236); // changing this needs a new FEATURE_SPEC_VERSION
    expect(features).toHaveLength(FEATURE_DIM);
    // Same layout for any vocabulary: a richer vocabulary fills slots, it does not add them.
    expect(describeFeatures(buildVocabulary({ ...counts, technologies: {} }))).toHaveLength(FEATURE_DIM);
  });

  it('gives every dimension a unique key and a label', () => {
    expect(new Set(features.map((f) => f.key)).size).toBe(FEATURE_DIM);
    features.forEach((f, i) => expect(f.index).toBe(i));
    const byKey = (key: string) => features.find((f) => f.key === key)!;
    expect(byKey('tech:snowflake')).toMatchObject({ kind: 'technology', term: 'snowflake', label: 'Uses Snowflake', absentLabel: "Doesn't use Snowflake" });
    expect(byKey('industry:software').label).toBe('Industry: Software');
    expect(byKey('country:DE').label).toBe('Country: Germany');
    expect(byKey('stage:series_b').label).toBe('Stage: Series B');
    expect(byKey('num:log_employees')).toMatchObject({ kind: 'numeric', label: 'Employees' });
    expect(byKey('size:mid_market').label).toBe('Mid-market (500–2,000 employees)');
    expect(features.filter((f) => f.kind === 'unused').every((f) => f.label === 'Unused')).toBe(true);
  });
});

describe('featurise', () => {
  it('encodes a complete account', () => {
    const v = featurise(account(), vocab);
    expect(v).toHaveLength(FEATURE_DIM);
    expect(at(v, 'num:log_employees')).toBeCloseTo((Math.log10(1200) - Math.log10(500)) / 1.7);
    expect(at(v, 'missing:employees')).toBe(0);
    expect(at(v, 'size:mid_market')).toBe(1);
    expect(at(v, 'model:b2b')).toBe(1);
    expect(at(v, 'region:europe')).toBe(1); // from the country
    expect(at(v, 'industry:software')).toBe(1);
    expect(at(v, 'country:DE')).toBe(1);
    expect(at(v, 'stage:series_b')).toBe(1);
    expect(at(v, 'tech:(other)')).toBe(0.5); // some-rare-tool
    expect(at(v, 'keyword:payments')).toBeGreaterThan(0);
    for (const f of features.filter((f) => f.kind === 'unused')) expect(v[f.index]).toBe(0);
  });

  it('weights technologies by rarity', () => {
    const v = featurise(account(), vocab);
    expect(at(v, 'tech:snowflake')).toBeGreaterThan(at(v, 'tech:salesforce'));
    expect(at(v, 'tech:snowflake')).toBeLessThanOrEqual(1);
    expect(at(v, 'tech:hubspot')).toBe(0);
  });

  it('marks missing fields explicitly instead of guessing', () => {
    const v = featurise(
      account({ employees: null, revenue: null, foundedYear: null, industry: null, country: null, region: null, businessModel: null, stage: null, technologies: [], keywords: [] }),
      vocab,
    );
    for (const key of ['missing:employees', 'missing:revenue', 'missing:founded_year', 'missing:technologies']) expect(at(v, key)).toBe(1);
    for (const key of ['num:log_employees', 'num:log_revenue', 'num:company_age', 'num:log_technologies']) expect(at(v, key)).toBe(0);
    for (const key of ['size:(unknown)', 'model:(unknown)', 'region:(unknown)', 'industry:(unknown)', 'country:(unknown)', 'stage:(unknown)']) {
      expect(at(v, key)).toBe(1);
    }
    expect(v.every(Number.isFinite)).toBe(true);
  });

  it('sends values outside the vocabulary to (other), and bounds numbers', () => {
    const v = featurise(account({ industry: 'mining', country: 'FR', region: 'dach', employees: 5_000_000, foundedYear: 1700 }), vocab);
    expect(at(v, 'industry:(other)')).toBe(1);
    expect(at(v, 'country:(other)')).toBe(1); // not in the vocabulary
    expect(at(v, 'region:(other)')).toBe(1); // the account's own region wins over the country's
    expect(at(v, 'num:log_employees')).toBe(1);
    expect(at(v, 'num:company_age')).toBe(1);
  });

  it('derives the size band from revenue when employees are missing', () => {
    expect(at(featurise(account({ employees: null, revenue: 20e6 }), vocab), 'size:smb')).toBe(1);
  });
});

describe('intentScore', () => {
  const now = new Date('2025-06-01T00:00:00Z');
  const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
  const signal = (type: string, days: number, value: number | null = null, topic: string | null = null) => ({ type, occurredAt: daysAgo(days), value, topic });

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
