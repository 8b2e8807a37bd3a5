/**
 * One input row (a JSON object from the API, or a CSV row as strings) → a normalised Account,
 * or every problem with it.
 */
import { mapColumns, type ColumnUse, type HeaderConventions } from '../lib/csv.ts';
import { Account, type SpelledAccount } from './schema.ts';
import {
  type Parsed,
  domainProblem,
  emptyToNull,
  industrySpelling,
  normaliseCountry,
  normaliseDomain,
  parseBusinessModel,
  parseEmployees,
  parseIndustry,
  parseList,
  parseLocality,
  parseRevenue,
  parseStage,
  parseText,
  parseYear,
  show,
  splitList,
} from './normalise.ts';

export type AccountField = keyof Account;
export const ACCOUNT_FIELDS = Object.keys(Account.shape) as AccountField[];
const ACCOUNT_FIELD_SET: ReadonlySet<string> = new Set(ACCOUNT_FIELDS);

export type AccountRowResult =
  | { ok: true; account: SpelledAccount; ignored?: string[] }
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

function parseDomain(input: unknown): Parsed<string | null> {
  const text = parseText(input);
  if (!text.ok || text.value === null) return text;
  const domain = normaliseDomain(text.value);
  return domain === null
    ? { ok: false, error: `${show(input)} is not a domain: ${domainProblem(text.value)}` }
    : { ok: true, value: domain };
}

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
  const ignored = ignoredKeysOf(raw);
  if (errors.length === 0) {
    const spelling = industrySpelling(raw.industry);
    if (spelling !== null) account.industrySpelling = spelling;
    return { ok: true, account: account as SpelledAccount, ...ignored };
  }
  // Name the row by its domain when there is one, normalised or as given, so the caller can report it.
  const given = typeof raw.domain === 'string' && raw.domain.trim() !== '' ? raw.domain.trim() : undefined;
  const domain = typeof account.domain === 'string' ? account.domain : given;
  return { ok: false, ...(domain === undefined ? {} : { domain }), errors, ...ignored };
}

/** `{ ignored }` with the keys of `raw` that are not Account fields, or `{}` when it has none. */
function ignoredKeysOf(raw: Record<string, unknown>): { ignored?: string[] } {
  const ignored: string[] = [];
  for (const key in raw) if (Object.hasOwn(raw, key) && !ACCOUNT_FIELD_SET.has(key)) ignored.push(key);
  return ignored.length > 0 ? { ignored } : {};
}

// ---------------------------------------------------------------------------------------------
// CSV headers

/**
 * What a CSV column can fill: an Account field, a `location` ("new york, new york, united states":
 * city, region and country) or `categories` (a list: keywords, and the industry when no column gives one).
 */
export type AccountColumn = AccountField | 'location' | 'categories';
export const ACCOUNT_COLUMNS: readonly AccountColumn[] = [...ACCOUNT_FIELDS, 'location', 'categories'];

/**
 * The headers of the exports teams have, best first for each field (compared without case, spaces or
 * punctuation; "Company …", "Account …" and "Organization - …" in front of a header are understood
 * too). HubSpot companies (labels and internal names), Salesforce accounts (report labels and API
 * names), Pipedrive organizations, Apollo account exports, the People Data Labs free company dataset,
 * Crunchbase (the 2015 export and Crunchbase Pro). docs/importing.md lists them per vendor.
 */
export const ACCOUNT_HEADERS: HeaderConventions<AccountColumn> = {
  spellings: {
    domain: ['domain', 'companydomainname', 'domainname', 'website', 'websiteurl', 'homepageurl', 'homepage', 'url', 'web'],
    name: ['name', 'companyname', 'accountname', 'organizationname', 'organisationname', 'company', 'organization', 'organisation'],
    industry: ['industry', 'sector', 'primaryindustry'],
    employees: [
      'employees',
      'numberofemployees',
      'currentemployeeestimate',
      'employeecount',
      'headcount',
      'numemployees',
      'estimatednumemployees',
      'noofemployees',
      'sizerange',
      'companysize',
      'size',
    ],
    revenue: ['revenue', 'annualrevenue', 'revenueusd', 'annualrevenueusd', 'estimatedrevenuerange', 'revenuerange'],
    country: [
      'country',
      'countryregion',
      'billingcountry',
      'billingcountrycode',
      'countrycode',
      'addresscountry',
      'shippingcountry',
      'hqcountry',
    ],
    region: [
      'region',
      'stateregion',
      'billingstateprovince',
      'billingstate',
      'state',
      'statecode',
      'addressstatecounty',
      'province',
      'shippingstate',
    ],
    city: ['city', 'billingcity', 'addresscitytownvillagelocality', 'town', 'hqcity', 'shippingcity'],
    foundedYear: ['foundedyear', 'yearfounded', 'founded', 'foundedat', 'foundeddate', 'foundedon', 'yearstarted'],
    businessModel: ['businessmodel'],
    stage: ['stage', 'fundingstage', 'lastfundingtype', 'latestfundingtype', 'latestfunding'],
    technologies: ['technologies', 'techstack', 'technology', 'webtechnologies', 'technologiesused'],
    keywords: ['keywords', 'tags', 'specialties', 'specialities'],
    description: ['description', 'shortdescription', 'companydescription', 'aboutus', 'fulldescription'],
    location: ['location', 'locality', 'headquarterslocation', 'hqlocation'],
    categories: ['categories', 'categorylist', 'industries', 'categorygroupslist'],
  },
  unprefixed: ['stage'],
};

/** The field of each column, and why; `mapping` (header → column kind, or null) first. */
export const mapAccountColumns = (headers: string[], mapping?: Record<string, AccountColumn | null>, skipMissing = false) =>
  mapColumns(headers, ACCOUNT_HEADERS, mapping, skipMissing);

/** Why a header cannot be imported as accounts (no column gives the domain), or null when it can. */
export function accountHeaderProblem(columns: ColumnUse<AccountColumn>[]): string | null {
  if (columns.some((column) => column.field === 'domain')) return null;
  return (
    `no domain or website column (found: ${columns.map((column) => JSON.stringify(column.header)).join(', ')}); ` +
    'name the column that holds each account\'s website with mapping={"<header>":"domain"}'
  );
}

/**
 * A CSV row (cells by column kind) as parseAccountRow takes it: a location fills the city, region
 * and country its columns leave empty; categories become keywords, and the first one the industry
 * when no column gives one.
 */
export function accountValues(cells: Partial<Record<AccountColumn, string>>): Record<string, unknown> {
  if (cells.location === undefined && cells.categories === undefined) return cells; // neither column: the cells as they are
  const { location, categories, ...values } = cells;
  const row: Record<string, unknown> = { ...values };
  if (location !== undefined) {
    const place = parseLocality(location);
    for (const field of ['city', 'region', 'country'] as const) {
      if (emptyToNull(values[field]) === null && place[field] !== null) row[field] = place[field];
    }
  }
  if (categories !== undefined) {
    const items = splitList(categories);
    row.keywords = [...items, ...(values.keywords === undefined ? [] : splitList(values.keywords))];
    const first = items.find((item) => item.trim() !== '');
    if (emptyToNull(values.industry) === null && first !== undefined) row.industry = first;
  }
  return row;
}
