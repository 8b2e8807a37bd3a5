/**
 * Per-workspace vocabulary: every attribute value ("token") seen on at least MIN_DOCUMENT_FREQUENCY
 * accounts gets its own feature, with no top-N caps: real ICPs live in the long tail (the 59th
 * industry, the 300th tag). Tokens are strings `kind:value` (`industry:software`, `tech:snowflake`,
 * `term:payments`, `term:open source`); `accountTokens` is the one definition of an account's tokens,
 * used to count document frequencies and to featurise, so the two can never disagree. Values are
 * lower case, so that matching ignores case; the vocabulary keeps, per token, the spelling most
 * accounts carry ("SF Bay Area"), for labels.
 */
import type { Account, SpelledAccount } from '../accounts/schema.ts';
import { sizeBand } from '../accounts/normalise.ts';
import { REGIONS, countryRegion } from '../accounts/countries.ts';

/** A value seen on fewer accounts than this cannot generalise (a feature of one account is noise). */
export const MIN_DOCUMENT_FREQUENCY = 2;
/** Description terms on more than this share of accounts say nothing about anyone (like stop words). */
export const MAX_TERM_SHARE = 0.5;
/** pgvector's sparsevec dimension of the similarity column (sql/004): the vocabulary never exceeds it. */
export const MAX_VOCABULARY = 1_000_000;

export const TOKEN_KINDS = [
  'size_band',
  'employees_band',
  'revenue_band',
  'founded_band',
  'business_model',
  'region',
  'country',
  'area',
  'city',
  'industry',
  'stage',
  'technology',
  'keyword',
  'term',
  'unknown',
] as const;
export type TokenKind = (typeof TOKEN_KINDS)[number];

/** Token prefix per kind; feature keys are `prefix:value`. */
export const TOKEN_PREFIX: Readonly<Record<TokenKind, string>> = {
  size_band: 'size',
  employees_band: 'employees',
  revenue_band: 'revenue',
  founded_band: 'founded',
  business_model: 'model',
  region: 'region',
  country: 'country',
  area: 'area',
  city: 'city',
  industry: 'industry',
  stage: 'stage',
  technology: 'tech',
  keyword: 'keyword',
  term: 'term',
  unknown: 'unknown',
};
const KIND_OF_PREFIX = new Map(Object.entries(TOKEN_PREFIX).map(([kind, prefix]) => [prefix, kind as TokenKind]));

export function tokenKind(token: string): TokenKind {
  const kind = KIND_OF_PREFIX.get(token.slice(0, token.indexOf(':')));
  if (!kind) throw new Error(`unknown token kind in ${token}`);
  return kind;
}
export const tokenValue = (token: string) => token.slice(token.indexOf(':') + 1);

// ---------------------------------------------------------------------------------------------
// Bands: numeric attributes as tokens for the similarity space, so that "about the same size" counts
// like a shared attribute and a raw number cannot dominate a cosine. The edges are the deciles of the
// workspace's own values (fixed bands are too coarse where a universe clusters, too fine where it is
// thin), kept with the vocabulary.

/** Per numeric field, ascending band edges: a value falls in the band between the edges around it. */
export interface NumericBands {
  employees: number[];
  revenue: number[];
  foundedYear: number[];
}
const BANDED: (keyof NumericBands)[] = ['employees', 'revenue', 'foundedYear'];
const BAND_PREFIX: Record<keyof NumericBands, string> = { employees: 'employees', revenue: 'revenue', foundedYear: 'founded' };

/** The band token of a value: `employees:120-250` (lower edge inclusive, upper exclusive; `-120`, `5000-` at the ends). */
function bandToken(field: keyof NumericBands, edges: number[], x: number): string {
  let i = 0;
  while (i < edges.length && x >= edges[i]) i++;
  return `${BAND_PREFIX[field]}:${i > 0 ? edges[i - 1] : ''}-${i < edges.length ? edges[i] : ''}`;
}

/** Decile edges of the known values (distinct, so a skewed field gets fewer bands). */
function decileEdges(values: number[]): number[] {
  if (values.length === 0) return [];
  const sorted = values.slice().sort((a, b) => a - b);
  const edges = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((q) => sorted[Math.floor((q / 10) * (sorted.length - 1))]);
  return [...new Set(edges)].filter((e) => e > sorted[0]);
}

// ---------------------------------------------------------------------------------------------
// Description terms

const STOP_WORDS = new Set(
  `a about above after again against all also am an and any are as at be because been before being below between both but by can
   could did do does doing down during each few for from further had has have having he her here hers him his how i if in into is
   it its itself just me more most my no nor not now of off on once only or other our ours out over own same she should so some
   such than that the their them then there these they this those through to too under until up very was we were what when where
   which while who whom why will with would you your yours inc ltd llc gmbh corp company companies based provides provider leading
   offers offering services service solutions solution products product one new well including include includes help helps world`.split(
    /\s+/,
  ),
);

const isTermWord = (w: string) => w.length >= 3 && !STOP_WORDS.has(w) && !/^\p{N}+$/u.test(w);
/** Punctuation that ends a phrase ("payments, logistics" is no phrase); a hyphen does not ("open-source"). */
const PHRASE_BREAK = /[^\p{L}\p{N}\s-]+/u;

/**
 * A description's terms, each once: lower-case words of at least 3 letters or digits, not stop words,
 * not pure numbers; and two-word phrases of such words standing next to each other ("open source",
 * "finance teams"), which say what neither word says alone. A phrase is written with one space.
 */
export function descriptionTerms(text: string | null): string[] {
  if (!text) return [];
  const terms = new Set<string>();
  for (const clause of text.toLowerCase().normalize('NFKC').split(PHRASE_BREAK)) {
    let previous: string | null = null;
    for (const word of clause.match(/[\p{L}\p{N}]+/gu) ?? []) {
      const kept = isTermWord(word);
      if (kept) {
        terms.add(word);
        if (previous !== null) terms.add(`${previous} ${word}`);
      }
      previous = kept ? word : null;
    }
  }
  return [...terms];
}

/** Whether a term is a phrase, and its words: "open source" → ['open', 'source']. */
export const phraseWords = (term: string): string[] => (term.includes(' ') ? term.split(' ') : []);

// ---------------------------------------------------------------------------------------------
// An account's tokens

const SALES_REGIONS = new Set<string>(REGIONS);

/**
 * The account's sales region: the one its country implies, else its own `region` when that is one
 * of the sales regions. A free-text region ("SF Bay Area") is a place, not a sales region.
 */
export function salesRegion(account: Pick<Account, 'region' | 'country'>): string | null {
  return (
    (account.country ? countryRegion(account.country) : null) ??
    (account.region && SALES_REGIONS.has(account.region) ? account.region : null)
  );
}

/**
 * Every token of an account, each once (band tokens only given the bands). Single-valued fields that
 * are missing give an `unknown:<field>` token (a tree can learn from missing data; the similarity space leaves it out).
 */
export function accountTokens(account: Account, bands: NumericBands | null): string[] {
  const tokens: string[] = [];
  const one = (kind: TokenKind, value: string | null, field: string) =>
    tokens.push(value ? `${TOKEN_PREFIX[kind]}:${value}` : `unknown:${field}`);
  const size = sizeBand(account.employees, account.revenue);
  one('size_band', size, 'size');
  if (bands) {
    for (const field of BANDED) {
      const x = account[field];
      // One band (every known value alike) says nothing.
      if (x != null && bands[field].length > 0) tokens.push(bandToken(field, bands[field], x));
    }
  }
  one('business_model', account.businessModel, 'business_model');
  one('region', salesRegion(account), 'region');
  one('country', account.country, 'country');
  if (account.region && !SALES_REGIONS.has(account.region)) tokens.push(`area:${account.region.toLowerCase()}`);
  if (account.city) tokens.push(`city:${account.city.toLowerCase()}`);
  one('industry', account.industry, 'industry');
  one('stage', account.stage, 'stage');
  for (const t of account.technologies) tokens.push(`tech:${t}`);
  for (const k of account.keywords) tokens.push(`keyword:${k}`);
  for (const w of descriptionTerms(account.description)) tokens.push(`term:${w}`);
  return [...new Set(tokens)];
}

/** A spelling with capitals says how a name is written ("SF Bay Area"); one without (a slug, say) does not. */
const hasCapitals = (text: string) => text !== text.toLowerCase();

/**
 * How the account spells the values of its industry, area and city tokens (token → spelling), where the
 * spelling has capitals: the tokens are lower case, so that "SF Bay Area" and "sf bay area" match.
 */
export function tokenSpellings(account: SpelledAccount): [token: string, spelling: string][] {
  const spelled: [string, string][] = [];
  if (account.region && !SALES_REGIONS.has(account.region) && hasCapitals(account.region))
    spelled.push([`area:${account.region.toLowerCase()}`, account.region]);
  if (account.city && hasCapitals(account.city)) spelled.push([`city:${account.city.toLowerCase()}`, account.city]);
  if (account.industry && account.industrySpelling && hasCapitals(account.industrySpelling))
    spelled.push([`industry:${account.industry}`, account.industrySpelling]);
  return spelled;
}

// ---------------------------------------------------------------------------------------------
// The vocabulary

export interface VocabularyToken {
  token: string;
  /** Number of universe accounts with this token. */
  count: number;
  /** The spelling most of those accounts carry, when any spells it with capitals (tokenSpellings): labels show it. */
  spelling?: string;
}

/** JSON-serialisable; stored per workspace and with every model version trained on it. */
export interface Vocabulary {
  universeSize: number;
  /** Company age is measured against this year, so vectors do not drift as the calendar moves. */
  referenceYear: number;
  bands: NumericBands;
  /** Kind order (TOKEN_KINDS), then most frequent first, then by name: deterministic. */
  tokens: VocabularyToken[];
}

/** Counts document frequencies over accounts fed in batches, then keeps the tokens that qualify. */
export class VocabularyBuilder {
  private readonly counts = new Map<string, number>();
  /** Per spelled token, how many accounts carry each spelling. */
  private readonly spellings = new Map<string, Map<string, number>>();
  private readonly values: Record<keyof NumericBands, number[]> = { employees: [], revenue: [], foundedYear: [] };
  private size = 0;
  readonly referenceYear: number;

  constructor(asOf: Date = new Date()) {
    this.referenceYear = asOf.getUTCFullYear();
  }

  add(accounts: Iterable<SpelledAccount>): void {
    for (const account of accounts) {
      this.size++;
      for (const token of accountTokens(account, null)) this.counts.set(token, (this.counts.get(token) ?? 0) + 1);
      for (const [token, spelling] of tokenSpellings(account)) {
        const counts = this.spellings.get(token) ?? new Map<string, number>();
        this.spellings.set(token, counts.set(spelling, (counts.get(spelling) ?? 0) + 1));
      }
      for (const field of BANDED) {
        const x = account[field];
        if (x != null) this.values[field].push(x);
      }
    }
  }

  build(): Vocabulary {
    const bands = Object.fromEntries(BANDED.map((f) => [f, decileEdges(this.values[f])])) as unknown as NumericBands;
    for (const field of BANDED) {
      if (bands[field].length === 0) continue;
      for (const x of this.values[field]) {
        const token = bandToken(field, bands[field], x);
        this.counts.set(token, (this.counts.get(token) ?? 0) + 1);
      }
    }
    const kindOrder = new Map(TOKEN_KINDS.map((k, i) => [k, i]));
    const maxTermCount = Math.max(MIN_DOCUMENT_FREQUENCY, MAX_TERM_SHARE * this.size);
    const qualifies = (token: string, count: number) =>
      count >= MIN_DOCUMENT_FREQUENCY && !(token.startsWith('term:') && count > maxTermCount);
    // A word on exactly the accounts of a phrase it is in ("spend" only ever in "spend management") is the
    // same feature, named less well: the phrase stands for it. (Every account with the phrase has the word,
    // so equal counts are equal sets.) So a phrase adds a feature only where it carries more than its words.
    const inPhrase = new Set<string>();
    for (const [token, count] of this.counts) {
      if (!token.startsWith('term:') || !qualifies(token, count)) continue;
      for (const word of phraseWords(tokenValue(token))) if (this.counts.get(`term:${word}`) === count) inPhrase.add(`term:${word}`);
    }
    const tokens = [...this.counts]
      .filter(([token, count]) => qualifies(token, count) && !inPhrase.has(token))
      .map(([token, count]) => ({ token, count, kind: kindOrder.get(tokenKind(token))! }))
      .sort((a, b) => a.kind - b.kind || b.count - a.count || (a.token < b.token ? -1 : a.token > b.token ? 1 : 0))
      .slice(0, MAX_VOCABULARY)
      .map(({ token, count }) => {
        const spelling = this.spelling(token);
        return spelling === undefined ? { token, count } : { token, count, spelling };
      });
    return { universeSize: this.size, referenceYear: this.referenceYear, bands, tokens };
  }

  /** The token's most frequent spelling; of equally frequent ones, the first in code-unit order (deterministic). */
  private spelling(token: string): string | undefined {
    let best: [string, number] | undefined;
    for (const [spelling, n] of this.spellings.get(token) ?? []) {
      if (!best || n > best[1] || (n === best[1] && spelling < best[0])) best = [spelling, n];
    }
    return best?.[0];
  }
}

export function buildVocabulary(accounts: Iterable<SpelledAccount>, asOf: Date = new Date()): Vocabulary {
  const builder = new VocabularyBuilder(asOf);
  builder.add(accounts);
  return builder.build();
}

/** Smoothed inverse document frequency, as scikit-learn's TfidfTransformer: 1 + ln((1 + N) / (1 + df)). */
export function idf(count: number, universeSize: number): number {
  return 1 + Math.log((1 + universeSize) / (1 + count));
}
