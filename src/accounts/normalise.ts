/// <reference lib="es2024.string" />
/**
 * Pure normalisation of account input, as CRM exports and API clients send it.
 *
 * Error style: every `parse*` function returns a `Parsed<T>` result and never throws. Missing or
 * empty input is not an error: it parses to `null` (or `[]` for lists). Input that is present but
 * unusable is an error whose message quotes the input, e.g. `"abc" is not a number`; the row
 * parser prefixes the field name. `normaliseDomain` and `normaliseCountry` return `null` for
 * unusable input instead, because for them "not a domain" / "not a country" is the whole story.
 */
import { domainToASCII } from 'node:url';
import { BUSINESS_MODELS, type BusinessModel, type SizeBand } from './schema.ts';
import { COUNTRIES, COUNTRY_ALIASES } from './countries.ts';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });

/** The input as it appears in an error message: as JSON (so text is quoted), cut short to stay one line. */
export function show(input: unknown): string {
  const text = typeof input === 'number' ? String(input) : (JSON.stringify(input) ?? String(input)); // NaN is not "null"
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

// Placeholders spreadsheets and exports put in empty cells. ("NA" is not one: it is Namibia.)
const EMPTY_MARKERS = new Set(['', 'n/a', 'null', '-', '—']);
const LONGEST_EMPTY_MARKER = Math.max(...[...EMPTY_MARKERS].map((marker) => marker.length));

/** Trimmed text, or null for null/undefined, blank text and empty-cell placeholders like "N/A". */
export function emptyToNull(input: string | null | undefined): string | null {
  if (input == null) return null;
  const text = input.trim();
  return text.length <= LONGEST_EMPTY_MARKER && EMPTY_MARKERS.has(text.toLowerCase()) ? null : text;
}

// ---------------------------------------------------------------------------------------------
// What the database accepts. Postgres text cannot hold a NUL character, and a lone UTF-16
// surrogate is not Unicode (its JSON cannot be read back): both are rejected, not stripped, so a
// value is stored exactly as sent or not at all. Integers are 32-bit columns.

/** The largest value of a Postgres `integer` column (employees, years). */
export const MAX_INT32 = 2 ** 31 - 1;
/** Revenue above $10 trillion is a unit mistake (no company earns that), not a revenue. */
export const MAX_REVENUE = 1e13;
/** At most this many technologies (or keywords) per account, each at most MAX_LIST_ITEM_CHARS long. */
export const MAX_LIST_ITEMS = 1_000;
export const MAX_LIST_ITEM_CHARS = 200;

/** Why text cannot be stored, or null when it can. */
export function unstorableText(text: string): string | null {
  if (text.includes('\u0000')) return 'contains a NUL character (\\u0000), which cannot be stored';
  if (!text.isWellFormed()) return 'contains an unpaired UTF-16 surrogate, which is not valid Unicode';
  return null;
}

/** Free text (name, industry, city, ...): strings are trimmed, numbers kept as their digits. */
export function parseText(input: unknown): Parsed<string | null> {
  if (input == null) return ok(null);
  if (typeof input === 'string') {
    const problem = unstorableText(input);
    return problem === null ? ok(emptyToNull(input)) : fail(problem);
  }
  if (typeof input === 'number' && Number.isFinite(input)) return ok(String(input));
  return fail(`${show(input)} is not text`);
}

/**
 * Industries are matched, counted and excluded by value, and CRM exports spell them "Software",
 * "software " and "SOFTWARE": lower case with single spaces makes them one value.
 */
export function parseIndustry(input: unknown): Parsed<string | null> {
  const text = parseText(input);
  return text.ok && text.value !== null ? ok(text.value.toLowerCase().replace(/\s+/g, ' ')) : text;
}

/**
 * The industry as written, spaces tidied as parseIndustry tidies them, when its capitals say how the name
 * is spelled ("IT and Cybersecurity"); null when it has none (parseIndustry's value says it all) or no value.
 */
export function industrySpelling(input: unknown): string | null {
  const text = parseText(input);
  if (!text.ok || text.value === null) return null;
  const spelling = text.value.replace(/\s+/g, ' ');
  return spelling === spelling.toLowerCase() ? null : spelling;
}

/** Either a present, trimmed string, or a result that is already final (null for empty, or an error). */
function textOf(input: unknown): { text: string } | { done: Parsed<null> } {
  const parsed = parseText(input);
  if (!parsed.ok) return { done: parsed };
  return parsed.value === null ? { done: ok(null) } : { text: parsed.value };
}

// ---------------------------------------------------------------------------------------------
// Domains

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// A top-level domain is letters, or an internationalised one in punycode; this also rejects IPv4.
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/**
 * A website as a CRM holds it ("https://www.Acme.com:443/about?x#y", "user@acme.com", "acme.com.")
 * → its host name ("acme.com"), in lower case and punycode; null if it cannot be a public host name
 * (no dot, spaces, bad labels, IP addresses): `domainProblem` says why. Sub-domains other than
 * `www.` are kept: without the public-suffix list we cannot tell "blog.acme.com" from "acme.co.uk".
 */
export function normaliseDomain(input: string): string | null {
  const read = readDomain(input);
  return 'domain' in read ? read.domain : null;
}

/** Why normaliseDomain finds no domain in `input` ("a label is longer than 63 characters"), or null when it finds one. */
export function domainProblem(input: string): string | null {
  const read = readDomain(input);
  return 'problem' in read ? read.problem : null;
}

// Lower-case ASCII letters, digits, hyphens and dots, ending in a label of letters (so not an IPv4 address),
// without punycode: what domainToASCII returns unchanged, and most domains of a file.
const PLAIN_HOST = /^[a-z0-9.-]*\.[a-z]+$/;

function readDomain(input: string): { domain: string } | { problem: string } {
  let host = input.trim().toLowerCase();
  host = host.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').replace(/^\/\//, ''); // scheme, or scheme-relative "//"
  host = host.split(/[/?#\\]/, 1)[0];
  host = host.slice(host.lastIndexOf('@') + 1); // userinfo, or the mailbox of an e-mail address
  host = host.replace(/:\d*$/, '').replace(/\.$/, '');
  if (host === '') return { problem: 'it has no host name' };
  if (/\s/.test(host)) return { problem: 'it contains a space' };
  if (/[[\]:]/.test(host)) return { problem: 'an IPv6 address or a stray colon is not a domain' };
  const ascii = PLAIN_HOST.test(host) && !host.includes('xn--') ? host : domainToASCII(host); // '' when the name is invalid
  if (ascii === '') return { problem: 'it holds characters a host name cannot have' };
  host = ascii.startsWith('www.') && ascii.indexOf('.', 4) !== -1 ? ascii.slice(4) : ascii;
  const labels = host.split('.');
  if (labels.length < 2) return { problem: 'it has no dot (a domain is a name and a top-level domain, as in "acme.com")' };
  if (host.length > 253) return { problem: `it is ${host.length} characters long; a domain has at most 253` };
  for (const label of labels) {
    if (label === '') return { problem: 'it has an empty label (two dots in a row)' };
    if (label.length > 63) return { problem: `a label is longer than 63 characters (${show(label)} has ${label.length})` };
    if (!LABEL.test(label)) {
      return {
        problem: /^-|-$/.test(label)
          ? `the label ${show(label)} starts or ends with a hyphen`
          : `the label ${show(label)} holds characters other than letters, digits and hyphens`,
      };
    }
  }
  const tld = labels[labels.length - 1];
  if (!TLD.test(tld)) {
    return { problem: /^\d+$/.test(tld) ? 'an IP address is not a domain' : `the top-level domain ${show(tld)} is not letters` };
  }
  return { domain: host };
}

// ---------------------------------------------------------------------------------------------
// Countries

/** Case, accents, punctuation, spacing, "&"/"and", "St."/"Saint" and a leading "the" do not matter. */
function countryKey(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/\bst\b\.?/g, 'saint')
    .replace(/^\s*the\s+/, '')
    .replace(/[^\p{L}\p{N}]/gu, '');
}

const COUNTRY_BY_KEY: ReadonlyMap<string, string> = (() => {
  const englishNames = new Intl.DisplayNames(['en'], { type: 'region' });
  const byKey = new Map<string, string>();
  // Later entries win, so codes (checked in tests to be unambiguous) take precedence over names.
  for (const [alias, alpha2] of Object.entries(COUNTRY_ALIASES)) byKey.set(countryKey(alias), alpha2);
  for (const { alpha2, alpha3, name } of COUNTRIES) {
    byKey.set(countryKey(englishNames.of(alpha2) ?? name), alpha2); // ICU's names: "St. Lucia", "Congo - Kinshasa"
    byKey.set(countryKey(name), alpha2);
    byKey.set(countryKey(alpha3), alpha2);
    byKey.set(countryKey(alpha2), alpha2);
  }
  return byKey;
})();

// An import spells its countries a few ways a million times: remember the answers (bounded).
const countryByInput = new Map<string, string | null>();
const MAX_REMEMBERED_COUNTRIES = 10_000;

/** ISO 3166-1 alpha-2 from an alpha-2 or alpha-3 code, an English name or a common alias; else null. */
export function normaliseCountry(input: string): string | null {
  const known = countryByInput.get(input);
  if (known !== undefined) return known;
  const key = countryKey(input);
  const country = key === '' ? null : (COUNTRY_BY_KEY.get(key) ?? null);
  if (countryByInput.size >= MAX_REMEMBERED_COUNTRIES) countryByInput.clear();
  countryByInput.set(input, country);
  return country;
}

/**
 * A place as data vendors write it, most specific first: "new york, new york, united states" (People
 * Data Labs), "San Francisco, California, United States" (Crunchbase), "Berlin, Germany", "Paris".
 * The last part is the country when it names one; the first part is the city, a part between them the
 * region. A single part that is a country is the country, otherwise the city. In two parts, a
 * two-letter last part is a state ("San Francisco, CA"), not a country code.
 */
export function parseLocality(text: string): { city: string | null; region: string | null; country: string | null } {
  const parts = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => emptyToNull(part) !== null);
  const last = parts[parts.length - 1];
  const country = last === undefined || (parts.length === 2 && last.length === 2) ? null : normaliseCountry(last);
  const places = country === null ? parts : parts.slice(0, -1);
  return { city: places[0] ?? null, region: places.length > 1 ? places.slice(1).join(', ') : null, country };
}

// ---------------------------------------------------------------------------------------------
// Numbers

const MULTIPLIERS = new Map<string, number>([
  ['', 1],
  ['k', 1e3],
  ['thousand', 1e3],
  ['m', 1e6],
  ['mm', 1e6], // finance shorthand for million
  ['mn', 1e6],
  ['million', 1e6],
  ['b', 1e9],
  ['bn', 1e9],
  ['billion', 1e9],
  ['t', 1e12],
  ['trillion', 1e12],
]);

// Digits with optional thousands commas, decimals and exponent (Excel writes "1.2E+09"), then an
// optional multiplier word.
const NUMBER = /^-?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:e[+-]?\d+)?(?=[a-z]*$)/;

/**
 * A number from a number or text like "1,200", "1 200", "1200.0", "$1.2M", "3.5k", "2B", "USD 5 million".
 * Commas are thousands separators only ("1,5" is an error, not 1.5), and only US dollars are
 * understood: a revenue in another currency must not pass as dollars.
 */
export function parseNumber(input: unknown): Parsed<number | null> {
  if (typeof input === 'number') return Number.isFinite(input) ? ok(input) : fail(`${show(input)} is not a number`);
  const text = textOf(input);
  if ('done' in text) return text.done;
  if (DIGITS.test(text.text)) return finiteNumber(Number(text.text), input); // most cells: what the rest would find
  const compact = text.text
    .toLowerCase()
    .replace(/[\s\u00a0\u202f]+/g, '') // spaces, including the no-break spaces used as thousands separators
    .replace(/^(?:us\$|usd|\$)|usd$/g, '');
  const digits = NUMBER.exec(compact)?.[0] ?? '';
  const multiplier = MULTIPLIERS.get(compact.slice(digits.length));
  if (!/\d/.test(digits) || multiplier === undefined) return fail(`${show(input)} is not a number`);
  return finiteNumber(Number(digits.replace(/,/g, '')) * multiplier, input);
}

const DIGITS = /^\d+$/;

// "1e308t" overflows to Infinity, which JSON (and so the database) would turn into null.
const finiteNumber = (value: number, input: unknown): Parsed<number> =>
  Number.isFinite(value) ? ok(value) : fail(`${show(input)} is too large to be a number`);

/**
 * An amount as CRMs and intent files export it: "$48,000.00", "48000 USD", "€12.500,00", "99,50",
 * "1.2M"; at least 0. The currency is dropped, not converted (unlike parseRevenue, which takes dollars only).
 */
export function parseAmount(text: string): { ok: true; value: number } | { ok: false; error: string } {
  let compact = text
    .trim()
    .replace(/[\s\u00a0\u202f']+/g, '')
    .replace(/^(?:[A-Za-z]{3}|[$€£¥₹]|US\$|A\$|C\$)+|(?:[A-Za-z]{3}|[$€£¥₹])+$/g, '');
  if (/^\d{1,3}(?:\.\d{3})+(?:,\d+)?$/.test(compact) || /^\d+,\d{1,2}$/.test(compact)) {
    compact = compact.replace(/\./g, '').replace(',', '.'); // European: "12.500,00", "99,50"
  }
  const match = /^(\d{1,3}(?:,\d{3})+|\d+)?(\.\d+)?([kKmMbB]?)$/.exec(compact);
  if (!match || (match[1] === undefined && match[2] === undefined)) return { ok: false, error: `${show(text)} is not an amount` };
  const value =
    Number(`${(match[1] ?? '0').replace(/,/g, '')}${match[2] ?? ''}`) * ({ k: 1e3, m: 1e6, b: 1e9 }[match[3].toLowerCase()] ?? 1);
  if (!Number.isFinite(value) || value > 1e13) return { ok: false, error: `${show(text)} is too large to be an amount` };
  return { ok: true, value };
}

/**
 * Annual revenue in USD: a non-negative number, at most MAX_REVENUE, or a band as vendors write it
 * ("$10M to $50M", "10M-50M", "$10B+", "Less than $1M"), read the way parseEmployees reads bands:
 * the geometric mean of its ends, twice an open top's bound, half of a "less than" bound.
 */
export function parseRevenue(input: unknown): Parsed<number | null> {
  const text = typeof input === 'string' ? input.trim() : '';
  const band = /^(.+?)\s*(?:-|–|—|\bto\b)\s*(.+)$/i.exec(text);
  const open = /^(.+?)\s*\+$/.exec(text);
  const under = /^(?:less than|under|<)\s*(.+)$/i.exec(text);
  let parsed: Parsed<number | null>;
  if (band && !/^-/.test(text)) {
    const [low, high] = [parseNumber(band[1]), parseNumber(band[2])];
    if (!low.ok || !high.ok || low.value === null || high.value === null || high.value < low.value) {
      return fail(`${show(input)} is not a revenue or a range of revenues`);
    }
    parsed = ok(Math.sqrt(Math.max(low.value, 1) * high.value));
  } else if (open || under) {
    const bound = parseNumber((open ?? under)?.[1]);
    if (!bound.ok || bound.value === null) return fail(`${show(input)} is not a revenue`);
    parsed = ok(open ? bound.value * 2 : bound.value / 2);
  } else parsed = parseNumber(input);
  if (parsed.ok && parsed.value !== null && parsed.value < 0) return fail(`${show(input)} is negative`);
  if (parsed.ok && parsed.value !== null && parsed.value > MAX_REVENUE) {
    return fail(`${show(input)} is more than ${MAX_REVENUE.toExponential()} USD; send revenue in US dollars`);
  }
  return parsed;
}

/**
 * Employee count from a number or text, including the ranges data vendors and LinkedIn use.
 * - A range "51-200", "51 to 200", "1,001–5,000 employees" → the geometric mean of its ends
 *   (101): the model works on log employees, and on that scale this is the middle of the range.
 *   A range starting at 0 ("0-1") counts from 1.
 * - An open range "10,001+", "5000+" → twice its lower bound (20,002): open top bands are
 *   heavy-tailed, and 2n is the geometric mean of n..4n, a guess that stays inside the band.
 * - Dots between groups of three digits ("1.200", "1.001-5.000") are thousands separators, as
 *   much of Europe writes them: a count of people is never 1.2.
 * Results are rounded to whole employees.
 */
export function parseEmployees(input: unknown): Parsed<number | null> {
  if (typeof input === 'number') return checkEmployees(input, input);
  const text = textOf(input);
  if ('done' in text) return text.done;
  if (DIGITS.test(text.text)) return checkEmployees(Number(text.text), input); // most cells: no range, words or separators
  const body = text.text.replace(/\s*employees$/i, '');
  const range = /^(.+?)\s*(?:-|–|—|\bto\b)\s*(.+)$/i.exec(body);
  const open = /^(.+?)\s*\+$/.exec(body);
  const ends = range ? [range[1], range[2]] : open ? [open[1]] : [body];
  const numbers: number[] = [];
  for (const end of ends) {
    const parsed = parseNumber(THOUSANDS_DOTS.test(end.trim()) ? end.replaceAll('.', '') : end);
    if (!parsed.ok || parsed.value === null) return fail(`${show(input)} is not a number of employees`);
    numbers.push(parsed.value);
  }
  const [low, high] = numbers;
  if (range) {
    if (low < 0 || high < low) return fail(`${show(input)} is not a valid range of employees`);
    return checkEmployees(Math.sqrt(Math.max(low, 1) * high), input);
  }
  return checkEmployees(open ? low * 2 : low, input);
}

const THOUSANDS_DOTS = /^\d{1,3}(?:\.\d{3})+$/;

function checkEmployees(value: number, input: unknown): Parsed<number> {
  if (!Number.isFinite(value) || value < 0) return fail(`${show(input)} is not a number of employees`);
  if (Math.round(value) > MAX_INT32) return fail(`${show(input)} is more than ${MAX_INT32} employees`);
  return ok(Math.round(value));
}

// DESIGN.md's bands: SMB < 500 employees / < $50M; mid-market 500–2000 / $50M–$1B; enterprise above.
const BANDS: SizeBand[] = ['smb', 'mid_market', 'enterprise'];
const LIMITS = { employees: [500, 2000], revenue: [50e6, 1e9] } as const;
const bandIndex = (value: number, [midFrom, enterpriseAbove]: readonly [number, number]) =>
  value < midFrom ? 0 : value <= enterpriseAbove ? 1 : 2;
const bandSql = (column: string, [midFrom, enterpriseAbove]: readonly [number, number]) =>
  `CASE WHEN ${column} < ${midFrom} THEN 'smb' WHEN ${column} <= ${enterpriseAbove} THEN 'mid_market' ELSE 'enterprise' END`;

/**
 * Size band from employees and revenue (USD): employees decide when known (500 and 2000 employees
 * are mid-market; above 2000 is enterprise), revenue is the fallback ($50M and $1B are mid-market;
 * above $1B enterprise), because CRM exports miss one or the other and headcount is the measure
 * sellers quote ("1,200 employees — in the 500–2,000 band"). Null when both are missing.
 */
export function sizeBand(employees: number | null, revenue: number | null): SizeBand | null {
  if (employees !== null) return BANDS[bandIndex(employees, LIMITS.employees)];
  if (revenue !== null) return BANDS[bandIndex(revenue, LIMITS.revenue)];
  return null;
}

/** `sizeBand` of account `a` in SQL, for the counts the database makes. */
export const SIZE_BAND_SQL = `CASE
  WHEN a.employees IS NOT NULL THEN ${bandSql('a.employees', LIMITS.employees)}
  WHEN a.revenue IS NOT NULL THEN ${bandSql('a.revenue', LIMITS.revenue)}
END`;

// ---------------------------------------------------------------------------------------------
// Years, lists, enums

const MONTH = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?';
const MONTH_FIRST = new RegExp(`^${MONTH}\\s+(?:\\d{1,2}(?:st|nd|rd|th)?,?\\s+)?(\\d{4})$`, 'i');
const DAY_FIRST = new RegExp(`^\\d{1,2}(?:st|nd|rd|th)?\\s+${MONTH},?\\s+(\\d{4})$`, 'i');

/**
 * A founding year from 1800 to the current year, given as a year (2015, "2015", "2015.0")
 * or a date ("2015-03-01", "2015-03-01T10:00:00Z", "03/01/2015", "Mar 1, 2015", "1 March 2015").
 */
export function parseYear(input: unknown): Parsed<number | null> {
  const text = textOf(input);
  if ('done' in text) return text.done;
  const match =
    /^(\d{4})(?:\.0+)?$/.exec(text.text) ?? // a year, possibly as Excel's "2015.0"
    /^(\d{4})-\d{1,2}(?:-\d{1,2})?(?:[T ].*)?$/.exec(text.text) ?? // ISO date or timestamp
    /^\d{1,2}[/.-]\d{1,2}[/.-](\d{4})(?:[T ].*)?$/.exec(text.text) ?? // day/month/year or month/day/year, maybe with a time
    MONTH_FIRST.exec(text.text) ?? // "Jan 5, 2015", "March 2015"
    DAY_FIRST.exec(text.text); // "5 March 2015"
  if (!match) return fail(`${show(input)} is not a year`);
  const year = Number(match[1]);
  const now = new Date().getUTCFullYear();
  if (year < 1800 || year > now) return fail(`${show(input)} is not a plausible founding year (1800–${now})`);
  return ok(year);
}

/**
 * The items of a list as exports write it: separated by ";" when the text has one, else by "|"
 * (Crunchbase), else by "," (Apollo). A ";" or "|" wins over commas because commas occur inside
 * names ("Acme, Inc.;Globex").
 */
export function splitList(text: string): string[] {
  return text.split(text.includes(';') ? ';' : text.includes('|') ? '|' : ',');
}

/**
 * Technologies or keywords from an array or a string split by `splitList`: trimmed, inner spaces
 * collapsed, lower-cased (so "Salesforce" and "salesforce" are one feature), deduplicated in
 * first-seen order, empties dropped.
 */
export function parseList(input: unknown): Parsed<string[]> {
  let items: unknown[];
  if (input == null) items = [];
  else if (Array.isArray(input)) items = input;
  else if (typeof input === 'string') items = splitList(input);
  else return fail(`${show(input)} is not a list`);
  // Text is checked once, not item by item (a ";" cannot split a surrogate pair); a problem is then found per item.
  const stored = typeof input === 'string' && unstorableText(input) === null;
  const tokens = new Set<string>();
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    if (typeof item !== 'string') return fail(`item ${index + 1} (${show(item)}) is not text`);
    const problem = stored ? null : unstorableText(item);
    if (problem !== null) return fail(`item ${index + 1} ${problem}`);
    const trimmed = item.trim();
    const token = (SPACE.test(trimmed) ? trimmed.replace(/\s+/g, ' ') : trimmed).toLowerCase();
    if (token.length > MAX_LIST_ITEM_CHARS)
      return fail(`item ${index + 1} (${show(item)}) is longer than ${MAX_LIST_ITEM_CHARS} characters`);
    if (token !== '') tokens.add(token);
    if (tokens.size > MAX_LIST_ITEMS) return fail(`has more than ${MAX_LIST_ITEMS} items`);
  }
  return ok([...tokens]);
}

const SPACE = /\s/;

const compact = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');

const BUSINESS_MODEL_ALIASES = new Map<string, BusinessModel>(
  Object.entries({
    b2bsaas: 'b2b',
    saas: 'b2b',
    enterprise: 'b2b',
    businesstobusiness: 'b2b',
    b2csaas: 'b2c',
    consumer: 'b2c',
    d2c: 'b2c',
    dtc: 'b2c',
    directtoconsumer: 'b2c',
    businesstoconsumer: 'b2c',
    b2b2csaas: 'b2b2c',
    b2bandb2c: 'b2b2c',
    b2bb2c: 'b2b2c',
    marketplaces: 'marketplace',
    twosidedmarketplace: 'marketplace',
    nonprofitorganization: 'nonprofit',
    nonprofitorganisation: 'nonprofit',
    notforprofit: 'nonprofit',
    npo: 'nonprofit',
    ngo: 'nonprofit',
    charity: 'nonprofit',
    gov: 'government',
    govt: 'government',
    publicsector: 'government',
    b2g: 'government',
  }) as [string, BusinessModel][],
);

/** One of BUSINESS_MODELS, in any case or spacing ("B2B", "Non-Profit"), or an alias ("B2B SaaS" → b2b). */
export function parseBusinessModel(input: unknown): Parsed<BusinessModel | null> {
  const text = textOf(input);
  if ('done' in text) return text.done;
  const key = compact(text.text);
  const model = (BUSINESS_MODELS as readonly string[]).includes(key) ? (key as BusinessModel) : BUSINESS_MODEL_ALIASES.get(key);
  return model ? ok(model) : fail(`${show(input)} is not a business model (one of ${BUSINESS_MODELS.join(', ')})`);
}

/** Growth stage in snake_case: "Series B" → series_b, "Pre-Seed" → pre_seed, "seriesA" → series_a. */
export function parseStage(input: unknown): Parsed<string | null> {
  const text = textOf(input);
  if ('done' in text) return text.done;
  if (SNAKE_CASE.test(text.text)) return ok(text.text); // as most files and our exports write it: nothing below would change it
  const stage = text.text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2') // camelCase word boundaries
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
  return stage === '' ? fail(`${show(input)} is not a stage`) : ok(stage);
}

const SNAKE_CASE = /^[a-z0-9]+(?:_[a-z0-9]+)*$/;
