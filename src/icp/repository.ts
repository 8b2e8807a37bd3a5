import { COUNTRIES } from '../accounts/countries.ts';
import { ACCOUNTS_PER_COUNT, accountRangeSql, inAccountRanges } from '../accounts/repository.ts';
import type { Queryable } from '../db/pool.ts';
import { EXCLUDED_SQL } from '../exclusions/repository.ts';
import type { Predicate } from './attributes.ts';
import { KINDS } from './kinds.ts';
import { ATTRIBUTE_KINDS, type AttributeKind, type IcpCriteria, type IcpCriterion } from './schema.ts';

export async function getCriteria(db: Queryable, workspaceId: string): Promise<IcpCriteria> {
  const { rows } = await db.query<{ criteria: IcpCriterion[]; updated_at: Date }>(
    'SELECT criteria, updated_at FROM icp_criteria WHERE workspace_id = $1',
    [workspaceId],
  );
  return rows[0] ? { criteria: rows[0].criteria, updatedAt: rows[0].updated_at.toISOString() } : { criteria: [], updatedAt: null };
}

/** Replaces the workspace's criteria; returns when. */
export async function saveCriteria(db: Queryable, workspaceId: string, criteria: IcpCriterion[]): Promise<Date> {
  const { rows } = await db.query<{ updated_at: Date }>(
    `INSERT INTO icp_criteria (workspace_id, criteria) VALUES ($1, $2)
     ON CONFLICT (workspace_id) DO UPDATE SET criteria = EXCLUDED.criteria, updated_at = now()
     RETURNING updated_at`,
    [workspaceId, JSON.stringify(criteria)],
  );
  return rows[0].updated_at;
}

/** A model version's stored ICP profile (models.icp_profile, written by the training job; src/model builds on this module). */
// ---------------------------------------------------------------------------------------------
// Attribute tallies: every count over the whole universe, in SQL

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

function addTallies(a: Tally, b: Tally): Tally {
  const sum = { ...a };
  for (const key of Object.keys(a) as (keyof Tally)[]) sum[key] = a[key] + b[key];
  return sum;
}

/**
 * Tallies per combination of predicates, in one scan (a statement per range of accounts, summed):
 * each account gets a bit mask of the predicates it meets, and the database groups by mask. Any
 * conjunction of predicates is then a sum over masks (`tallyWhere`): at most one row per mask.
 */
export async function maskTallies(
  db: Queryable,
  workspaceId: string,
  predicates: Predicate[],
  chunk = ACCOUNTS_PER_COUNT,
): Promise<(Tally & { mask: number })[]> {
  if (predicates.length > 30) throw new Error('at most 30 predicates fit an int mask');
  const parts = await inAccountRanges(db, workspaceId, chunk, async (range) => {
    const params = baseParams(workspaceId);
    const bind = (value: unknown) => `$${params.push(value)}`;
    const mask = predicates.map((p, i) => `CASE WHEN ${p(bind)} THEN ${2 ** i} ELSE 0 END`).join(' + ') || '0';
    const { rows } = await db.query<Tally & { mask: number }>(
      `SELECT (${mask})::int AS mask, ${TALLY_COLUMNS} FROM ${FROM_ACCOUNTS}
       WHERE a.workspace_id = $1 AND ${accountRangeSql(params, range)} GROUP BY 1`,
      params,
    );
    return rows;
  });
  const byMask = new Map<number, Tally & { mask: number }>();
  for (const part of parts.flat()) {
    const kept = byMask.get(part.mask);
    byMask.set(part.mask, kept ? { ...addTallies(kept, part), mask: part.mask } : part);
  }
  return [...byMask.values()];
}

/** Kinds whose spelling at import is kept (industry). */
const SPELLED_KINDS = ATTRIBUTE_KINDS.filter((k) => KINDS[k].spellingSql);

/** Every attribute value of a range of the universe with its universe and won counts. Parameters: baseParams, then the range's. */
const ATTRIBUTE_COUNTS = (range: string) => `
SELECT f.attribute, f.value, count(*)::int AS universe_with, count(*) FILTER (WHERE o.status = 'won')::int AS won_with
FROM ${FROM_ACCOUNTS}
CROSS JOIN LATERAL (
  VALUES ${ATTRIBUTE_KINDS.filter((k) => !KINDS[k].multi)
    .map((k) => `('${k}', ${KINDS[k].sql})`)
    .join(', ')}
  ${ATTRIBUTE_KINDS.filter((k) => KINDS[k].multi)
    .map((k) => `UNION ALL SELECT '${k}', unnest(${KINDS[k].sql})`)
    .join('\n  ')}
) AS f(attribute, value)
WHERE a.workspace_id = $1 AND ${range} AND f.value IS NOT NULL
GROUP BY f.attribute, f.value`;

/**
 * How many accounts of a range of the universe spell each value of the kinds whose spelling is kept,
 * grouped by hashing: an ordered-set aggregate such as mode() would make PostgreSQL sort every row.
 */
const SPELLINGS = (range: string) =>
  SPELLED_KINDS.map(
    (k) => `SELECT '${k}' AS attribute, ${KINDS[k].sql} AS value, ${KINDS[k].spellingSql} AS spelling, count(*)::int AS n
    FROM accounts a WHERE a.workspace_id = $1 AND ${range} AND ${KINDS[k].spellingSql} IS NOT NULL GROUP BY 2, 3`,
  ).join(' UNION ALL ');

/** The workspace's outcome counts. */
export async function totalTally(db: Queryable, workspaceId: string, chunk = ACCOUNTS_PER_COUNT): Promise<Tally> {
  const parts = await inAccountRanges(db, workspaceId, chunk, async (range) => {
    const params = baseParams(workspaceId);
    const { rows } = await db.query<Tally>(
      `SELECT ${TALLY_COLUMNS} FROM ${FROM_ACCOUNTS} WHERE a.workspace_id = $1 AND ${accountRangeSql(params, range)}`,
      params,
    );
    return rows[0];
  });
  return parts.reduce(addTallies);
}

interface ValueCount {
  attribute: AttributeKind;
  value: string;
  universe_with: number;
  won_with: number;
}

/** Order of `COLLATE "C"`: by code point. */
const byCodePoint = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * Every attribute value won accounts have, with its won and universe counts, the spelling most of its
 * accounts were imported with where one is kept (ties: the first in code-point order), and how many
 * values `minSupport` universe accounts hold. Counted per range of accounts, summed here.
 */
export async function attributeCounts(db: Queryable, workspaceId: string, minSupport: number, chunk = ACCOUNTS_PER_COUNT) {
  const counts = new Map<string, ValueCount>();
  const spellings = new Map<string, Map<string, number>>();
  await inAccountRanges(db, workspaceId, chunk, async (range) => {
    const params = baseParams(workspaceId);
    for (const row of (await db.query<ValueCount>(ATTRIBUTE_COUNTS(accountRangeSql(params, range)), params)).rows) {
      const key = `${row.attribute}\0${row.value}`;
      const kept = counts.get(key);
      counts.set(
        key,
        kept ? { ...kept, universe_with: kept.universe_with + row.universe_with, won_with: kept.won_with + row.won_with } : row,
      );
    }
    const spellingParams: unknown[] = [workspaceId];
    const { rows } = await db.query<{ value: string; attribute: string; spelling: string; n: number }>(
      SPELLINGS(accountRangeSql(spellingParams, range)),
      spellingParams,
    );
    for (const { attribute, value, spelling, n } of rows) {
      const key = `${attribute}\0${value}`;
      const spelled = spellings.get(key) ?? new Map<string, number>();
      spellings.set(key, spelled.set(spelling, (spelled.get(spelling) ?? 0) + n));
    }
  });
  const tested = [...counts.values()].filter((c) => c.universe_with >= minSupport).length;
  return [...counts.entries()].flatMap(([key, c]) => {
    if (c.won_with === 0) return [];
    const spelled = [...(spellings.get(key) ?? [])].sort(([a, m], [b, n]) => n - m || byCodePoint(a, b));
    return [{ ...c, spelling: spelled[0]?.[0] ?? null, tested }];
  });
}
