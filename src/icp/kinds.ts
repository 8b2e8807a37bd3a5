/** The attribute kinds the ICP analysis counts: each one's value in SQL (on account `a`) and in JavaScript, and its name for people. */
import { COUNTRIES, REGIONS } from '../accounts/countries.ts';
import { SIZE_BAND_SQL, sizeBand } from '../accounts/normalise.ts';
import type { Account, SizeBand } from '../accounts/schema.ts';
import { SIZE_BAND_LABELS } from '../features/spec.ts';
import { salesRegion } from '../features/vocabulary.ts';
import { humanise } from '../lib/format.ts';
import type { AttributeKind } from './schema.ts';

// Mirrors sizeBand (accounts/normalise.ts) for SQL: employees decide, revenue is the fallback.
// test/icp checks the two agree at every boundary.

export type { Tally } from './repository.ts';

const COUNTRY_NAMES = new Map(COUNTRIES.map((c) => [c.alpha2, c.name]));

interface KindSpec {
  /** For criteria labels: "Industry: Software or Fintech". */
  title: string;
  /** The account's value (or values) in SQL over FROM_ACCOUNTS... */
  sql: string;
  /** ...how the account spelled it at import, where that is kept (in SQL)... */
  spellingSql?: string;
  multi: boolean;
  /** ...and the same in JavaScript. */
  of(account: Account): string | null | readonly string[];
  /** A value for people: "Software", "B2B", "United States". */
  name(value: string): string;
}

export const KINDS: Readonly<Record<AttributeKind, KindSpec>> = {
  businessModel: {
    title: 'Business model',
    sql: 'a.business_model',
    multi: false,
    of: (a) => a.businessModel,
    name: (v) => (v.startsWith('b2') ? v.toUpperCase() : humanise(v)),
  },
  industry: {
    title: 'Industry',
    sql: 'a.industry',
    spellingSql: 'a.industry_spelling',
    multi: false,
    of: (a) => a.industry,
    name: humanise,
  },
  sizeBand: {
    title: 'Size',
    sql: SIZE_BAND_SQL,
    multi: false,
    of: (a) => sizeBand(a.employees, a.revenue),
    name: (v) => SIZE_BAND_LABELS[v as SizeBand] ?? v,
  },
  // The same rule as salesRegion: the country's region, else the account's own when it is a sales region.
  region: {
    title: 'Region',
    sql: `coalesce(cr.region, CASE WHEN a.region IN (${REGIONS.map((r) => `'${r}'`).join(', ')}) THEN a.region END)`,
    multi: false,
    of: salesRegion,
    name: humanise,
  },
  country: { title: 'Country', sql: 'a.country', multi: false, of: (a) => a.country, name: (v) => COUNTRY_NAMES.get(v) ?? v },
  stage: { title: 'Stage', sql: 'a.stage', multi: false, of: (a) => a.stage, name: humanise },
  technology: { title: 'Technology', sql: 'a.technologies', multi: true, of: (a) => a.technologies, name: humanise },
  keyword: { title: 'Keyword', sql: 'a.keywords', multi: true, of: (a) => a.keywords, name: (v) => `"${v}"` },
};

/**
 * How most accounts spell values, for the kinds whose spelling is kept (industry): value → spelling.
 * Counted in SQL for the ICP analysis, read from the vocabulary when scoring; a value without one is
 * named by its kind (`name`).
 */
export type Spellings = Partial<Record<AttributeKind, ReadonlyMap<string, string>>>;

/** "Software", "Uses Snowflake", 'Tagged "saas"'; several values: "Uses Snowflake or Salesforce". */
export function attributeLabel(kind: AttributeKind, values: string | string[], spellings: Spellings = {}): string {
  const names = [values]
    .flat()
    .map((v) => spellings[kind]?.get(v) ?? KINDS[kind].name(v))
    .join(' or ');
  return kind === 'technology' ? `Uses ${names}` : kind === 'keyword' ? `Tagged ${names}` : names;
}
