/**
 * The feature spec: the one definition of an account's feature vector, used for training,
 * scoring, similarity search (pgvector) and explanations.
 *
 * Vectors are fit-only (firmographic + technographic). Intent is scored separately by
 * `intentScore` and kept out of the vector and the forest, because signal timing differs between
 * the two groups the model compares: won accounts were won months or years ago, and the signals we
 * hold about them now are not the ones they showed while buying, whereas prospects' signals are
 * current. Mixing them would teach the forest "no recent signals = won". The design also wants
 * intent as its own sub-score (timing), separate from fit (who they are).
 *
 * Layout (FEATURE_DIM = 236 in version 1; every workspace uses the same layout, unused slots are 0):
 *
 *   block            slots  values
 *   numeric              4  log employees, log revenue, company age, log technology count; each in [-1, 1] or [0, 1]
 *   missing              4  1 when employees / revenue / founded year / technologies are missing
 *   size band            4  smb, mid_market, enterprise, (unknown)
 *   business model       7  b2b, b2c, b2b2c, marketplace, nonprofit, government, (unknown)
 *   region               7  the five sales regions of countries.ts, (other), (unknown)
 *   industry            34  32 from the vocabulary, (other), (unknown)
 *   country             34  32 from the vocabulary, (other), (unknown)
 *   stage               12  10 from the vocabulary, (other), (unknown)
 *   technology          97  96 from the vocabulary, (other)          — rarity-weighted multi-hot
 *   keyword             33  32 from the vocabulary, (other)          — rarity-weighted multi-hot
 *
 * Changing anything here (a block, a cap, a scaling) changes what stored vectors mean: bump
 * FEATURE_SPEC_VERSION, and re-featurise the universe.
 */
import { BUSINESS_MODELS, SIZE_BANDS, type Account, type SizeBand } from '../accounts/schema.ts';
import { COUNTRIES, REGIONS, countryRegion } from '../accounts/countries.ts';
import { sizeBand } from '../accounts/normalise.ts';
import { VOCABULARY_CAPS, rarityWeight, type Vocabulary, type VocabularyField } from './vocabulary.ts';

export const FEATURE_SPEC_VERSION = 1;

export type FeatureKind =
  | 'numeric'
  | 'missing'
  | 'size_band'
  | 'business_model'
  | 'region'
  | 'industry'
  | 'country'
  | 'stage'
  | 'technology'
  | 'keyword'
  | 'unused';

export interface FeatureInfo {
  index: number;
  /** Stable machine key, e.g. `tech:snowflake`, `industry:software`, `num:log_employees`, `industry:(other)`. */
  key: string;
  kind: FeatureKind;
  /** The categorical value this dimension stands for (`snowflake`), or null for numeric, bucket and unused slots. */
  term: string | null;
  /** What a non-zero value means, for people: "Uses Snowflake", "Industry: Software", "Employees". */
  label: string;
  /** What a zero means, when that is worth saying: "Doesn't use Snowflake". Null for numeric, bucket, missing-indicator and unused slots. */
  absentLabel: string | null;
}

// ---------------------------------------------------------------------------------------------
// Size bands (the brief: SMB < 500 employees / < $50M; mid-market 500–2,000 / $50M–$1B; enterprise above)

export const SIZE_BAND_LABELS: Readonly<Record<SizeBand, string>> = {
  smb: 'SMB (under 500 employees)',
  mid_market: 'Mid-market (500–2,000 employees)',
  enterprise: 'Enterprise (over 2,000 employees)',
};

/**
 * The account's sales region: its own `region`, else the one its country implies.
 * The single place region fallback happens (SQL that groups by region should use the same rule).
 */
export function regionOf(account: Pick<Account, 'region' | 'country'>): string | null {
  return account.region ?? (account.country ? countryRegion(account.country) : null);
}

// ---------------------------------------------------------------------------------------------
// Numeric features. Fixed transforms (not per-workspace standardisation) so a vector means the same
// in every workspace and does not shift when the universe grows. Centred near the SMB/mid-market
// boundary so cosine similarity is not dominated by a shared positive offset.

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** log10(x) centred on `centre`, ±1 at `spread` decades away, clipped to [-1, 1]. */
const logScale = (x: number, centre: number, spread: number) =>
  clamp((Math.log10(Math.max(1, x)) - Math.log10(centre)) / spread, -1, 1);

interface NumericFeature {
  name: string;
  label: string;
  missingName: string;
  missingLabel: string;
  value(account: Account, vocab: Vocabulary): number | null;
}

const NUMERIC_FEATURES: NumericFeature[] = [
  {
    // 500 employees → 0; 10 → -1; 25,000 → +1
    name: 'log_employees',
    label: 'Employees',
    missingName: 'employees',
    missingLabel: 'Employee count unknown',
    value: (a) => (a.employees == null ? null : logScale(a.employees, 500, 1.7)),
  },
  {
    // $50M → 0; $1M → -1; $2.5B → +1
    name: 'log_revenue',
    label: 'Revenue',
    missingName: 'revenue',
    missingLabel: 'Revenue unknown',
    value: (a) => (a.revenue == null ? null : logScale(a.revenue, 50e6, 1.7)),
  },
  {
    // log2(1 + age) centred on 10 years: new → -1, 80+ years → +1
    name: 'company_age',
    label: 'Company age',
    missingName: 'founded_year',
    missingLabel: 'Founding year unknown',
    value: (a, vocab) =>
      a.foundedYear == null
        ? null
        : clamp((Math.log2(1 + Math.max(0, vocab.referenceYear - a.foundedYear)) - Math.log2(11)) / 3, -1, 1),
  },
  {
    // Size of the tech stack (technical maturity): 0..1, 63+ technologies saturate.
    // An empty list is "no technographic data", not "no technology", so it counts as missing.
    name: 'log_technologies',
    label: 'Number of technologies',
    missingName: 'technologies',
    missingLabel: 'Technologies unknown',
    value: (a) => (a.technologies.length === 0 ? null : Math.min(1, Math.log2(1 + a.technologies.length) / 6)),
  },
];

// ---------------------------------------------------------------------------------------------
// Categorical blocks: one dimension per value, plus "(other)" and "(unknown)" buckets.

/** Long-tail values are individually rare but collectively common, so their bucket weighs like a common value. */
const OTHER_WEIGHT = 0.5;
const OTHER = '(other)';
const UNKNOWN = '(unknown)';

interface CategoricalBlock {
  kind: Exclude<FeatureKind, 'numeric' | 'missing' | 'unused'>;
  prefix: string;
  /** Name for bucket labels: "Industry: less common value". */
  title: string;
  /** Fixed values, or the vocabulary field whose terms fill the block up to its cap. */
  values: readonly string[] | VocabularyField;
  hasOther: boolean;
  /** Single-valued blocks get an "(unknown)" slot; for multi-valued ones an empty list is just nothing. */
  multi: boolean;
  of(account: Account): string | readonly string[] | null;
  label(term: string): { label: string; absentLabel: string };
}

/** `series_b` → "Series B", `google-analytics` → "Google Analytics". */
export function humanise(slug: string): string {
  return slug
    .split(/[_\-\s]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(' ');
}

const COUNTRY_NAMES = new Map(COUNTRIES.map((c) => [c.alpha2, c.name]));
const countryName = (code: string) => COUNTRY_NAMES.get(code.toUpperCase()) ?? code;

const BUSINESS_MODEL_NAMES: Record<string, string> = {
  b2b: 'B2B',
  b2c: 'B2C',
  b2b2c: 'B2B2C',
  marketplace: 'Marketplace',
  nonprofit: 'Nonprofit',
  government: 'Government',
};

const CATEGORICAL_BLOCKS: CategoricalBlock[] = [
  {
    kind: 'size_band',
    prefix: 'size',
    title: 'Size band',
    values: SIZE_BANDS,
    hasOther: false,
    multi: false,
    of: (a) => sizeBand(a.employees, a.revenue),
    label: (t) => ({ label: SIZE_BAND_LABELS[t as SizeBand], absentLabel: `Not ${SIZE_BAND_LABELS[t as SizeBand]}` }),
  },
  {
    kind: 'business_model',
    prefix: 'model',
    title: 'Business model',
    values: BUSINESS_MODELS,
    hasOther: false,
    multi: false,
    of: (a) => a.businessModel,
    label: (t) => ({
      label: `Business model: ${BUSINESS_MODEL_NAMES[t]}`,
      absentLabel: `Not ${BUSINESS_MODEL_NAMES[t]}`,
    }),
  },
  {
    kind: 'region',
    prefix: 'region',
    title: 'Region',
    values: REGIONS,
    hasOther: true,
    multi: false,
    of: regionOf,
    label: (t) => ({ label: `Region: ${humanise(t)}`, absentLabel: `Outside ${humanise(t)}` }),
  },
  {
    kind: 'industry',
    prefix: 'industry',
    title: 'Industry',
    values: 'industry',
    hasOther: true,
    multi: false,
    of: (a) => a.industry,
    label: (t) => ({ label: `Industry: ${humanise(t)}`, absentLabel: `Not in ${humanise(t)}` }),
  },
  {
    kind: 'country',
    prefix: 'country',
    title: 'Country',
    values: 'country',
    hasOther: true,
    multi: false,
    of: (a) => a.country,
    label: (t) => ({ label: `Country: ${countryName(t)}`, absentLabel: `Outside ${countryName(t)}` }),
  },
  {
    kind: 'stage',
    prefix: 'stage',
    title: 'Stage',
    values: 'stage',
    hasOther: true,
    multi: false,
    of: (a) => a.stage,
    label: (t) => ({ label: `Stage: ${humanise(t)}`, absentLabel: `Not at the ${humanise(t)} stage` }),
  },
  {
    kind: 'technology',
    prefix: 'tech',
    title: 'Technologies',
    values: 'technology',
    hasOther: true,
    multi: true,
    of: (a) => a.technologies,
    label: (t) => ({ label: `Uses ${humanise(t)}`, absentLabel: `Doesn't use ${humanise(t)}` }),
  },
  {
    kind: 'keyword',
    prefix: 'keyword',
    title: 'Keywords',
    values: 'keyword',
    hasOther: true,
    multi: true,
    of: (a) => a.keywords,
    label: (t) => ({ label: `Tagged "${t}"`, absentLabel: `Not tagged "${t}"` }),
  },
];

const blockSize = (b: CategoricalBlock) =>
  (typeof b.values === 'string' ? VOCABULARY_CAPS[b.values] : b.values.length) + (b.hasOther ? 1 : 0) + (b.multi ? 0 : 1);

export const FEATURE_DIM =
  2 * NUMERIC_FEATURES.length + CATEGORICAL_BLOCKS.reduce((sum, b) => sum + blockSize(b), 0);

// ---------------------------------------------------------------------------------------------
// Compiled spec: the feature list plus lookups, built once per vocabulary.

interface CompiledSpec {
  features: FeatureInfo[];
  /** Feature key → index. */
  index: Map<string, number>;
  /** Value a categorical dimension takes when present: 1, or the rarity weight for technologies and keywords. */
  presentValue: number[];
}

const compiled = new WeakMap<Vocabulary, CompiledSpec>();

function compile(vocab: Vocabulary): CompiledSpec {
  const cached = compiled.get(vocab);
  if (cached) return cached;

  const features: FeatureInfo[] = [];
  const presentValue: number[] = [];
  const add = (info: Omit<FeatureInfo, 'index'>, value = 1) => {
    features.push({ index: features.length, ...info });
    presentValue.push(value);
  };

  for (const n of NUMERIC_FEATURES) add({ key: `num:${n.name}`, kind: 'numeric', term: null, label: n.label, absentLabel: null });
  for (const n of NUMERIC_FEATURES) {
    add({ key: `missing:${n.missingName}`, kind: 'missing', term: null, label: n.missingLabel, absentLabel: null });
  }

  for (const block of CATEGORICAL_BLOCKS) {
    const start = features.length;
    const weighted = block.multi; // rarity weighting is for the multi-hot blocks (technologies, keywords)
    const terms =
      typeof block.values === 'string'
        ? vocab.terms[block.values].map((t) => ({ term: t.term, value: weighted ? rarityWeight(t.count, vocab.universeSize) : 1 }))
        : block.values.map((term) => ({ term, value: 1 }));
    const slots = blockSize(block) - (block.hasOther ? 1 : 0) - (block.multi ? 0 : 1);
    if (terms.length > slots) throw new Error(`vocabulary has ${terms.length} ${block.kind} terms, the spec has ${slots} slots`);

    for (const { term, value } of terms) add({ key: `${block.prefix}:${term}`, kind: block.kind, term, ...block.label(term) }, value);
    for (let i = terms.length; i < slots; i++) {
      add({ key: `${block.prefix}:(unused ${i})`, kind: 'unused', term: null, label: 'Unused', absentLabel: null }, 0);
    }
    if (block.hasOther) {
      add(
        { key: `${block.prefix}:${OTHER}`, kind: block.kind, term: null, label: `${block.title}: less common value`, absentLabel: null },
        weighted ? OTHER_WEIGHT : 1,
      );
    }
    if (!block.multi) {
      add({ key: `${block.prefix}:${UNKNOWN}`, kind: block.kind, term: null, label: `${block.title} unknown`, absentLabel: null });
    }
    if (features.length - start !== blockSize(block)) throw new Error(`layout error in block ${block.kind}`);
  }

  const spec = { features, index: new Map(features.map((f) => [f.key, f.index])), presentValue };
  compiled.set(vocab, spec);
  return spec;
}

/** Per dimension: key, kind and human labels. Same order as `featurise`. */
export function describeFeatures(vocab: Vocabulary): FeatureInfo[] {
  return compile(vocab).features;
}

export function featurise(account: Account, vocab: Vocabulary): number[] {
  const { index, presentValue } = compile(vocab);
  const vector = new Array<number>(FEATURE_DIM).fill(0);
  const set = (key: string) => {
    const i = index.get(key);
    if (i === undefined) throw new Error(`no feature ${key} in spec v${FEATURE_SPEC_VERSION}`);
    vector[i] = presentValue[i];
  };

  NUMERIC_FEATURES.forEach((n, i) => {
    const value = n.value(account, vocab);
    // Missing → 0 (the centre) plus an explicit indicator, so a tree can tell "unknown" from "average".
    if (value == null) set(`missing:${n.missingName}`);
    else vector[i] = value;
  });

  for (const block of CATEGORICAL_BLOCKS) {
    const raw = block.of(account);
    const values = raw == null ? [] : typeof raw === 'string' ? [raw] : raw;
    if (values.length === 0 && !block.multi) set(`${block.prefix}:${UNKNOWN}`);
    for (const value of values) {
      const key = `${block.prefix}:${value}`;
      set(index.has(key) ? key : `${block.prefix}:${OTHER}`);
    }
  }
  return vector;
}

// ---------------------------------------------------------------------------------------------
// Intent: its own sub-score, 0..1, from time-stamped signals with exponential recency decay.

export interface IntentSignal {
  type: string;
  occurredAt: Date;
  value: number | null;
  topic: string | null;
}

interface SignalRule {
  label: string;
  /** Evidence of one fresh signal of magnitude 1, before saturation. */
  weight: number;
  /** Days after which a signal counts half. */
  halfLifeDays: number;
  /** How `value` scales the signal (default: it does not). */
  magnitude?: (value: number) => number;
}

/**
 * Weights say how strongly a signal suggests buying now; half-lives how long it stays news.
 * Active buying (competitor evaluation, web visits, topic surges) fades within weeks; trigger
 * events (funding, leadership change, displacing a competitor) open a window of months.
 */
export const SIGNAL_RULES: Readonly<Record<string, SignalRule>> = {
  competitor_evaluation: { label: 'Evaluating a competitor', weight: 0.7, halfLifeDays: 30 },
  // value = number of visits: 1 → 1, 3 → 2, 15+ → 4
  web_visit: { label: 'Visited your website', weight: 0.15, halfLifeDays: 14, magnitude: (v) => clamp(Math.log2(1 + v), 0, 4) },
  // value = surge score 0–100: 50 → 1, 100 → 2
  topic_surge: { label: 'Researching your topics', weight: 0.35, halfLifeDays: 21, magnitude: (v) => clamp(v / 50, 0, 2) },
  event_attended: { label: 'Attended an event', weight: 0.3, halfLifeDays: 45 },
  event_sponsored: { label: 'Sponsored an event', weight: 0.3, halfLifeDays: 60 },
  funding_round: { label: 'Raised funding', weight: 0.5, halfLifeDays: 90 },
  hiring_surge: { label: 'Hiring fast', weight: 0.3, halfLifeDays: 60 },
  leadership_change: { label: 'New leadership', weight: 0.3, halfLifeDays: 90 },
  competitor_displaced: { label: 'Displaced a competitor', weight: 0.4, halfLifeDays: 120 },
};

/** Signal types the API accepts beyond the list above count a little. */
const UNKNOWN_SIGNAL_RULE: Omit<SignalRule, 'label'> = { weight: 0.1, halfLifeDays: 30 };

export interface IntentDriver {
  type: string;
  label: string;
  /** Decayed evidence of this signal type (before saturation); drivers are sorted by it. */
  weight: number;
  count: number;
  lastOccurredAt: Date;
  topics: string[];
}

export interface IntentResult {
  /** 1 − exp(−total evidence): one fresh competitor evaluation ≈ 0.5, several strong signals → near 1. */
  score: number;
  drivers: IntentDriver[];
}

const DAY_MS = 86_400_000;
/** Drivers below this much evidence (e.g. a visit several half-lives ago) are not worth mentioning. */
const MIN_DRIVER_WEIGHT = 0.01;

export function intentScore(signals: IntentSignal[], now: Date): IntentResult {
  const byType = new Map<string, IntentDriver>();
  let total = 0;
  for (const s of signals) {
    const rule = SIGNAL_RULES[s.type] ?? { label: humanise(s.type), ...UNKNOWN_SIGNAL_RULE };
    const ageDays = Math.max(0, (now.getTime() - s.occurredAt.getTime()) / DAY_MS);
    const magnitude = rule.magnitude && s.value != null ? rule.magnitude(s.value) : 1;
    const evidence = rule.weight * magnitude * 0.5 ** (ageDays / rule.halfLifeDays);
    total += evidence;

    const driver = byType.get(s.type) ?? { type: s.type, label: rule.label, weight: 0, count: 0, lastOccurredAt: s.occurredAt, topics: [] };
    driver.weight += evidence;
    driver.count += 1;
    if (s.occurredAt > driver.lastOccurredAt) driver.lastOccurredAt = s.occurredAt;
    if (s.topic && !driver.topics.includes(s.topic)) driver.topics.push(s.topic);
    byType.set(s.type, driver);
  }
  const drivers = [...byType.values()]
    .filter((d) => d.weight >= MIN_DRIVER_WEIGHT)
    .sort((a, b) => b.weight - a.weight || a.type.localeCompare(b.type));
  return { score: 1 - Math.exp(-total), drivers };
}
