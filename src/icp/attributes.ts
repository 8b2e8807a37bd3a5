/**
 * Attribute lift: which values (industry, size band, region, technology, ...) won accounts have
 * more often than the universe. Every count comes from SQL over the whole universe (one scan,
 * `unnest` for the list fields), so a million accounts never reach JavaScript.
 */
import { COUNTRIES } from '../accounts/countries.ts';
import { SIZE_BAND_SQL, sizeBand } from '../accounts/normalise.ts';
import type { Account, SizeBand } from '../accounts/schema.ts';
import type { Queryable } from '../db/pool.ts';
import { EXCLUDED_SQL } from '../exclusions/service.ts';
import { SIZE_BAND_LABELS } from '../features/spec.ts';
import { humanise } from '../lib/format.ts';
import { salesRegion } from '../features/vocabulary.ts';
import { REGIONS } from '../accounts/countries.ts';
import { MIN_WON_FOR_MODEL } from './schema.ts';
import {
  ATTRIBUTE_KINDS,
  FDR,
  MIN_STRONG_LIFT,
  MIN_WON_SUPPORT,
  type AttributeKind,
  type IcpAttribute,
  type IcpCounts,
  type IcpSnapshot,
} from './schema.ts';
import { benjaminiHochberg, liftOf, round4, significant3 } from './statistics.ts';

// Mirrors sizeBand (accounts/normalise.ts) for SQL: employees decide, revenue is the fallback.
// test/icp checks the two agree at every boundary.

const COUNTRY_NAMES = new Map(COUNTRIES.map((c) => [c.alpha2, c.name]));

interface KindSpec {
  /** For criteria labels: "Industry: Software or Fintech". */
  title: string;
  /** The account's value (or values) in SQL over FROM_ACCOUNTS... */
  sql: string;
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
  industry: { title: 'Industry', sql: 'a.industry', multi: false, of: (a) => a.industry, name: humanise },
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

/** "Software", "Uses Snowflake", 'Tagged "saas"'; several values: "Uses Snowflake or Salesforce". */
export function attributeLabel(kind: AttributeKind, values: string | string[]): string {
  const names = [values].flat().map(KINDS[kind].name).join(' or ');
  return kind === 'technology' ? `Uses ${names}` : kind === 'keyword' ? `Tagged ${names}` : names;
}

// ---------------------------------------------------------------------------------------------
// SQL

/**
 * Accounts (a) with their outcome (o), the workspace's exclusion rules (x) and their country's
 * region (cr). Parameters: $1 workspace, $2 and $3 the country → region table of countries.ts.
 */
const FROM_ACCOUNTS = `accounts a
  LEFT JOIN outcomes o ON o.account_id = a.id
  LEFT JOIN exclusion_rules x ON x.workspace_id = a.workspace_id
  LEFT JOIN unnest($2::text[], $3::text[]) AS cr(code, region) ON cr.code = a.country`;

const baseParams = (workspaceId: string): unknown[] => [workspaceId, COUNTRIES.map((c) => c.alpha2), COUNTRIES.map((c) => c.region)];

/** Outcome counts of a set of accounts; what every total, segment and criterion is computed from. */
export interface Tally {
  universe: number;
  won: number;
  lost: number;
  churned: number;
  open: number;
  competitorCustomer: number;
  untouched: number;
  wonAmount: number;
  wonAmountCount: number;
}

// `IS NOT TRUE`: the exclusion test is NULL, not false, for an account whose fields are missing.
const TALLY_COLUMNS = `count(*)::int AS universe,
  count(*) FILTER (WHERE o.status = 'won')::int AS won,
  count(*) FILTER (WHERE o.status = 'lost')::int AS lost,
  count(*) FILTER (WHERE o.status = 'churned')::int AS churned,
  count(*) FILTER (WHERE o.status = 'open')::int AS open,
  count(*) FILTER (WHERE o.status = 'competitor_customer')::int AS "competitorCustomer",
  count(*) FILTER (WHERE o.account_id IS NULL AND (${EXCLUDED_SQL}) IS NOT TRUE)::int AS untouched,
  coalesce(sum(o.amount) FILTER (WHERE o.status = 'won'), 0)::float8 AS "wonAmount",
  count(o.amount) FILTER (WHERE o.status = 'won')::int AS "wonAmountCount"`;

const EMPTY_TALLY: Tally = { universe: 0, won: 0, lost: 0, churned: 0, open: 0, competitorCustomer: 0, untouched: 0, wonAmount: 0, wonAmountCount: 0 };

/** A condition on account `a` in SQL; `bind` adds a query parameter and returns its placeholder. */
export type Predicate = (bind: (value: unknown) => string) => string;

/** The account has any of `values` for this attribute. */
export function attributePredicate(kind: AttributeKind, values: string[]): Predicate {
  const { sql, multi } = KINDS[kind];
  return (bind) => (multi ? `${sql} && ${bind(values)}::text[]` : `${sql} = ANY(${bind(values)}::text[])`);
}

/**
 * Tallies per combination of predicates, in one scan: each account gets a bit mask of the
 * predicates it meets, and the database groups by mask. Any conjunction of predicates is then a
 * sum over masks (`tallyWhere`): at most one row per mask, however large the universe.
 */
export async function maskTallies(db: Queryable, workspaceId: string, predicates: Predicate[]): Promise<(Tally & { mask: number })[]> {
  if (predicates.length > 30) throw new Error('at most 30 predicates fit an int mask');
  const params = baseParams(workspaceId);
  const bind = (value: unknown) => `$${params.push(value)}`;
  const mask = predicates.map((p, i) => `CASE WHEN ${p(bind)} THEN ${2 ** i} ELSE 0 END`).join(' + ') || '0';
  const { rows } = await db.query<Tally & { mask: number }>(
    `SELECT (${mask})::int AS mask, ${TALLY_COLUMNS} FROM ${FROM_ACCOUNTS} WHERE a.workspace_id = $1 GROUP BY 1`,
    params,
  );
  return rows;
}

/** The tally of accounts meeting every predicate in `mask`. */
export function tallyWhere(groups: (Tally & { mask: number })[], mask: number): Tally {
  const total = { ...EMPTY_TALLY };
  for (const g of groups) {
    if ((g.mask & mask) !== mask) continue;
    for (const key of Object.keys(total) as (keyof Tally)[]) total[key] += g[key];
  }
  return total;
}

/** Win rate, churn rate and average deal of a tally, as the API reports them. */
export function rates(t: Tally) {
  return {
    won: t.won,
    lost: t.lost,
    churned: t.churned,
    winRate: t.won + t.lost > 0 ? round4(t.won / (t.won + t.lost)) : null,
    churnRate: t.won + t.churned > 0 ? round4(t.churned / (t.won + t.churned)) : null,
    averageDealValue: t.wonAmountCount > 0 ? Math.round(t.wonAmount / t.wonAmountCount) : null,
    untouched: t.untouched,
  };
}

// ---------------------------------------------------------------------------------------------
// The analysis

/** Every attribute value in the universe with its won and universe counts (one scan). */
const ATTRIBUTE_COUNTS = `
WITH counted AS (
  SELECT f.attribute, f.value, count(*)::int AS universe_with, count(*) FILTER (WHERE o.status = 'won')::int AS won_with
  FROM ${FROM_ACCOUNTS}
  CROSS JOIN LATERAL (
    VALUES ${ATTRIBUTE_KINDS.filter((k) => !KINDS[k].multi).map((k) => `('${k}', ${KINDS[k].sql})`).join(', ')}
    ${ATTRIBUTE_KINDS.filter((k) => KINDS[k].multi).map((k) => `UNION ALL SELECT '${k}', unnest(${KINDS[k].sql})`).join('\n    ')}
  ) AS f(attribute, value)
  WHERE a.workspace_id = $1 AND f.value IS NOT NULL
  GROUP BY f.attribute, f.value
)
SELECT attribute, value, universe_with, won_with, (SELECT count(*)::int FROM counted WHERE universe_with >= $4) AS tested
FROM counted WHERE won_with > 0`;

/**
 * The workspace's attribute analysis: outcome counts, and lift, interval, p/q-values and strength
 * for every attribute value at least one won account has — strong first, then most significant
 * first. The training job stores it on the model (models.icp_profile), so drift between model
 * versions can be shown.
 */
export async function computeIcpAttributes(db: Queryable, workspaceId: string): Promise<IcpSnapshot> {
  const computedAt = new Date().toISOString();
  const { rows: totals } = await db.query<Tally>(`SELECT ${TALLY_COLUMNS} FROM ${FROM_ACCOUNTS} WHERE a.workspace_id = $1`, baseParams(workspaceId));
  const tally = totals[0];
  const counts: IcpCounts = { universe: tally.universe, ...rates(tally), open: tally.open, competitorCustomer: tally.competitorCustomer };
  if (tally.won === 0) return { computedAt, counts, attributes: [] };

  const { rows } = await db.query<{ attribute: AttributeKind; value: string; universe_with: number; won_with: number; tested: number }>(
    ATTRIBUTE_COUNTS,
    [...baseParams(workspaceId), MIN_WON_SUPPORT],
  );
  const { won, universe } = tally;
  const measured = rows.map((r) => ({ ...r, ...liftOf(r.won_with, r.universe_with, won, universe) }));
  // The family is every value held by at least MIN_WON_SUPPORT universe accounts: rarer ones can never
  // be strong, and filtering on the universe count alone does not bias the test (it is a fixed margin).
  const tested = measured.filter((m) => m.universe_with >= MIN_WON_SUPPORT);
  const testedIndex = new Map(tested.map((m, i) => [m, i]));
  const qValues = benjaminiHochberg(tested.map((m) => Math.exp(m.logP)), rows[0]?.tested ?? 0);
  const enough = won >= MIN_WON_FOR_MODEL;

  const attributes = measured.map((m) => {
    const index = testedIndex.get(m);
    const qValue = index === undefined ? null : qValues[index];
    const strong = enough && m.won_with >= MIN_WON_SUPPORT && qValue !== null && qValue <= FDR && m.lift >= MIN_STRONG_LIFT;
    return {
      logP: m.logP,
      attribute: {
        attribute: m.attribute,
        value: m.value,
        label: attributeLabel(m.attribute, m.value),
        strength: strong ? 'strong' : m.lift > 1 ? 'weak' : 'none',
        lift: round4(m.lift),
        liftInterval: { low: round4(m.interval.low), high: round4(m.interval.high) },
        wonWith: m.won_with,
        universeWith: m.universe_with,
        wonShare: round4(m.won_with / won),
        universeShare: round4(m.universe_with / universe),
        pValue: significant3(Math.exp(m.logP)),
        qValue: qValue === null ? null : significant3(qValue),
      } satisfies IcpAttribute,
    };
  });
  const rank = { strong: 0, weak: 1, none: 2 };
  attributes.sort((a, b) => rank[a.attribute.strength] - rank[b.attribute.strength] || a.logP - b.logP);
  return { computedAt, counts, attributes: attributes.map((a) => a.attribute) };
}
