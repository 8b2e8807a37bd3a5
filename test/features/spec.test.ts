import { describe, expect, it } from 'vitest';
import type { Account, SpelledAccount } from '../../src/accounts/schema.ts';
import {
  describeFeatures,
  FEATURE_SPEC_VERSION,
  featurise,
  MAX_SIMILARITY_NONZEROS,
  MISSING_NUMERIC,
  modelFeatureCount,
  NUMERIC_FEATURE_COUNT,
  parseSparsevec,
  sharedLabels,
  SIMILARITY_DIM,
  similarityVector,
  sparseDot,
  sparsevecLiteral,
  type SparseVector,
} from '../../src/features/spec.ts';
import {
  accountTokens,
  buildVocabulary,
  descriptionTerms,
  idf,
  MAX_TERM_SHARE,
  MIN_DOCUMENT_FREQUENCY,
  salesRegion,
  TOKEN_KINDS,
  tokenKind,
  VocabularyBuilder,
} from '../../src/features/vocabulary.ts';
import { account as emptyAccount } from '../support/accounts.ts';

const asOf = new Date('2025-06-01T00:00:00Z');

const blank: Account = emptyAccount({ domain: 'blank.example' });

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

/** A small universe: every value is on a known number of accounts. */
const universe: Account[] = [
  ...Array.from({ length: 4 }, (_, i) =>
    account({ domain: `sf${i}.example`, technologies: ['salesforce', 'snowflake'], industry: 'software', stage: 'series_c' }),
  ),
  ...Array.from({ length: 3 }, (_, i) =>
    account({
      domain: `hs${i}.example`,
      technologies: ['salesforce', 'hubspot'],
      industry: 'retail',
      country: 'US',
      region: 'SF Bay Area',
      city: 'San Francisco',
      stage: null,
    }),
  ),
  ...Array.from({ length: 2 }, (_, i) =>
    account({ domain: `mn${i}.example`, technologies: ['asana'], industry: 'fintech', country: 'PL', employees: 40, keywords: ['b2b'] }),
  ),
  account({
    domain: 'one.example',
    industry: 'mining',
    technologies: ['obscuredb', 'salesforce'],
    country: 'FR',
    employees: 40,
    revenue: null,
    foundedYear: null,
    businessModel: null,
  }),
  { ...blank, domain: 'blank1.example' },
  { ...blank, domain: 'blank2.example' },
];
const vocab = buildVocabulary(universe, asOf);
const features = describeFeatures(vocab);
const byKey = (key: string) => features.find((f) => f.key === key);
const indexOf = (key: string) => {
  const f = byKey(key);
  if (!f) throw new Error(`no feature ${key}`);
  return f.index;
};
/** The value of a feature in a sparse vector (0 when absent). */
const at = (v: SparseVector, key: string) => {
  const k = v.index.indexOf(indexOf(key));
  return k < 0 ? 0 : v.value[k];
};
const tokensOf = (kind: string) => vocab.tokens.filter((t) => tokenKind(t.token) === kind).map((t) => t.token);
const norm = (v: SparseVector) => Math.hypot(...v.value);

describe('vocabulary', () => {
  it('keeps every value seen on at least two accounts, with no caps, deterministically', () => {
    expect(MIN_DOCUMENT_FREQUENCY).toBe(2);
    // By document frequency: salesforce 8, snowflake 4, hubspot 3, asana 2; obscuredb is on one account.
    expect(tokensOf('technology')).toEqual(['tech:salesforce', 'tech:snowflake', 'tech:hubspot', 'tech:asana']);
    expect(vocab.tokens.find((t) => t.token === 'tech:snowflake')!.count).toBe(4);
    expect(byKey('tech:obscuredb')).toBeUndefined(); // on one account: no feature
    expect(byKey('industry:mining')).toBeUndefined();
    expect(byKey('industry:fintech')).toBeDefined(); // on two: a feature
    expect(tokensOf('country')).toEqual(['country:DE', 'country:US', 'country:PL']);
    expect(vocab.referenceYear).toBe(2025);
    expect(vocab.universeSize).toBe(universe.length);
    expect(JSON.parse(JSON.stringify(vocab))).toEqual(vocab);
    // Kinds in TOKEN_KINDS order.
    const kinds = vocab.tokens.map((t) => TOKEN_KINDS.indexOf(tokenKind(t.token)));
    expect(kinds).toEqual(kinds.slice().sort((a, b) => a - b));
  });

  it('does not depend on account order or batching', () => {
    expect(buildVocabulary(universe.slice().reverse(), asOf)).toEqual(vocab);
    const builder = new VocabularyBuilder(asOf);
    builder.add(universe.slice(0, 5));
    builder.add(universe.slice(5));
    expect(builder.build()).toEqual(vocab);
  });

  it('has no caps: the long tail gets features too, ties broken by name', () => {
    const tail = Array.from({ length: 600 }, (_, i) => ({
      ...blank,
      domain: `t${i}.example`,
      technologies: [`tech-${String(i % 300).padStart(3, '0')}`],
    }));
    const big = buildVocabulary(tail, asOf);
    const tech = big.tokens.filter((t) => t.token.startsWith('tech:'));
    expect(tech).toHaveLength(300);
    expect(tech[0]).toEqual({ token: 'tech:tech-000', count: 2 });
    expect(tech[299].token).toBe('tech:tech-299');
  });

  it('marks missing single-valued fields as unknown tokens', () => {
    expect(accountTokens(blank, null).sort()).toEqual(
      ['unknown:business_model', 'unknown:country', 'unknown:industry', 'unknown:region', 'unknown:size', 'unknown:stage'].sort(),
    );
    expect(tokensOf('unknown')).toContain('unknown:stage');
    expect(byKey('unknown:industry')).toMatchObject({ kind: 'unknown', term: null, label: 'Industry unknown', absentLabel: null });
  });

  it('derives the sales region from the country; a free-text region is an area', () => {
    const tokens = (a: Partial<Account>) => accountTokens({ ...blank, ...a }, null);
    expect(tokens({ country: 'DE' })).toContain('region:europe');
    const bay = tokens({ country: 'US', region: 'SF Bay Area' });
    expect(bay).toContain('region:north_america');
    expect(bay).toContain('area:sf bay area');
    expect(bay.filter((t) => t.startsWith('region:'))).toEqual(['region:north_america']);
    // The country decides over a stated sales region; a sales region alone is kept.
    expect(tokens({ country: 'FR', region: 'north_america' }).filter((t) => t.startsWith('region:') || t.startsWith('area:'))).toEqual([
      'region:europe',
    ]);
    expect(tokens({ region: 'europe' }).filter((t) => t.startsWith('region:') || t.startsWith('area:'))).toEqual(['region:europe']);
    const dach = tokens({ region: 'DACH' });
    expect(dach).toContain('unknown:region');
    expect(dach).toContain('area:dach');
    expect(salesRegion({ country: null, region: 'SF Bay Area' })).toBeNull();
    expect(salesRegion({ country: 'us', region: null })).toBe('north_america');
    // In the universe: the Bay Area accounts give an area feature and count towards North America.
    expect(byKey('area:sf bay area')).toMatchObject({ kind: 'area' });
    expect(byKey('area:sf bay area')!.label.toLowerCase()).toBe('area: sf bay area');
    expect(vocab.tokens.find((t) => t.token === 'region:north_america')!.count).toBe(3);
  });

  it('tokenises descriptions: lower case, stop words and numbers out, each term once', () => {
    expect(descriptionTerms('Acme Inc. provides cloud-based Payments APIs for 2,000 banks in the EU; payments!')).toEqual([
      'acme',
      'cloud',
      'payments',
      'apis',
      'payments apis',
      'banks',
    ]);
    expect(descriptionTerms(null)).toEqual([]);
    expect(descriptionTerms('Ｆｕｌｌｗｉｄｔｈ café')).toEqual(['fullwidth', 'café', 'fullwidth café']);
  });

  it('adds two-word phrases of adjacent terms, not across stop words or punctuation; a hyphen joins', () => {
    const terms = descriptionTerms('Open-source data platform for finance teams: payments, logistics and open source tooling');
    expect(terms.filter((t) => t.includes(' '))).toEqual([
      'open source',
      'source data',
      'data platform',
      'finance teams',
      'source tooling',
    ]);
    // "platform for finance": a stop word between; "payments, logistics": a comma; "logistics and open": a stop word.
    expect(terms).not.toContain('platform finance');
    expect(terms).not.toContain('payments logistics');
    expect(terms.filter((t) => !t.includes(' '))).toEqual([
      'open',
      'source',
      'data',
      'platform',
      'finance',
      'teams',
      'payments',
      'logistics',
      'tooling',
    ]);
  });

  it('keeps a phrase as it keeps a word: on at least two accounts and at most MAX_TERM_SHARE of them', () => {
    const described = (i: number, text: string): Account => ({ ...blank, domain: `p${i}.example`, description: text });
    const accounts = [
      ...Array.from({ length: 3 }, (_, i) => described(i, 'open source database')),
      described(3, 'source code hosting'),
      described(4, 'database hosting'),
      ...Array.from({ length: 5 }, (_, i) => described(10 + i, 'payroll')),
    ];
    const kept = buildVocabulary(accounts, asOf).tokens.filter((t) => t.token.startsWith('term:'));
    expect(kept.find((t) => t.token === 'term:open source')).toEqual({ token: 'term:open source', count: 3 });
    expect(kept.map((t) => t.token)).toContain('term:source database');
    // "open" is on exactly the accounts of "open source": the phrase stands for it. "source" and
    // "database" are also elsewhere: the phrase carries more than they do, and all three are kept.
    expect(kept.map((t) => t.token)).not.toContain('term:open');
    expect(kept.map((t) => t.token)).toEqual(expect.arrayContaining(['term:source', 'term:database']));
    // On one account each: no feature.
    expect(kept.map((t) => t.token)).not.toContain('term:source code');
    expect(kept.map((t) => t.token)).not.toContain('term:database hosting');
    // On 10 of 10: says nothing about anyone, phrase or not.
    const everywhere = Array.from({ length: 10 }, (_, i) => described(i, 'open source'));
    expect(buildVocabulary(everywhere, asOf).tokens.filter((t) => t.token.startsWith('term:'))).toEqual([]);
    expect(byKey('term:open source')).toBeUndefined();
    const phraseVocab = buildVocabulary(accounts, asOf);
    expect(describeFeatures(phraseVocab).find((f) => f.key === 'term:open source')).toMatchObject({
      kind: 'term',
      term: 'open source',
      label: 'Description mentions "open source"',
    });
  });

  it('keeps the spelling most accounts carry for labels; values, and so matching, stay lower case', () => {
    const accounts: SpelledAccount[] = [
      ...Array.from({ length: 2 }, (_, i) => ({
        ...blank,
        domain: `it${i}.example`,
        industry: 'it and cybersecurity',
        industrySpelling: 'IT and Cybersecurity',
        region: 'SF Bay Area',
        city: 'San Francisco',
      })),
      { ...blank, domain: 'it2.example', industry: 'it and cybersecurity', region: 'sf bay area', city: 'san francisco' },
      // Spelled with capitals once only, against two without: the capitals still say how the name is written.
      ...Array.from({ length: 2 }, (_, i) => ({ ...blank, domain: `ag${i}.example`, industry: 'agtech', city: 'den haag' })),
      { ...blank, domain: 'ag2.example', industry: 'agtech', industrySpelling: 'AgTech', city: 'Den Haag' },
      // A tie: the first in code-unit order.
      { ...blank, domain: 'ab0.example', industry: 'fintech', industrySpelling: 'FinTech' },
      { ...blank, domain: 'ab1.example', industry: 'fintech', industrySpelling: 'Fintech' },
      // Slugs have no capitals: humanised.
      ...Array.from({ length: 2 }, (_, i) => ({ ...blank, domain: `fs${i}.example`, industry: 'financial_services' })),
    ];
    const spelled = buildVocabulary(accounts, asOf);
    const token = (t: string) => spelled.tokens.find((v) => v.token === t);
    expect(token('industry:it and cybersecurity')).toEqual({
      token: 'industry:it and cybersecurity',
      count: 3,
      spelling: 'IT and Cybersecurity',
    });
    expect(token('area:sf bay area')).toMatchObject({ count: 3, spelling: 'SF Bay Area' });
    expect(token('city:den haag')).toMatchObject({ count: 3, spelling: 'Den Haag' });
    expect(token('industry:fintech')?.spelling).toBe('FinTech');
    expect(token('industry:financial_services')).toEqual({ token: 'industry:financial_services', count: 2 });
    // The same accounts in another order, or in other batches, give the same spellings.
    expect(buildVocabulary(accounts.slice().reverse(), asOf)).toEqual(spelled);
    const label = (key: string) => describeFeatures(spelled).find((f) => f.key === key);
    expect(label('industry:it and cybersecurity')).toMatchObject({
      label: 'Industry: IT and Cybersecurity',
      absentLabel: 'Not in IT and Cybersecurity',
    });
    expect(label('area:sf bay area')!.label).toBe('Area: SF Bay Area');
    expect(label('city:san francisco')!.label).toBe('City: San Francisco');
    expect(label('industry:agtech')!.label).toBe('Industry: AgTech');
    expect(label('industry:financial_services')!.label).toBe('Industry: Financial Services');
    // The tokens themselves are lower case: both spellings are one feature.
    expect(accountTokens(accounts[0], null)).toEqual(accountTokens(accounts[2], null));
    expect(accountTokens(accounts[0], null)).toContain('industry:it and cybersecurity');
  });

  it('drops description terms on more than MAX_TERM_SHARE of the accounts, and only terms', () => {
    expect(MAX_TERM_SHARE).toBe(0.5);
    const described = (i: number, text: string): Account => ({
      ...blank,
      domain: `d${i}.example`,
      industry: 'software',
      description: text,
    });
    const accounts = [
      ...Array.from({ length: 6 }, (_, i) => described(i, 'cloud platform for payments')),
      ...Array.from({ length: 4 }, (_, i) => described(10 + i, 'cloud platform for logistics')),
    ];
    const terms = buildVocabulary(accounts, asOf).tokens.map((t) => t.token);
    // cloud and platform: 10 of 10; payments: 6 of 10 (over half); logistics: 4 of 10.
    expect(terms.filter((t) => t.startsWith('term:'))).toEqual(['term:logistics']);
    // Other kinds are kept however common: industry:software is on every account.
    expect(terms).toContain('industry:software');
    // Exactly half is not more than half.
    const half = [...accounts.slice(0, 5), ...accounts.slice(6), described(20, 'cloud platform for logistics')];
    expect(half).toHaveLength(10);
    expect(buildVocabulary(half, asOf).tokens.map((t) => t.token)).toContain('term:payments');
  });
});

describe('feature layout', () => {
  it('has four numeric features, then one per vocabulary token', () => {
    expect(FEATURE_SPEC_VERSION).toBe(3);
    expect(NUMERIC_FEATURE_COUNT).toBe(4);
    expect(features).toHaveLength(modelFeatureCount(vocab));
    expect(features).toHaveLength(NUMERIC_FEATURE_COUNT + vocab.tokens.length);
    expect(features.slice(0, 4).map((f) => f.key)).toEqual([
      'num:log_employees',
      'num:log_revenue',
      'num:company_age',
      'num:log_technologies',
    ]);
    features.forEach((f, i) => expect(f.index).toBe(i));
    vocab.tokens.forEach((t, p) => expect(features[NUMERIC_FEATURE_COUNT + p].key).toBe(t.token));
    expect(new Set(features.map((f) => f.key)).size).toBe(features.length);
  });

  it('gives every feature a readable label', () => {
    expect(byKey('tech:snowflake')).toMatchObject({
      kind: 'technology',
      term: 'snowflake',
      label: 'Uses Snowflake',
      absentLabel: "Doesn't use Snowflake",
      field: null,
    });
    expect(byKey('industry:software')).toMatchObject({ label: 'Industry: Software', absentLabel: 'Not in Software', field: 'industry' });
    expect(byKey('country:DE')).toMatchObject({ label: 'Country: Germany', absentLabel: 'Outside Germany', field: 'country' });
    expect(byKey('stage:series_c')).toMatchObject({ label: 'Stage: Series C', absentLabel: 'Not at the Series C stage', field: 'stage' });
    expect(byKey('region:europe')).toMatchObject({ label: 'Region: Europe', field: 'region' });
    expect(byKey('model:b2b')!.label).toBe('Business model: B2B');
    expect(byKey('size:mid_market')).toMatchObject({ label: 'Mid-market (500–2,000 employees)', field: 'size' });
    expect(byKey('keyword:payments')!.label).toBe('Tagged "payments"');
    expect(byKey('city:berlin')!.label).toBe('City: Berlin');
    // Bands sit at the universe's deciles; their labels read as ranges.
    const band = (prefix: string) => features.filter((f) => f.key.startsWith(`${prefix}:`)).map((f) => f.label);
    expect(band('employees').length).toBeGreaterThan(1);
    for (const label of band('employees')) expect(label).toMatch(/^(under [\d,]+|[\d,]+–[\d,]+|[\d,]+\+) employees$/);
    for (const label of band('revenue'))
      expect(label).toMatch(/^(under \$[\d.]+[KMB]?|\$[\d.]+[KMB]?–\$[\d.]+[KMB]?|\$[\d.]+[KMB]?\+) revenue$/);
    for (const label of band('founded')) expect(label).toMatch(/^Founded (before \d{4}|\d{4}–\d{4}|in or after \d{4})$/);
    expect(byKey('num:log_employees')).toMatchObject({ kind: 'numeric', label: 'Employees', term: null, field: null });
    for (const f of features) {
      expect(f.label).not.toMatch(/_|undefined|null/);
      expect(f.label).not.toContain(f.key);
      expect(f.label.length).toBeGreaterThan(0);
    }
  });
});

describe('featurise', () => {
  it('encodes a complete account sparsely: numbers first, then its vocabulary tokens', () => {
    const v = featurise(account(), vocab);
    expect(v.index).toEqual(v.index.slice().sort((a, b) => a - b));
    expect(v.index).toHaveLength(v.value.length);
    expect(at(v, 'num:log_employees')).toBeCloseTo(Math.log10(1200));
    expect(at(v, 'num:log_revenue')).toBeCloseTo(Math.log10(150e6));
    expect(at(v, 'num:company_age')).toBeCloseTo(Math.log2(1 + 15)); // against the vocabulary's reference year
    expect(at(v, 'num:log_technologies')).toBeCloseTo(Math.log2(1 + 3));
    for (const key of [
      'size:mid_market',
      'model:b2b',
      'region:europe',
      'industry:software',
      'country:DE',
      'stage:series_b',
      'tech:snowflake',
      'tech:salesforce',
      'keyword:payments',
      'city:berlin',
    ]) {
      expect(at(v, key)).toBe(1);
    }
    expect(at(v, 'tech:hubspot')).toBe(0);
    expect(at(v, 'unknown:industry')).toBe(0);
    // Tokens outside the vocabulary have no feature.
    expect(v.index.every((i) => i < features.length)).toBe(true);
    expect(v.index.slice(NUMERIC_FEATURE_COUNT).map((i) => features[i].key)).not.toContain('tech:obscuredb');
  });

  it('marks missing fields explicitly instead of guessing', () => {
    const v = featurise({ ...blank }, vocab);
    expect(MISSING_NUMERIC).toBe(-1);
    for (const key of ['num:log_employees', 'num:log_revenue', 'num:company_age', 'num:log_technologies']) expect(at(v, key)).toBe(-1);
    for (const key of [
      'unknown:size',
      'unknown:business_model',
      'unknown:region',
      'unknown:country',
      'unknown:industry',
      'unknown:stage',
    ]) {
      if (byKey(key)) expect(at(v, key)).toBe(1);
    }
    expect(at(v, 'unknown:industry')).toBe(1);
    expect(v.value.every(Number.isFinite)).toBe(true);
    // Real values are never below the unknown marker.
    const tiny = featurise(account({ employees: 1, revenue: 1, foundedYear: 2025, technologies: ['x'] }), vocab);
    for (let i = 0; i < NUMERIC_FEATURE_COUNT; i++) expect(at(tiny, features[i].key)).toBeGreaterThan(MISSING_NUMERIC);
  });

  it('derives the size band from revenue when employees are missing', () => {
    expect(at(featurise(account({ employees: null, revenue: 20e6 }), vocab), 'size:smb')).toBe(1);
  });
});

describe('similarityVector', () => {
  it('is unit length, TF-IDF weighted, without unknown markers', () => {
    const v = similarityVector(account(), vocab);
    expect(norm(v)).toBeCloseTo(1, 12);
    expect(v.index).toEqual(v.index.slice().sort((a, b) => a - b));
    // Indexes are vocabulary positions (model feature index − the numeric features).
    const key = (i: number) => features[NUMERIC_FEATURE_COUNT + i].key;
    expect(v.index.map(key)).toContain('tech:snowflake');
    expect(v.index.map(key).some((k) => k.startsWith('unknown:'))).toBe(false);
    // Rarer tokens weigh more: snowflake (4 accounts) over salesforce (8).
    const weight = (k: string) => v.value[v.index.map(key).indexOf(k)];
    expect(weight('tech:snowflake')).toBeGreaterThan(weight('tech:salesforce'));
    expect(weight('tech:snowflake') / weight('tech:salesforce')).toBeCloseTo(idf(4, vocab.universeSize) / idf(8, vocab.universeSize), 12);
    // An account with nothing known has an empty vector, not NaNs.
    expect(similarityVector(blank, vocab)).toEqual({ index: [], value: [] });
    expect(sparseDot(v, v)).toBeCloseTo(1, 12);
  });

  it('has at most MAX_SIMILARITY_NONZEROS entries, keeping the rarest tokens', () => {
    expect(MAX_SIMILARITY_NONZEROS).toBe(1000);
    const techs = Array.from({ length: 1500 }, (_, i) => `t${String(i).padStart(4, '0')}`);
    // The first 1,000 technologies are on 2 accounts, the other 500 on 3: the rarer ones are kept.
    const many = [
      ...[0, 1].map((i) => ({ ...blank, domain: `m${i}.example`, technologies: techs })),
      { ...blank, domain: 'm2.example', technologies: techs.slice(1000) },
      ...Array.from({ length: 5 }, (_, i) => ({ ...blank, domain: `b${i}.example` })),
    ];
    const big = buildVocabulary(many, asOf);
    const v = similarityVector(many[0], big);
    expect(v.index).toHaveLength(MAX_SIMILARITY_NONZEROS);
    expect(norm(v)).toBeCloseTo(1, 12);
    expect(v.index).toEqual(v.index.slice().sort((a, b) => a - b));
    const kept = new Set(v.index.map((p) => big.tokens[p].token));
    expect(kept.has('tech:t0000')).toBe(true);
    expect(kept.has('tech:t1000')).toBe(false);
    expect(featurise(many[0], big).index.length).toBeGreaterThan(1500); // the model still sees everything
  });

  it('names what two accounts share, strongest first', () => {
    const a = similarityVector(account(), vocab);
    const b = similarityVector(
      account({ domain: 'b.example', technologies: ['snowflake'], industry: 'retail', country: 'PL', city: null, keywords: [] }),
      vocab,
    );
    const shared = sharedLabels(vocab, a, b, 10);
    expect(shared).toContain('Uses Snowflake');
    expect(shared).not.toContain('Uses Salesforce');
    expect(shared).not.toContain('Industry: Software');
    expect(sharedLabels(vocab, a, b, 1)).toHaveLength(1);
    expect(sharedLabels(vocab, a, { index: [], value: [] })).toEqual([]);
  });

  it('names a shared phrase, not its words beside it', () => {
    const described = (i: number, text: string): Account => ({ ...blank, domain: `s${i}.example`, description: text });
    const accounts = [
      described(0, 'open source database'),
      described(1, 'open source database'),
      described(2, 'source control'),
      described(3, 'source control'),
      ...Array.from({ length: 6 }, (_, i) => described(10 + i, 'payroll')),
    ];
    const terms = buildVocabulary(accounts, asOf);
    const [a, b] = accounts.slice(0, 2).map((x) => similarityVector(x, terms));
    const shared = sharedLabels(terms, a, b, 10);
    expect(shared).toContain('Description mentions "open source"');
    expect(shared).toContain('Description mentions "source database"');
    expect(shared.filter((l) => /"(open|source|database)"/.test(l))).toEqual([]);
    // Without the phrase, the word is named.
    expect(sharedLabels(terms, a, similarityVector(accounts[2], terms), 10)).toEqual(['Description mentions "source"']);
  });
});

describe('sparsevec text', () => {
  it('writes pgvector sparsevec literals (1-based) and reads them back', () => {
    expect(SIMILARITY_DIM).toBe(1_000_000);
    const v = { index: [0, 7, 41], value: [0.5, 1, 1 / 3] };
    expect(sparsevecLiteral(v)).toBe('{1:0.5,8:1,42:0.333333}/1000000');
    expect(sparsevecLiteral(v, 50)).toBe('{1:0.5,8:1,42:0.333333}/50');
    const back = parseSparsevec(sparsevecLiteral(v));
    expect(back.index).toEqual(v.index);
    back.value.forEach((x, k) => expect(x).toBeCloseTo(v.value[k], 6));
    expect(sparsevecLiteral({ index: [], value: [] })).toBe('{}/1000000');
    expect(parseSparsevec('{}/1000000')).toEqual({ index: [], value: [] });
    const s = similarityVector(account(), vocab);
    expect(sparseDot(parseSparsevec(sparsevecLiteral(s)), s)).toBeCloseTo(1, 5);
  });
});
