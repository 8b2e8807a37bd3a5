/**
 * The feature spec: the one definition of an account's two representations, each fit for its job.
 *
 * - Model features (training, scoring, explanations): four numeric features (log employees, log
 *   revenue, company age, technology count; -1 when unknown, every real value is ≥ 0) followed by
 *   one binary feature per vocabulary token (src/features/vocabulary.ts): every industry, country,
 *   region, city, stage, business model, size band, technology, keyword and description term seen
 *   on at least two accounts, plus "unknown" markers. Sparse: an account sets a few dozen of what
 *   may be tens of thousands of features, so absent values cost nothing.
 * - The similarity vector (pgvector `sparsevec`, cosine): the account's tokens weighted by rarity
 *   (TF-IDF with smoothed idf, as scikit-learn's), numbers as bucket tokens so they cannot dominate,
 *   "unknown" markers left out (sharing a gap is not a likeness), unit length, at most
 *   MAX_SIMILARITY_NONZEROS entries (what an HNSW index on sparsevec takes).
 *
 * Intent is scored separately (src/signals/intent.ts) and kept out of both: signal timing differs between
 * won accounts (won long ago) and prospects (signals now), so mixing it in would teach the forest
 * "no recent signals = won". The design also wants intent as its own sub-score (timing, not fit).
 *
 * Changing what a feature or a token means changes stored vectors: bump FEATURE_SPEC_VERSION.
 */
import type { Account, SizeBand } from '../accounts/schema.ts';
import { COUNTRIES } from '../accounts/countries.ts';
import { formatMoney, humanise } from '../lib/format.ts';
import { MAX_VOCABULARY, accountTokens, idf, phraseWords, tokenKind, tokenValue, type TokenKind, type Vocabulary } from './vocabulary.ts';

/**
 * 3: description terms include two-word phrases ("open source"). Vocabularies of another spec are
 * rebuilt; models of another spec are retired (sql/018) and can no longer be activated.
 */
export const FEATURE_SPEC_VERSION = 3;
/** The sparsevec dimension of stored similarity vectors (sql/004_sparse_features.sql). */
export const SIMILARITY_DIM = MAX_VOCABULARY;
/** pgvector indexes sparse vectors with up to 1,000 non-zero entries (HNSW). */
export const MAX_SIMILARITY_NONZEROS = 1000;

export type FeatureKind = 'numeric' | TokenKind;

export interface FeatureInfo {
  index: number;
  /** Stable machine key: `num:log_employees`, `industry:software`, `tech:snowflake`, `unknown:industry`. */
  key: string;
  kind: FeatureKind;
  /** The value this feature stands for (`snowflake`); null for numeric features and unknown markers. */
  term: string | null;
  /** What a present value means, for people: "Uses Snowflake", "Industry: Software", "Employees". */
  label: string;
  /** What an absent value means, when that is worth saying: "Doesn't use Snowflake". */
  absentLabel: string | null;
  /** The account field behind a single-valued feature: its absence is only a fact when the field is known. */
  field: SingleValuedField | null;
}

/** A sparse vector: non-zero entries, indexes ascending. */
export interface SparseVector {
  index: number[];
  value: number[];
}

// ---------------------------------------------------------------------------------------------
// Size bands (the brief: SMB < 500 employees / < $50M; mid-market 500–2,000 / $50M–$1B; enterprise above)

export const SIZE_BAND_LABELS: Readonly<Record<SizeBand, string>> = {
  smb: 'SMB (under 500 employees)',
  mid_market: 'Mid-market (500–2,000 employees)',
  enterprise: 'Enterprise (over 2,000 employees)',
};

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

// ---------------------------------------------------------------------------------------------
// Numeric model features: monotone transforms of the raw values (trees only care about order);
// -1 marks unknown, below every real value, so one split separates unknown from known.

export const MISSING_NUMERIC = -1;

interface NumericFeature {
  name: string;
  label: string;
  value(account: Account, referenceYear: number): number | null;
}

const NUMERIC_FEATURES: NumericFeature[] = [
  { name: 'log_employees', label: 'Employees', value: (a) => (a.employees == null ? null : Math.log10(Math.max(1, a.employees))) },
  { name: 'log_revenue', label: 'Revenue', value: (a) => (a.revenue == null ? null : Math.log10(Math.max(1, a.revenue))) },
  {
    name: 'company_age',
    label: 'Company age',
    value: (a, year) => (a.foundedYear == null ? null : Math.log2(1 + Math.max(0, year - a.foundedYear))),
  },
  // An empty list is "no technographic data", not "no technology".
  {
    name: 'log_technologies',
    label: 'Number of technologies',
    value: (a) => (a.technologies.length === 0 ? null : Math.log2(1 + a.technologies.length)),
  },
];
export const NUMERIC_FEATURE_COUNT = NUMERIC_FEATURES.length;

// ---------------------------------------------------------------------------------------------
// Token labels

export type SingleValuedField = 'size' | 'business_model' | 'region' | 'country' | 'industry' | 'stage';

const FIELD_OF_KIND: Partial<Record<TokenKind, SingleValuedField>> = {
  size_band: 'size',
  business_model: 'business_model',
  region: 'region',
  country: 'country',
  industry: 'industry',
  stage: 'stage',
};

const FIELD_TITLES: Record<string, string> = {
  size: 'Size',
  business_model: 'Business model',
  region: 'Region',
  country: 'Country',
  industry: 'Industry',
  stage: 'Stage',
};

/** A band token's value (`120-250`, `-120`, `5000-`) for people: "120–250", "under 120", "5,000+". */
function bandText(value: string, show: (x: number) => string, below = 'under', above = ''): string {
  const [lo, hi] = value.split('-').map((x) => (x === '' ? null : Number(x)));
  if (lo === null && hi !== null) return `${below} ${show(hi)}`;
  if (hi === null && lo !== null) return above ? `${above} ${show(lo)}` : `${show(lo)}+`;
  return `${show(lo!)}–${show(hi!)}`;
}

/** `spelling`: how most accounts spell the value (VocabularyToken.spelling); else the value is humanised. */
function tokenLabels(kind: TokenKind, value: string, spelling: string | undefined): { label: string; absentLabel: string | null } {
  const name = spelling ?? humanise(value);
  switch (kind) {
    case 'size_band': {
      const band = SIZE_BAND_LABELS[value as SizeBand] ?? name;
      return { label: band, absentLabel: `Not ${band}` };
    }
    case 'employees_band':
      return { label: `${bandText(value, (x) => x.toLocaleString('en-US'))} employees`, absentLabel: null };
    case 'revenue_band':
      return { label: `${bandText(value, formatMoney)} revenue`, absentLabel: null };
    case 'founded_band':
      return { label: `Founded ${bandText(value, String, 'before', 'in or after')}`, absentLabel: null };
    case 'business_model': {
      const model = BUSINESS_MODEL_NAMES[value] ?? name;
      return { label: `Business model: ${model}`, absentLabel: `Not ${model}` };
    }
    case 'region':
      return { label: `Region: ${name}`, absentLabel: `Outside ${name}` };
    case 'country':
      return { label: `Country: ${countryName(value)}`, absentLabel: `Outside ${countryName(value)}` };
    case 'area':
      return { label: `Area: ${name}`, absentLabel: null };
    case 'city':
      return { label: `City: ${name}`, absentLabel: null };
    case 'industry':
      return { label: `Industry: ${name}`, absentLabel: `Not in ${name}` };
    case 'stage':
      return { label: `Stage: ${name}`, absentLabel: `Not at the ${name} stage` };
    case 'technology':
      return { label: `Uses ${name}`, absentLabel: `Doesn't use ${name}` };
    case 'keyword':
      return { label: `Tagged "${value}"`, absentLabel: `Not tagged "${value}"` };
    case 'term':
      return { label: `Description mentions "${value}"`, absentLabel: `Description doesn't mention "${value}"` };
    case 'unknown':
      return { label: `${FIELD_TITLES[value] ?? name} unknown`, absentLabel: null };
  }
}

// ---------------------------------------------------------------------------------------------
// Compiled spec: the feature list plus lookups, built once per vocabulary.

interface CompiledSpec {
  features: FeatureInfo[];
  /** Token → position in the vocabulary (= similarity index; model feature index − NUMERIC_FEATURE_COUNT). */
  position: Map<string, number>;
  /** Per vocabulary position: the similarity weight (idf), 0 for tokens the similarity space leaves out. */
  weight: Float64Array;
  /** Per vocabulary position: 1 for description terms. */
  isTerm: Uint8Array;
}

const compiled = new WeakMap<Vocabulary, CompiledSpec>();

function compile(vocab: Vocabulary): CompiledSpec {
  const cached = compiled.get(vocab);
  if (cached) return cached;
  const features: FeatureInfo[] = NUMERIC_FEATURES.map((n, index) => ({
    index,
    key: `num:${n.name}`,
    kind: 'numeric' as const,
    term: null,
    label: n.label,
    absentLabel: null,
    field: null,
  }));
  const position = new Map<string, number>();
  const weight = new Float64Array(vocab.tokens.length);
  const isTerm = new Uint8Array(vocab.tokens.length);
  vocab.tokens.forEach(({ token, count, spelling }, p) => {
    const kind = tokenKind(token);
    const value = tokenValue(token);
    position.set(token, p);
    weight[p] = kind === 'unknown' ? 0 : idf(count, vocab.universeSize);
    isTerm[p] = kind === 'term' ? 1 : 0;
    features.push({
      index: NUMERIC_FEATURE_COUNT + p,
      key: token,
      kind,
      term: kind === 'unknown' ? null : value,
      ...tokenLabels(kind, value, spelling),
      field: FIELD_OF_KIND[kind] ?? null,
    });
  });
  const spec = { features, position, weight, isTerm };
  compiled.set(vocab, spec);
  return spec;
}

/** Per model feature: key, kind and human labels, indexed like `featurise`. */
export function describeFeatures(vocab: Vocabulary): FeatureInfo[] {
  return compile(vocab).features;
}

export const modelFeatureCount = (vocab: Vocabulary) => NUMERIC_FEATURE_COUNT + vocab.tokens.length;

/** The account's vocabulary positions, ascending (tokens outside the vocabulary have none). */
function tokenPositions(account: Account, vocab: Vocabulary): number[] {
  const { position } = compile(vocab);
  const positions: number[] = [];
  for (const token of accountTokens(account, vocab.bands)) {
    const p = position.get(token);
    if (p !== undefined) positions.push(p);
  }
  return positions.sort((a, b) => a - b);
}

/** Both representations of an account from one pass over its tokens (scoring and training need both). */
export function accountVectors(account: Account, vocab: Vocabulary): { features: SparseVector; similarity: SparseVector } {
  const positions = tokenPositions(account, vocab);
  return { features: modelFeatures(account, vocab, positions), similarity: similarityFrom(vocab, positions) };
}

/** The model features of an account, sparse. */
export function featurise(account: Account, vocab: Vocabulary): SparseVector {
  return modelFeatures(account, vocab, tokenPositions(account, vocab));
}

/** The similarity vector of an account: idf-weighted tokens, unit length, at most MAX_SIMILARITY_NONZEROS entries. */
export function similarityVector(account: Account, vocab: Vocabulary): SparseVector {
  return similarityFrom(vocab, tokenPositions(account, vocab));
}

function modelFeatures(account: Account, vocab: Vocabulary, positions: number[]): SparseVector {
  const index: number[] = [];
  const value: number[] = [];
  NUMERIC_FEATURES.forEach((n, i) => {
    const x = n.value(account, vocab.referenceYear) ?? MISSING_NUMERIC;
    if (x !== 0) {
      index.push(i);
      value.push(x);
    }
  });
  for (const p of positions) {
    index.push(NUMERIC_FEATURE_COUNT + p);
    value.push(1);
  }
  return { index, value };
}

function similarityFrom(vocab: Vocabulary, tokenPositionsOfAccount: number[]): SparseVector {
  const { weight, isTerm } = compile(vocab);
  const positions = tokenPositionsOfAccount.filter((p) => weight[p] > 0);
  // A description's words together weigh about as much as one attribute: a long description would
  // otherwise outvote industry, country and size with words of no consequence.
  const terms = positions.filter((p) => isTerm[p]).length;
  const termScale = terms > 0 ? 1 / Math.sqrt(terms) : 1;
  let entries = positions.map((p) => ({ p, w: weight[p] * (isTerm[p] ? termScale : 1) }));
  if (entries.length > MAX_SIMILARITY_NONZEROS) {
    entries = entries
      .sort((a, b) => b.w - a.w || a.p - b.p)
      .slice(0, MAX_SIMILARITY_NONZEROS)
      .sort((a, b) => a.p - b.p);
  }
  const norm = Math.sqrt(entries.reduce((sum, e) => sum + e.w * e.w, 0));
  return { index: entries.map((e) => e.p), value: entries.map((e) => (norm > 0 ? e.w / norm : 0)) };
}

/** Dot product of two sparse vectors (cosine when both have unit length). */
export function sparseDot(a: SparseVector, b: SparseVector): number {
  let dot = 0;
  for (let i = 0, j = 0; i < a.index.length && j < b.index.length; ) {
    if (a.index[i] === b.index[j]) dot += a.value[i++] * b.value[j++];
    else if (a.index[i] < b.index[j]) i++;
    else j++;
  }
  return dot;
}

/**
 * What two similarity vectors share, strongest first, as labels ("Uses Snowflake", "Industry: Software").
 * A shared phrase speaks for its own words: "open source" with their strength, not "source" beside it.
 */
export function sharedLabels(vocab: Vocabulary, a: SparseVector, b: SparseVector, n = 3): string[] {
  const { features } = compile(vocab);
  const shared = new Map<string, { label: string; strength: number }>();
  for (let i = 0, j = 0; i < a.index.length && j < b.index.length; ) {
    if (a.index[i] === b.index[j]) {
      const { key, label } = features[NUMERIC_FEATURE_COUNT + a.index[i]];
      shared.set(key, { label, strength: a.value[i] * b.value[j] });
      i++;
      j++;
    } else if (a.index[i] < b.index[j]) i++;
    else j++;
  }
  // Strongest phrase first: a word in two shared phrases goes to the stronger.
  for (const [key, phrase] of [...shared].sort(([, x], [, y]) => y.strength - x.strength)) {
    if (tokenKind(key) !== 'term') continue;
    for (const word of phraseWords(tokenValue(key))) {
      const alone = shared.get(`term:${word}`);
      if (alone === undefined) continue;
      phrase.strength += alone.strength;
      shared.delete(`term:${word}`);
    }
  }
  return [...shared.values()]
    .sort((x, y) => y.strength - x.strength)
    .slice(0, n)
    .map((s) => s.label);
}

/** pgvector's sparsevec text: `{1:0.5,7:1}/1000000` (1-based indexes). */
export function sparsevecLiteral(v: SparseVector, dim = SIMILARITY_DIM): string {
  return `{${v.index.map((i, k) => `${i + 1}:${Number(v.value[k].toPrecision(6))}`).join(',')}}/${dim}`;
}

/** Parses pgvector's sparsevec text back (0-based indexes). */
export function parseSparsevec(text: string): SparseVector {
  const close = text.indexOf('}');
  const index: number[] = [];
  const value: number[] = [];
  if (close > 1) {
    for (const entry of text.slice(1, close).split(',')) {
      const colon = entry.indexOf(':');
      index.push(Number(entry.slice(0, colon)) - 1);
      value.push(Number(entry.slice(colon + 1)));
    }
  }
  return { index, value };
}
