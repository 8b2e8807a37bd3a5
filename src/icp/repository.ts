import { COUNTRIES } from '../accounts/countries.ts';
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

/** Kinds whose spelling at import is kept (industry). */
const SPELLED_KINDS = ATTRIBUTE_KINDS.filter((k) => KINDS[k].spellingSql);

/**
 * Every attribute value in the universe with its won and universe counts (one scan), and the spelling
 * most of its accounts were imported with where one is kept (ties: the first in code-point order).
 * The spellings are counted apart, grouped by hashing: an ordered-set aggregate such as mode() would
 * make PostgreSQL sort every (attribute, value) row of the universe instead.
 */
const ATTRIBUTE_COUNTS = `
WITH counted AS (
  SELECT f.attribute, f.value, count(*)::int AS universe_with, count(*) FILTER (WHERE o.status = 'won')::int AS won_with
  FROM ${FROM_ACCOUNTS}
  CROSS JOIN LATERAL (
    VALUES ${ATTRIBUTE_KINDS.filter((k) => !KINDS[k].multi)
      .map((k) => `('${k}', ${KINDS[k].sql})`)
      .join(', ')}
    ${ATTRIBUTE_KINDS.filter((k) => KINDS[k].multi)
      .map((k) => `UNION ALL SELECT '${k}', unnest(${KINDS[k].sql})`)
      .join('\n    ')}
  ) AS f(attribute, value)
  WHERE a.workspace_id = $1 AND f.value IS NOT NULL
  GROUP BY f.attribute, f.value
), spelled AS (
  SELECT DISTINCT ON (attribute, value) attribute, value, spelling
  FROM (${SPELLED_KINDS.map(
    (k) => `SELECT '${k}' AS attribute, ${KINDS[k].sql} AS value, ${KINDS[k].spellingSql} AS spelling, count(*) AS n
    FROM accounts a WHERE a.workspace_id = $1 AND ${KINDS[k].spellingSql} IS NOT NULL GROUP BY 2, 3`,
  ).join(' UNION ALL ')}) s
  ORDER BY attribute, value, n DESC, spelling COLLATE "C"
)
SELECT c.attribute, c.value, s.spelling, c.universe_with, c.won_with,
  (SELECT count(*)::int FROM counted WHERE universe_with >= $4) AS tested
FROM counted c LEFT JOIN spelled s ON s.attribute = c.attribute AND s.value = c.value
WHERE c.won_with > 0`;

/** The workspace's outcome counts. */
export async function totalTally(db: Queryable, workspaceId: string): Promise<Tally> {
  const { rows } = await db.query<Tally>(
    `SELECT ${TALLY_COLUMNS} FROM ${FROM_ACCOUNTS} WHERE a.workspace_id = $1`,
    baseParams(workspaceId),
  );
  return rows[0];
}

/** Every attribute value won accounts have, with its won and universe counts, and how many values `minSupport` universe accounts hold. */
export async function attributeCounts(db: Queryable, workspaceId: string, minSupport: number) {
  const { rows } = await db.query<{
    attribute: AttributeKind;
    value: string;
    spelling: string | null;
    universe_with: number;
    won_with: number;
    tested: number;
  }>(ATTRIBUTE_COUNTS, [...baseParams(workspaceId), minSupport]);
  return rows;
}
