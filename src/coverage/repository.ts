/** Coverage has no tables of its own: the counts it reads from accounts and models. */
import type { Queryable } from '../db/pool.ts';
import type { CoverageField } from './schema.ts';

/** SQL for "this account has no value" per field (lists: empty; text: null or blank). */
const MISSING_SQL: Record<CoverageField, string> = {
  industry: 'industry IS NULL',
  employees: 'employees IS NULL',
  revenue: 'revenue IS NULL',
  country: 'country IS NULL',
  region: 'region IS NULL',
  city: 'city IS NULL',
  foundedYear: 'founded_year IS NULL',
  businessModel: 'business_model IS NULL',
  stage: 'stage IS NULL',
  technologies: 'cardinality(technologies) = 0',
  keywords: 'cardinality(keywords) = 0',
  description: "coalesce(btrim(description), '') = ''",
};

/** Accounts of the workspace, and how many miss each field: one scan. */
export async function countMissing(
  db: Queryable,
  workspaceId: string,
): Promise<{ accounts: number; missing: Record<CoverageField, number> }> {
  const fields = Object.keys(MISSING_SQL) as CoverageField[];
  const { rows } = await db.query<Record<string, number>>(
    `SELECT count(*)::int AS accounts, ${fields.map((f, i) => `count(*) FILTER (WHERE ${MISSING_SQL[f]})::int AS f${i}`).join(', ')}
     FROM accounts WHERE workspace_id = $1`,
    [workspaceId],
  );
  return {
    accounts: rows[0].accounts,
    missing: Object.fromEntries(fields.map((f, i) => [f, rows[0][`f${i}`]])) as Record<CoverageField, number>,
  };
}
