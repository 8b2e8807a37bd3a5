/**
 * One input row (a JSON object from the API, or a CSV row as strings) → a normalised Account,
 * or every problem with it.
 */
import { Account } from './schema.ts';
import {
  type Parsed,
  normaliseCountry,
  normaliseDomain,
  parseBusinessModel,
  parseEmployees,
  parseIndustry,
  parseList,
  parseRevenue,
  parseStage,
  parseText,
  parseYear,
  show,
} from './normalise.ts';

export type AccountField = keyof Account;
export const ACCOUNT_FIELDS = Object.keys(Account.shape) as AccountField[];

export type AccountRowResult =
  | { ok: true; account: Account; ignored?: string[] }
  | { ok: false; domain?: string; errors: string[]; ignored?: string[] };

/** Text that must name something known; `normalise` returns null when it does not. */
function known(normalise: (text: string) => string | null, what: string) {
  return (input: unknown): Parsed<string | null> => {
    const text = parseText(input);
    if (!text.ok || text.value === null) return text;
    const value = normalise(text.value);
    return value === null ? { ok: false, error: `${show(input)} is not ${what}` } : { ok: true, value };
  };
}

const parseDomain = known(normaliseDomain, 'a valid domain');

/** Longest name, industry, region, city or stage; longest description. (Characters, after trimming.) */
export const MAX_TEXT_CHARS = 500;
export const MAX_DESCRIPTION_CHARS = 10_000;

/** `parse`, but a result longer than `max` characters is an error: no megabyte names in the universe. */
function upTo(max: number, parse: (input: unknown) => Parsed<string | null>) {
  return (input: unknown): Parsed<string | null> => {
    const parsed = parse(input);
    if (!parsed.ok || parsed.value === null || parsed.value.length <= max) return parsed;
    return { ok: false, error: `is ${parsed.value.length} characters long; at most ${max} are accepted` };
  };
}

const PARSERS: { [F in AccountField]: (input: unknown) => Parsed<Account[F]> } = {
  domain: (input) => {
    const domain = parseDomain(input);
    if (!domain.ok) return domain;
    return domain.value === null ? { ok: false, error: 'is required' } : { ok: true, value: domain.value };
  },
  name: upTo(MAX_TEXT_CHARS, parseText),
  industry: upTo(MAX_TEXT_CHARS, parseIndustry),
  employees: parseEmployees,
  revenue: parseRevenue,
  country: known(normaliseCountry, 'a known country'),
  region: upTo(MAX_TEXT_CHARS, parseText),
  city: upTo(MAX_TEXT_CHARS, parseText),
  foundedYear: parseYear,
  businessModel: parseBusinessModel,
  stage: upTo(MAX_TEXT_CHARS, parseStage),
  technologies: parseList,
  keywords: parseList,
  description: upTo(MAX_DESCRIPTION_CHARS, parseText),
};

/**
 * Parses every field of a row; missing fields become null (lists: []). Never throws: all
 * problems come back together as "field: problem". Keys that are not Account fields are
 * ignored and listed in `ignored`.
 */
export function parseAccountRow(raw: Record<string, unknown>): AccountRowResult {
  // JSON arrays can hold anything; the type does not make it so.
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, errors: [`${show(raw)} is not an object`] };
  const account: Record<string, unknown> = {};
  const errors: string[] = [];
  for (const field of ACCOUNT_FIELDS) {
    const parsed = PARSERS[field](raw[field]);
    if (parsed.ok) account[field] = parsed.value;
    else errors.push(`${field}: ${parsed.error}`);
  }
  const ignoredKeys = Object.keys(raw).filter((key) => !(ACCOUNT_FIELDS as string[]).includes(key));
  const ignored = ignoredKeys.length > 0 ? { ignored: ignoredKeys } : {};
  if (errors.length === 0) return { ok: true, account: account as Account, ...ignored };
  // Name the row by its domain when there is one, normalised or as given, so the caller can report it.
  const given = typeof raw.domain === 'string' && raw.domain.trim() !== '' ? raw.domain.trim() : undefined;
  const domain = typeof account.domain === 'string' ? account.domain : given;
  return { ok: false, ...(domain === undefined ? {} : { domain }), errors, ...ignored };
}

// ---------------------------------------------------------------------------------------------
// CSV headers

/** Header spellings that differ from the field name by more than case and separators. */
const HEADER_ALIASES = new Map<string, AccountField>(
  Object.entries({
    website: 'domain',
    websiteurl: 'domain',
    url: 'domain',
    companydomain: 'domain',
    companydomainname: 'domain',
    domainname: 'domain',
    company: 'name',
    companyname: 'name',
    accountname: 'name',
    organization: 'name',
    organisation: 'name',
    employeecount: 'employees',
    numberofemployees: 'employees',
    headcount: 'employees',
    annualrevenue: 'revenue',
    revenueusd: 'revenue',
    countrycode: 'country',
    founded: 'foundedYear',
    yearfounded: 'foundedYear',
    sector: 'industry',
    fundingstage: 'stage',
    techstack: 'technologies',
    technology: 'technologies',
    tags: 'keywords',
    specialties: 'keywords',
    categories: 'keywords',
  }) as [string, AccountField][],
);

/** "Founded Year", "founded_year", "foundedYear" and "FOUNDEDYEAR" all become "foundedyear". */
const headerKey = (header: string) => header.toLowerCase().replace(/[^a-z0-9]/g, '');

const FIELD_BY_KEY = new Map(ACCOUNT_FIELDS.map((field) => [headerKey(field), field]));

export interface CsvHeader {
  /** The Account field of each column, or null for a column that is not used. */
  fields: (AccountField | null)[];
  /** Headers of unused columns: unrecognised, or a second column for a field already taken. */
  unknown: string[];
  /** Set when the header cannot be used: there is no domain column. */
  error?: string;
}

/**
 * Maps CSV headers to Account fields, ignoring case and separators, with a few aliases
 * ("website" → domain, "headcount" → employees). A header that is the field's own name beats an
 * alias ("domain" over "website"); otherwise the first column for a field wins.
 */
export function mapCsvHeader(headers: string[]): CsvHeader {
  const fields: (AccountField | null)[] = headers.map(() => null);
  const taken = new Set<AccountField>();
  const claim = (lookup: (key: string) => AccountField | undefined) =>
    headers.forEach((header, column) => {
      const field = lookup(headerKey(header));
      if (field !== undefined && fields[column] === null && !taken.has(field)) {
        fields[column] = field;
        taken.add(field);
      }
    });
  claim((key) => FIELD_BY_KEY.get(key));
  claim((key) => HEADER_ALIASES.get(key));
  const unknown = headers.flatMap((header, column) => (fields[column] === null ? [header.trim() || `(column ${column + 1})`] : []));
  const error = taken.has('domain')
    ? undefined
    : `no domain column: the header needs a "domain" (or "website", "url") column; it has ${headers.map((header) => show(header)).join(', ')}`;
  return { fields, unknown, ...(error === undefined ? {} : { error }) };
}
