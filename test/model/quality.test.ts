/**
 * Ranking quality on the causes the first engine missed: a rule on a value beyond the
 * old vocabulary caps, a conjunction of three attributes, and a blend that must not let similarity
 * cost precision. Accounts are built in memory and go through the real vocabulary, features,
 * forest and cross-validation; the database path is covered by test/model/engine.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Account } from '../../src/accounts/schema.ts';
import { featurise, modelFeatureCount, NUMERIC_FEATURE_COUNT, similarityVector } from '../../src/features/spec.ts';
import { buildVocabulary } from '../../src/features/vocabulary.ts';
import { predictFit, trainLookalike, type TrainingExample } from '../../src/model/forest.ts';
import { seededRandom, shuffled } from '../../src/lib/random.ts';
import { crossValidate } from '../../src/model/metrics.ts';

const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'CA', 'IN', 'BR', 'JP', 'AU', 'ES'];
const TECHNOLOGIES = Array.from({ length: 40 }, (_, i) => `tech-${i}`);

/** A long-tailed universe: 60 industries with Zipf-like frequencies, a few technologies each. */
function universe(n: number, seed: number): Account[] {
  const random = seededRandom(seed);
  const industryWeights = Array.from({ length: 60 }, (_, i) => 1 / (i + 1));
  const total = industryWeights.reduce((a, b) => a + b, 0);
  const pickIndustry = () => {
    let x = random() * total;
    for (let i = 0; i < industryWeights.length; i++) {
      x -= industryWeights[i];
      if (x <= 0) return `industry ${i}`;
    }
    return 'industry 59';
  };
  return Array.from({ length: n }, (_, i) => ({
    domain: `a${i}.example`,
    name: `Account ${i}`,
    industry: pickIndustry(),
    employees: Math.round(10 ** (1 + random() * 3)),
    revenue: null,
    country: COUNTRIES[Math.floor(random() * COUNTRIES.length)],
    region: null,
    city: null,
    foundedYear: 1990 + Math.floor(random() * 30),
    businessModel: random() < 0.7 ? 'b2b' : 'b2c',
    stage: null,
    technologies: TECHNOLOGIES.filter(() => random() < 0.08),
    keywords: [],
    description: null,
  }));
}

/** Labels 30 % of the matching accounts won and as many others lost; precision@k of the forest on the rest. */
function trainedPrecision(accounts: Account[], matches: (a: Account) => boolean, seed: number) {
  const random = seededRandom(seed);
  const ids = accounts.map((_, i) => i);
  const matching = shuffled(
    ids.filter((i) => matches(accounts[i])),
    random,
  );
  const others = shuffled(
    ids.filter((i) => !matches(accounts[i])),
    random,
  );
  const wonCount = Math.round(matching.length * 0.3);
  const won = new Set(matching.slice(0, wonCount));
  const lost = new Set(others.slice(0, wonCount));
  const vocabulary = buildVocabulary(accounts);
  const examples: TrainingExample[] = accounts.map((a, i) => ({
    id: String(i).padStart(5, '0'),
    features: featurise(a, vocabulary),
    similarity: similarityVector(a, vocabulary),
    label: won.has(i) ? 'positive' : lost.has(i) ? 'negative' : 'unlabelled',
  }));
  const shape = { numericFeatures: NUMERIC_FEATURE_COUNT, featureDim: modelFeatureCount(vocabulary) };
  const model = trainLookalike({ examples, seed, ...shape });
  const unlabelled = examples.filter((e) => e.label === 'unlabelled');
  const fits = predictFit(
    model,
    unlabelled.map((e) => e.features),
    unlabelled.map((e) => e.id),
  );
  const hidden = unlabelled.filter((e) => matches(accounts[Number(e.id)])).length;
  const k = Math.min(50, hidden);
  const top = fits
    .map((fit, i) => ({ fit, account: accounts[Number(unlabelled[i].id)] }))
    .sort((a, b) => b.fit - a.fit)
    .slice(0, k);
  return { precision: top.filter((t) => matches(t.account)).length / k, examples, shape, vocabulary };
}

describe('ranking quality', () => {
  const accounts = universe(4000, 11);

  it('learns a rule on an industry far beyond the 32 most common (the old cap)', () => {
    const counts = new Map<string, number>();
    for (const a of accounts) counts.set(a.industry!, (counts.get(a.industry!) ?? 0) + 1);
    const ranked = [...counts].sort((a, b) => b[1] - a[1]);
    const [rare, rareCount] = ranked[40];
    expect(rareCount).toBeGreaterThanOrEqual(20);
    const { precision, vocabulary } = trainedPrecision(accounts, (a) => a.industry === rare, 1);
    expect(vocabulary.tokens.some((t) => t.token === `industry:${rare}`)).toBe(true);
    expect(precision).toBeGreaterThanOrEqual(0.9);
  });

  it('learns a conjunction of three attributes that are common on their own', () => {
    const matches = (a: Account) => a.businessModel === 'b2b' && (a.employees ?? 0) >= 200 && a.technologies.includes('tech-3');
    expect(accounts.filter(matches).length).toBeGreaterThan(60);
    const { precision } = trainedPrecision(accounts, matches, 2);
    expect(precision).toBeGreaterThanOrEqual(0.8);
  });

  it('gives similarity no weight in the blend when it ranks won accounts worse than the forest', () => {
    // Either of two attributes: won accounts fall in two unlike groups, so similarity to the nearest
    // won accounts rewards whatever else they happen to share, and ranks held-out won accounts lower.
    const matches = (a: Account) => a.industry === 'industry 5' || a.country === 'DE';
    const { examples, shape } = trainedPrecision(accounts, matches, 3);
    const cv = crossValidate({ examples, seed: 3, ...shape });
    const fitOnly = cv.blend.grid.find((g) => g.similarity === 0)!;
    expect(cv.blend.grid.some((g) => g.similarity > 0 && g.averagePrecision < fitOnly.averagePrecision)).toBe(true);
    expect(cv.blend.similarity).toBe(0);
  });
});
