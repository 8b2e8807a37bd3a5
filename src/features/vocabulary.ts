/**
 * Per-workspace vocabulary: which industries, countries, stages, technologies and keywords get
 * their own feature dimension, and how much a technology or keyword weighs (rarer = heavier).
 *
 * Built from document frequencies the database computes (`unnest` + `GROUP BY`), never from the
 * accounts themselves, so it costs one query however large the universe is.
 */

/**
 * Document frequencies over a workspace's universe: for each value, how many accounts have it
 * (stored values, exactly as featurise sees them). Regions are not counted: they are the fixed
 * list of countries.ts.
 */
export interface VocabularyCounts {
  universeSize: number;
  industries: Record<string, number>;
  countries: Record<string, number>;
  stages: Record<string, number>;
  technologies: Record<string, number>;
  keywords: Record<string, number>;
}

export type VocabularyField = 'industry' | 'country' | 'stage' | 'technology' | 'keyword';

/**
 * How many values of each field get their own dimension; the rest share an "(other)" dimension.
 * The feature layout reserves exactly this many slots, so changing a cap changes FEATURE_DIM and
 * needs a new FEATURE_SPEC_VERSION (src/features/spec.ts).
 * Technologies get the most room: they are the richest fit signal in the brief ("technical
 * maturity") and a universe easily has hundreds of them.
 */
export const VOCABULARY_CAPS: Readonly<Record<VocabularyField, number>> = {
  industry: 32,
  country: 32,
  stage: 10,
  technology: 96,
  keyword: 32,
};

/** A value seen on fewer accounts than this cannot generalise; it goes to "(other)". */
export const MIN_DOCUMENT_FREQUENCY = 3;

export interface VocabularyTerm {
  term: string;
  /** Number of universe accounts with this value. */
  count: number;
}

/** JSON-serialisable; store it with the model version that was trained on it. */
export interface Vocabulary {
  universeSize: number;
  /** Company age is measured against this year, so vectors do not drift as the calendar moves. */
  referenceYear: number;
  terms: Record<VocabularyField, VocabularyTerm[]>;
}

const COUNT_KEYS: Record<VocabularyField, Exclude<keyof VocabularyCounts, 'universeSize'>> = {
  industry: 'industries',
  country: 'countries',
  stage: 'stages',
  technology: 'technologies',
  keyword: 'keywords',
};

/** The `cap` most frequent values with at least MIN_DOCUMENT_FREQUENCY accounts; ties by name, so the result is deterministic. */
function topTerms(counts: Record<string, number>, cap: number): VocabularyTerm[] {
  return Object.entries(counts)
    .filter(([, count]) => count >= MIN_DOCUMENT_FREQUENCY)
    .sort(([a, ca], [b, cb]) => cb - ca || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, cap)
    .map(([term, count]) => ({ term, count }));
}

export function buildVocabulary(counts: VocabularyCounts, asOf: Date = new Date()): Vocabulary {
  const fields = Object.keys(COUNT_KEYS) as VocabularyField[];
  const terms = Object.fromEntries(
    fields.map((field) => [field, topTerms(counts[COUNT_KEYS[field]], VOCABULARY_CAPS[field])]),
  ) as Record<VocabularyField, VocabularyTerm[]>;
  return { universeSize: counts.universeSize, referenceYear: asOf.getUTCFullYear(), terms };
}

/**
 * Rarity weight of a technology or keyword, in (0, 1]: smoothed idf, 1 + ln((1 + N) / (1 + df)),
 * divided by the idf of the rarest value the vocabulary admits (df = MIN_DOCUMENT_FREQUENCY).
 * A value on every account weighs about 1 / (1 + ln(N / 4)), e.g. 0.12 for N = 10,000.
 */
export function rarityWeight(count: number, universeSize: number): number {
  const idf = (df: number) => 1 + Math.log((1 + universeSize) / (1 + df));
  return Math.min(1, idf(count) / idf(MIN_DOCUMENT_FREQUENCY));
}
