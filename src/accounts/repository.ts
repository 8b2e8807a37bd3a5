import { hash } from 'node:crypto';
import { Conditions } from '../db/conditions.ts';
import type { Queryable } from '../db/pool.ts';
import type { Account, SpelledAccount } from './schema.ts';
import { finiteOrNull } from '../lib/stats.ts';

/**
 * What the batch upsert sends: each column as one array parameter, cheaper to build, send and parse
 * than a JSON object per row. A list column is sent as text[] of each row's list as an array literal
 * (a text[][] cannot hold lists of different lengths).
 */
const COLUMNS: [column: string, type: string, value: (a: SpelledAccount) => string | number | null][] = [
  ['domain', 'text', (a) => a.domain],
  ['name', 'text', (a) => a.name],
  ['industry', 'text', (a) => a.industry],
  ['industry_spelling', 'text', (a) => a.industrySpelling ?? null],
  ['employees', 'int', (a) => a.employees],
  ['revenue', 'float8', (a) => a.revenue],
  ['country', 'text', (a) => a.country],
  ['region', 'text', (a) => a.region],
  ['city', 'text', (a) => a.city],
  ['founded_year', 'int', (a) => a.foundedYear],
  ['business_model', 'text', (a) => a.businessModel],
  ['stage', 'text', (a) => a.stage],
  ['technologies', 'text[]', (a) => arrayLiteral(a.technologies)],
  ['keywords', 'text[]', (a) => arrayLiteral(a.keywords)],
  ['description', 'text', (a) => a.description],
  ['content_hash', 'text', (a) => accountHash(a)],
];
const NAMES = COLUMNS.map(([column]) => column);

// Answers with counts, not a row per account: an import sends millions.
const UPSERT = `
WITH written AS (
INSERT INTO accounts (workspace_id, ${NAMES.join(', ')})
SELECT $1, ${COLUMNS.map(([column, type]) => (type === 'text[]' ? `r.${column}::text[]` : `r.${column}`)).join(', ')}
FROM unnest(${COLUMNS.map(([, type], i) => `$${2 + i}::${type === 'text[]' ? 'text' : type}[]`).join(', ')}) AS r(${NAMES.join(', ')})
ON CONFLICT (workspace_id, domain) DO UPDATE SET
  ${NAMES.filter((column) => column !== 'domain')
    .map((column) => `${column} = EXCLUDED.${column}`)
    .join(', ')},
  updated_at = now()
WHERE accounts.content_hash <> EXCLUDED.content_hash
RETURNING (xmax = 0) AS inserted)
SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*)::int AS written FROM written`;

// The spelling is hashed only when there is one: accounts stored before it was kept keep their hashes.
export const accountHash = (a: SpelledAccount) =>
  hash(
    'sha1',
    JSON.stringify([
      ...(a.industrySpelling ? [a.industrySpelling] : []),
      a.name,
      a.industry,
      a.employees,
      a.revenue,
      a.country,
      a.region,
      a.city,
      a.foundedYear,
      a.businessModel,
      a.stage,
      a.technologies,
      a.keywords,
      a.description,
    ]),
    'base64url',
  );

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** Accounts as the batch upsert reads them: built while the batch before is being written. */
export interface AccountBatch {
  size: number;
  /** The upsert's parameters after the workspace. */
  params: string[];
}

/**
 * A PostgreSQL array literal: built with the batch, ahead of its turn, rather than by the driver as it is sent.
 * Elements are bare where array_in reads them back unchanged: most list items, and so the list literals
 * of the list columns, then need no escaping, which was most of a batch's cost.
 */
function arrayLiteral(values: (string | number | null)[]): string {
  const elements = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    elements[i] = value === null ? 'NULL' : typeof value === 'number' ? String(value) : arrayElement(value);
  }
  return `{${elements.join(',')}}`;
}

// Text array_in would read differently bare: empty, blank around it, with a delimiter, brace, quote or backslash.
const NOT_BARE = /^$|[\s"\\{},]/;
const ESCAPED = /["\\]/;

/** One text element of an array literal: bare when that reads back as itself (not "NULL"), else quoted. */
function arrayElement(text: string): string {
  if (!NOT_BARE.test(text) && !(text.length === 4 && text.toUpperCase() === 'NULL')) return text;
  return ESCAPED.test(text) ? `"${text.replace(/["\\]/g, '\\$&')}"` : `"${text}"`;
}

/** Code-unit order of domains: the one order every write of accounts takes (see accountBatch). */
export const byDomain = (a: Pick<Account, 'domain'>, b: Pick<Account, 'domain'>) =>
  a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0;

/**
 * The batch in domain order: two writers of the same accounts then lock their rows in the same order, so
 * one waits for the other instead of deadlocking (PostgreSQL aborts one of two that wait for each other).
 */
export function accountBatch(accounts: SpelledAccount[]): AccountBatch {
  const sorted = accounts.slice().sort(byDomain);
  return {
    size: sorted.length,
    params: COLUMNS.map(([, , value]) => arrayLiteral(sorted.map(value))),
  };
}

/**
 * Inserts or updates accounts by domain in one statement (atomic on its own). Rows whose content
 * is unchanged are not touched, so re-importing the same data changes nothing. Domains must be unique.
 */
export async function upsertAccountBatch(db: Queryable, workspaceId: string, batch: AccountBatch): Promise<UpsertCounts> {
  if (batch.size === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const { rows: counts } = await db.query<{ inserted: number; written: number }>(UPSERT, [workspaceId, ...batch.params]);
  const { inserted, written } = counts[0];
  return { inserted, updated: written - inserted, unchanged: batch.size - written };
}

export const upsertAccounts = (db: Queryable, workspaceId: string, accounts: SpelledAccount[]) =>
  upsertAccountBatch(db, workspaceId, accountBatch(accounts));

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

/**
 * An account as the service uses it. A stored number that is no finite number (NaN or ±Infinity in
 * `revenue`, kept from before values were checked; JSON texts spell them "NaN" and "Infinity") is read
 * as unknown, so that no feature, band or score computed from it can be NaN or infinite.
 */
export const toAccount = (row: AccountRow): Account => ({
  domain: row.domain,
  name: row.name,
  industry: row.industry,
  employees: finiteOrNull(row.employees),
  revenue: finiteOrNull(row.revenue),
  country: row.country,
  region: row.region,
  city: row.city,
  foundedYear: finiteOrNull(row.founded_year),
  businessModel: row.business_model,
  stage: row.stage,
  technologies: row.technologies,
  keywords: row.keywords,
  description: row.description,
});

/** An account of a batch text as a JSON array, in the order `accountsFromText` reads. */
const ACCOUNT_TUPLE = `json_build_array(a.id::text, a.domain, a.name, a.industry, a.employees, a.revenue, a.country, a.region,
  a.city, a.founded_year, a.business_model, a.stage, a.technologies, a.keywords, a.description, a.content_hash, a.industry_spelling)`;

/**
 * A workspace's accounts in id order (those after `fromId`, up to `toId` when given), a batch at a time.
 * Each batch is one JSON text rather than a row per account: on PGlite each row costs far more than its
 * bytes (≈ 2× less CPU for a scoring batch), and the text can go to the compute thread as it is
 * (`accountsFromText`). A batch holds the accounts with `afterId` < id ≤ `lastId`.
 *
 * Each batch is read within an id window planned first (accountIdRanges), not as "the next `size`
 * after an id" alone: on a table without statistics (just imported; PGlite and a server without
 * autovacuum never gather them) PostgreSQL answered that by reading and sorting every account after
 * the id, for every batch, which made a pass over a million accounts quadratic. The window bounds each
 * read to its own accounts whatever the plan.
 */
export async function* accountBatchTexts(
  db: Queryable,
  workspaceId: string,
  size: number,
  range: { fromId?: string; toId?: string } = {},
): AsyncGenerator<{ afterId: string; lastId: string; text: string }> {
  for (const window of await accountIdRanges(db, workspaceId, size, range)) {
    for (let afterId = window.fromId ?? '0'; ; ) {
      const { rows } = await db.query<{ last_id: string | null; accounts: string | null }>(
        `SELECT max(a.id)::text AS last_id,
           json_agg(${ACCOUNT_TUPLE} ORDER BY a.id)::text AS accounts
         FROM (SELECT * FROM accounts WHERE workspace_id = $1 AND id > $2 AND ($3::bigint IS NULL OR id <= $3) ORDER BY id LIMIT $4) a`,
        [workspaceId, afterId, window.toId ?? null, size],
      );
      const { last_id: lastId, accounts: text } = rows[0];
      if (lastId === null || text === null) break;
      yield { afterId, lastId, text };
      afterId = lastId;
    }
  }
}

type AccountTuple = [string, string, ...unknown[]];

/** The accounts of an `accountBatchTexts` batch, with the hash of their content as read and their industry's spelling (the vocabulary keeps it for labels). */
export function accountsFromText(text: string): { id: string; account: SpelledAccount; contentHash: string }[] {
  return (JSON.parse(text) as AccountTuple[]).map(
    ([
      id,
      domain,
      name,
      industry,
      employees,
      revenue,
      country,
      region,
      city,
      foundedYear,
      businessModel,
      stage,
      technologies,
      keywords,
      description,
      contentHash,
      industrySpelling,
    ]) => ({
      id,
      contentHash: contentHash as string,
      account: withSpelling(
        toAccount({
          id,
          domain,
          name,
          industry,
          employees,
          revenue,
          country,
          region,
          city,
          founded_year: foundedYear,
          business_model: businessModel,
          stage,
          technologies,
          keywords,
          description,
        } as AccountRow),
        industrySpelling as string | null,
      ),
    }),
  );
}

const withSpelling = (account: Account, industrySpelling: string | null): SpelledAccount =>
  industrySpelling === null ? account : { ...account, industrySpelling };

export async function findAccount(db: Queryable, workspaceId: string, domain: string): Promise<AccountRow | null> {
  const { rows } = await db.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts a WHERE a.workspace_id = $1 AND a.domain = $2`, [
    workspaceId,
    domain,
  ]);
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

/** An account row with its CRM outcome (null when it has none, or its deal is open). */
export interface AccountOutcomeRow extends AccountRow {
  status: string | null;
  amount: number | null;
  closed_at: Date | null;
}

/** Accounts whose outcome is decided (not open), with it: training's labelled examples. */
export async function accountsWithDecidedOutcomes(db: Queryable, workspaceId: string): Promise<AccountOutcomeRow[]> {
  const { rows } = await db.query<AccountOutcomeRow>(
    `SELECT ${ACCOUNT_COLUMNS}, o.status, o.amount, o.closed_at
     FROM accounts a JOIN outcomes o ON o.account_id = a.id
     WHERE a.workspace_id = $1 AND o.status <> 'open'`,
    [workspaceId],
  );
  return rows;
}

/**
 * A seeded sample of the accounts without a decided outcome: training's unlabelled examples. Ordered by md5
 * of id and seed, so the sample depends on the seed only, not on physical row order.
 */
export async function undecidedAccountSample(
  db: Queryable,
  workspaceId: string,
  seed: number,
  limit: number,
): Promise<AccountOutcomeRow[]> {
  const { rows } = await db.query<AccountOutcomeRow>(
    `SELECT ${ACCOUNT_COLUMNS}, NULL AS status, NULL AS amount, NULL AS closed_at
     FROM accounts a LEFT JOIN outcomes o ON o.account_id = a.id
     WHERE a.workspace_id = $1 AND (o.account_id IS NULL OR o.status = 'open')
     ORDER BY md5(a.id::text || ':' || $2::text) LIMIT $3`,
    [workspaceId, seed, limit],
  );
  return rows;
}

export async function countAccounts(db: Queryable, workspaceId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts WHERE workspace_id = $1', [workspaceId]);
  return rows[0].n;
}

/**
 * A workspace's accounts whose similarity vector (account_vectors, src/features) is missing, older than
 * the account, or from another vocabulary version, in id order, as `accountBatchTexts` batches. Each query reads one id window of about `window` accounts
 * (accountIdRanges) and keeps the stale ones, so every query costs its window whatever is stale: a
 * query asking for the next stale rows after an id had PostgreSQL read every account after it before
 * sorting, which made a first vectorising quadratic in the universe size. Windows with nothing stale
 * are not yielded.
 */
export async function* staleVectorBatchTexts(
  db: Queryable,
  workspaceId: string,
  vocabularyVersion: number,
  window: number,
): AsyncGenerator<string> {
  for (const range of await accountIdRanges(db, workspaceId, window)) {
    for (let afterId = range.fromId ?? '0'; ; ) {
      const { rows } = await db.query<{ last_id: string | null; accounts: string | null }>(
        `SELECT max(a.id)::text AS last_id,
           (json_agg(${ACCOUNT_TUPLE} ORDER BY a.id) FILTER (WHERE stale))::text AS accounts
         FROM (SELECT a.*, v.account_id IS NULL OR v.content_hash <> a.content_hash OR v.vocabulary_version <> $3 AS stale
               FROM (SELECT * FROM accounts WHERE workspace_id = $1 AND id > $2 AND ($5::bigint IS NULL OR id <= $5) ORDER BY id LIMIT $4) a
               LEFT JOIN account_vectors v ON v.account_id = a.id) a`,
        [workspaceId, afterId, vocabularyVersion, window, range.toId ?? null],
      );
      const { last_id: lastId, accounts: text } = rows[0];
      if (lastId === null) break;
      if (text !== null) yield text;
      afterId = lastId;
    }
  }
}

/**
 * Splits a workspace's accounts (those in `within`, all by default) into id ranges of about `size`
 * accounts each, for scoring in chunks and reading in batches. The last range is open-ended (up to
 * `within.toId`), so accounts added after planning are still read.
 */
export async function accountIdRanges(
  db: Queryable,
  workspaceId: string,
  size: number,
  within: { fromId?: string; toId?: string } = {},
): Promise<{ fromId?: string; toId?: string }[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n, count(*) OVER () AS total FROM accounts
                     WHERE workspace_id = $1 AND id > $3 AND ($4::bigint IS NULL OR id <= $4)) numbered
     WHERE n % $2 = 0 AND n < total ORDER BY id`,
    [workspaceId, size, within.fromId ?? '0', within.toId ?? null],
  );
  const bounds = rows.map((r) => r.id);
  return [...bounds, within.toId].map((toId, i) => ({ fromId: i === 0 ? within.fromId : bounds[i - 1], toId }));
}

export type AccountIdRange = { fromId?: string; toId?: string };

/** Accounts one statement of a count over the universe reads (inAccountRanges). */
export const ACCOUNTS_PER_COUNT = 10_000;

/** The accounts `a` of `range` (from accountIdRanges), its bounds bound into `params`. */
export function accountRangeSql(params: unknown[], range: AccountIdRange): string {
  const from = params.push(range.fromId ?? '0');
  const to = params.push(range.toId ?? null);
  return `a.id > $${from}::bigint AND ($${to}::bigint IS NULL OR a.id <= $${to}::bigint)`;
}

/**
 * `read` once per id range of about `size` of the workspace's accounts, in turn: a count over the
 * universe as statements of bounded cost. Why: on the embedded database a statement holds its one
 * connection and the API's thread, so one count over a 200,000-account universe held every
 * workspace's requests for 7–12 s; between ranges their statements go first.
 */
export async function inAccountRanges<T>(
  db: Queryable,
  workspaceId: string,
  size: number,
  read: (range: AccountIdRange) => Promise<T>,
): Promise<T[]> {
  const parts: T[] = [];
  for (const range of await accountIdRanges(db, workspaceId, size)) parts.push(await read(range));
  return parts;
}

/** Accounts by id (those that still exist), keyed by id. */
export async function accountRowsById(db: Queryable, ids: string[]): Promise<Map<string, AccountRow>> {
  const { rows } = await db.query<{ accounts: string | null }>(
    `SELECT json_agg(k)::text AS accounts FROM (SELECT ${ACCOUNT_COLUMNS}, a.id::text AS id_text FROM accounts a WHERE a.id = ANY($1::bigint[])) k`,
    [ids],
  );
  return new Map(
    (JSON.parse(rows[0]?.accounts ?? '[]') as (AccountRow & { id_text: string })[]).map((a) => [a.id_text, { ...a, id: a.id_text }]),
  );
}

/** Every named account of a workspace (id, domain, name), for matching rows that name a company without its website. */
export async function namedAccounts(db: Queryable, workspaceId: string): Promise<{ id: string; domain: string; name: string }[]> {
  const { rows } = await db.query<{ id: string; domain: string; name: string }>(
    'SELECT id, domain, name FROM accounts WHERE workspace_id = $1 AND name IS NOT NULL ORDER BY domain',
    [workspaceId],
  );
  return rows;
}
