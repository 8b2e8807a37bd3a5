import type { Queryable } from '../db/pool.ts';
import type { ExclusionRules } from './schema.ts';

const NO_RULES: ExclusionRules = { industries: [], countries: [], domains: [], minEmployees: null, maxEmployees: null };

export async function getExclusions(db: Queryable, workspaceId: string): Promise<ExclusionRules> {
  const { rows } = await db.query(
    'SELECT industries, countries, domains, min_employees, max_employees FROM exclusion_rules WHERE workspace_id = $1',
    [workspaceId],
  );
  const r = rows[0];
  if (!r) return NO_RULES;
  return {
    industries: r.industries,
    countries: r.countries,
    domains: r.domains,
    minEmployees: r.min_employees,
    maxEmployees: r.max_employees,
  };
}

export async function saveExclusions(db: Queryable, workspaceId: string, rules: ExclusionRules): Promise<void> {
  await db.query(
    `INSERT INTO exclusion_rules (workspace_id, industries, countries, domains, min_employees, max_employees)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (workspace_id) DO UPDATE SET industries = EXCLUDED.industries, countries = EXCLUDED.countries,
       domains = EXCLUDED.domains, min_employees = EXCLUDED.min_employees, max_employees = EXCLUDED.max_employees, updated_at = now()`,
    [workspaceId, rules.industries, rules.countries, rules.domains, rules.minEmployees, rules.maxEmployees],
  );
}

/**
 * SQL that is true when account `a` is excluded by its workspace's rules (joined as `x`), never
 * NULL (an unknown industry or size is not excluded). The one definition every ranked result uses.
 */
export const EXCLUDED_SQL = `(x.workspace_id IS NOT NULL AND (
  coalesce(a.industry = ANY(x.industries), false) OR coalesce(a.country = ANY(x.countries), false)
  OR a.domain = ANY(x.domains)
  OR coalesce(a.employees < x.min_employees, false) OR coalesce(a.employees > x.max_employees, false)))`;
