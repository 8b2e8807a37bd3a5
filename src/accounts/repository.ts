import { createHash } from 'node:crypto';
import { Conditions } from '../db/conditions.ts';
import type { Queryable } from '../db/pool.ts';
import type { Account } from './schema.ts';

/** Columns in the order the batch upsert reads them from JSON. */
const COLUMNS = `domain text, name text, industry text, employees int, revenue float8, country text, region text, city text,
  founded_year int, business_model text, stage text, technologies text[], keywords text[], description text, content_hash text`;

// Answers with counts, not a row per account: an import sends millions.
const UPSERT = `
WITH written AS (
INSERT INTO accounts (workspace_id, domain, name, industry, employees, revenue, country, region, city, founded_year,
                      business_model, stage, technologies, keywords, description, content_hash)
SELECT $1, r.domain, r.name, r.industry, r.employees, r.revenue, r.country, r.region, r.city, r.founded_year,
       r.business_model, r.stage, r.technologies, r.keywords, r.description, r.content_hash
FROM jsonb_to_recordset($2::jsonb) AS r(${COLUMNS})
ON CONFLICT (workspace_id, domain) DO UPDATE SET
  name = EXCLUDED.name, industry = EXCLUDED.industry, employees = EXCLUDED.employees, revenue = EXCLUDED.revenue,
  country = EXCLUDED.country, region = EXCLUDED.region, city = EXCLUDED.city, founded_year = EXCLUDED.founded_year,
  business_model = EXCLUDED.business_model, stage = EXCLUDED.stage, technologies = EXCLUDED.technologies,
  keywords = EXCLUDED.keywords, description = EXCLUDED.description, content_hash = EXCLUDED.content_hash,
  updated_at = now()
WHERE accounts.content_hash <> EXCLUDED.content_hash
RETURNING (xmax = 0) AS inserted)
SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*)::int AS written FROM written`;

export const accountHash = (a: Account) =>
  createHash('sha1')
    .update(
      JSON.stringify([a.name, a.industry, a.employees, a.revenue, a.country, a.region, a.city, a.foundedYear,
        a.businessModel, a.stage, a.technologies, a.keywords, a.description]),
    )
    .digest('base64url');

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/**
 * Inserts or updates accounts by domain in one statement (atomic on its own). Rows whose content
 * is unchanged are not touched, so re-importing the same data changes nothing. Domains must be unique.
 */
export async function upsertAccounts(db: Queryable, workspaceId: string, accounts: Account[]): Promise<UpsertCounts> {
  if (accounts.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const rows = accounts.map((a) => ({
    domain: a.domain,
    name: a.name,
    industry: a.industry,
    employees: a.employees,
    revenue: a.revenue,
    country: a.country,
    region: a.region,
    city: a.city,
    founded_year: a.foundedYear,
    business_model: a.businessModel,
    stage: a.stage,
    technologies: a.technologies,
    keywords: a.keywords,
    description: a.description,
    content_hash: accountHash(a),
  }));
  const { rows: counts } = await db.query<{ inserted: number; written: number }>(UPSERT, [workspaceId, JSON.stringify(rows)]);
  const { inserted, written } = counts[0];
  return { inserted, updated: written - inserted, unchanged: accounts.length - written };
}

export interface AccountRow {
  id: string;
  domain: string;
  name: string | null;
  industry: string | null;
  employees: number | null;
  revenue: number | null;
  country: string | null;
  region: string | null;
  city: string | null;
  founded_year: number | null;
  business_model: Account['businessModel'];
  stage: string | null;
  technologies: string[];
  keywords: string[];
  description: string | null;
}

export const ACCOUNT_COLUMNS = `a.id, a.domain, a.name, a.industry, a.employees, a.revenue, a.country, a.region, a.city,
  a.founded_year, a.business_model, a.stage, a.technologies, a.keywords, a.description`;

export const toAccount = (row: AccountRow): Account => ({
  domain: row.domain,
  name: row.name,
  industry: row.industry,
  employees: row.employees,
  revenue: row.revenue,
  country: row.country,
  region: row.region,
  city: row.city,
  foundedYear: row.founded_year,
  businessModel: row.business_model,
  stage: row.stage,
  technologies: row.technologies,
  keywords: row.keywords,
  description: row.description,
});

export async function findAccount(db: Queryable, workspaceId: string, domain: string): Promise<AccountRow | null> {
  const { rows } = await db.query<AccountRow>(
    `SELECT ${ACCOUNT_COLUMNS} FROM accounts a WHERE a.workspace_id = $1 AND a.domain = $2`,
    [workspaceId, domain],
  );
  return rows[0] ?? null;
}

/** Account ids by domain, for linking signals and outcomes. */
export async function accountIdsByDomain(db: Queryable, workspaceId: string, domains: string[]): Promise<Map<string, string>> {
  const { rows } = await db.query<{ id: string; domain: string }>(
    'SELECT id, domain FROM accounts WHERE workspace_id = $1 AND domain = ANY($2::text[])',
    [workspaceId, domains],
  );
  return new Map(rows.map((r) => [r.domain, r.id]));
}

/** The account filters list endpoints share (prospects add score filters on top). */
export function addAccountFilters(c: Conditions, f: AccountListFilters): Conditions {
  return c
    .add(f.industry, (p) => `a.industry = ${p}`)
    .add(f.country, (p) => `a.country = ${p}`)
    .add(f.technology, (p) => `a.technologies @> ARRAY[${p}::text]`)
    .add(f.keyword, (p) => `a.keywords @> ARRAY[${p}::text]`)
    .add(f.minEmployees, (p) => `a.employees >= ${p}`)
    .add(f.maxEmployees, (p) => `a.employees <= ${p}`);
}

export interface AccountListFilters {
  industry?: string;
  country?: string;
  technology?: string;
  keyword?: string;
  minEmployees?: number;
  maxEmployees?: number;
}

/** One page ordered by domain; `after` is the last domain of the previous page. */
export async function listAccounts(
  db: Queryable,
  workspaceId: string,
  filters: AccountListFilters,
  after: string | null,
  limit: number,
): Promise<AccountRow[]> {
  const c = new Conditions().add(workspaceId, (p) => `a.workspace_id = ${p}`).add(after ?? undefined, (p) => `a.domain > ${p}`);
  addAccountFilters(c, filters);
  const { rows } = await db.query<AccountRow>(
    `SELECT ${ACCOUNT_COLUMNS} FROM accounts a WHERE ${c.sql()} ORDER BY a.domain LIMIT ${c.param(limit)}`,
    c.params,
  );
  return rows;
}

export async function deleteAccount(db: Queryable, workspaceId: string, domain: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM accounts WHERE workspace_id = $1 AND domain = $2', [workspaceId, domain]);
  return (rowCount ?? 0) > 0;
}
