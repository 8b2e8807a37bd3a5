import type pg from 'pg';
import {
  ACCOUNT_COLUMNS,
  ACCOUNTS_PER_COUNT,
  accountRangeSql,
  addAccountFilters,
  inAccountRanges,
  type AccountListFilters,
  type AccountRow,
} from '../accounts/repository.ts';
import { Conditions } from '../db/conditions.ts';
import type { Queryable } from '../db/pool.ts';
import type { TierCutoffs } from '../model/ranking.ts';
import { activeModelId, type ModelBrief, modelBrief } from '../model/repository.ts';
import { ELIGIBILITY_JOINS, PROSPECT_SQL } from './eligibility.ts';
import type { StoredExplanation } from './explanation.ts';
import { explanationOfStoredText } from './prospect-text.ts';
import type { ScoreRow } from './score-batch.ts';
import { NOT_IN_CRM_SQL } from '../outcomes/repository.ts';
import { EXCLUDED_SQL } from '../exclusions/repository.ts';
import { parseSparsevec, sparsevecLiteral, type SparseVector } from '../features/spec.ts';
import { withTransaction } from '../db/pool.ts';

export interface ScoreRun {
  id: string;
  modelId: string;
  cutoffs: TierCutoffs | null;
  finishedAt: Date | null;
}

/** The model behind served scores, with the run they come from. */
export interface ModelRef extends ModelBrief {
  runId: string | null;
  scoredAt: string | null;
}

interface RunRow {
  id: string;
  model_id: string;
  tier_cutoffs: TierCutoffs | null;
  finished_at: Date | null;
}
const toRun = (r: RunRow): ScoreRun => ({ id: r.id, modelId: r.model_id, cutoffs: r.tier_cutoffs, finishedAt: r.finished_at });

/**
 * The run prospect pages read: the newest completed run of the active model, or — while the active
 * model's first run is still being written — the newest completed run of any model.
 */
export async function currentRun(db: Queryable, workspaceId: string): Promise<ScoreRun | null> {
  const active = await activeModelId(db, workspaceId);
  const { rows } = await db.query<RunRow>(
    `SELECT id, model_id, tier_cutoffs, finished_at FROM score_runs
     WHERE workspace_id = $1 AND status = 'completed' ORDER BY model_id = $2 DESC, finished_at DESC LIMIT 1`,
    [workspaceId, active],
  );
  return rows[0] ? toRun(rows[0]) : null;
}

export async function completedRun(db: Queryable, workspaceId: string, runId: string): Promise<ScoreRun | null> {
  const { rows } = await db.query<RunRow>(
    "SELECT id, model_id, tier_cutoffs, finished_at FROM score_runs WHERE workspace_id = $1 AND id = $2 AND status = 'completed'",
    [workspaceId, runId],
  );
  return rows[0] ? toRun(rows[0]) : null;
}

/** The model, with the run whose scores are served (null: scores computed now, e.g. one account's fit). */
export async function modelRef(db: Queryable, modelId: string, run: Pick<ScoreRun, 'id' | 'finishedAt'> | null): Promise<ModelRef> {
  return { ...(await modelBrief(db, modelId)), runId: run?.id ?? null, scoredAt: run?.finishedAt?.toISOString() ?? null };
}

/** A scored row as a page reads it: the account, its scores and what explains them. */
export interface ScoredRow extends AccountRow, Omit<ScoreRow, 'account_id' | 'explanation' | 'prospect' | 'account_hash'> {
  /** Stored by runs since sql/011_page_filters.sql, or read from the row's stored text (null in runs before sql/011: scored again to explain). */
  explanation: StoredExplanation | null;
}

/**
 * A row of a page: its place in the ranking, and the prospect's stored text (./prospect-text.ts) or,
 * when the run stored none or the account has been edited since it was scored, the scored row to render.
 */
export interface PageRow {
  id: string;
  score: number;
  prospect: string | null;
  /** Read only when `prospect` is null. */
  scored: ScoredRow | null;
}

/** A scored row to render; an account edited since it was scored keeps the explanation its stored text holds. */
function scoredRow(text: string): ScoredRow {
  const { id_text, stored_prospect, ...row } = JSON.parse(text) as ScoredRow & { id_text: string; stored_prospect: string | null };
  const explanation = row.explanation ?? (stored_prospect === null ? null : explanationOfStoredText(stored_prospect));
  return { ...row, id: id_text, explanation };
}

/** The rows of one page: a run's rows in ranking order, filtered. */
export interface PageSelection {
  runId: string;
  /** Score ranges [min, max) a row must fall in one of (tiers); null bounds are open. */
  scoreRanges: [number | null, number | null][] | null;
  minScore?: number;
  /** Keyset: rows ranked after this one. */
  after: { score: number; id: string } | null;
  filters: AccountListFilters;
  limit: number;
}

/**
 * Index tuples a page walks, per row of the page, before it reads the run's matching rows through
 * the filter indexes instead (see pageRows): 20,000 for a page of 100, ≈ 12 ms on PostgreSQL here
 * (≈ 0.6 µs a tuple with the signature check), ≈ 40 ms on PGlite.
 */
const WALK_TUPLES_PER_ROW = 200;

/** The filter values of a scored row, as the GIN index of sql/014_page_terms.sql indexes them (the same expression). */
const pageTerms = (alias: string) => `(${alias}.technologies || ${alias}.keywords || ${alias}.industry || ${alias}.country)`;

/**
 * One page of a run's prospects, best first. The scored rows carry the attributes the filters read
 * (sql/011_page_filters.sql); the account's current values are checked as well, so an account edited
 * since it was scored never shows under a filter it no longer matches.
 *
 * The first plan walks the run's rows in ranking order on an index — with a country (else industry)
 * filter that column's index, so only matching rows are walked — and answers every filter from the
 * index tuple (sql/013_page_walks.sql: employees, the other column, and a signature of the
 * technologies and keywords). Only rows that pass are read: their scored row (the exact technology
 * and keyword check, the stored explanation) and their account, checked for eligibility. Both are
 * LATERAL subqueries (OFFSET 0 keeps them so), which leaves the planner one plan: nested loops that
 * keep the walk's order and stop once the page is full. Joined plainly, the planner would often hash
 * the whole run and sort it instead: it cannot see that most accounts pass the eligibility and
 * exclusion conditions (it estimates well under 1 %).
 *
 * A walk over filters that match rarely near the top of the ranking would read most of the run, so
 * it stops after WALK_TUPLES_PER_ROW index tuples per row of the page; when that does not fill the
 * page and the run has more rows the walk could have walked, the second plan reads the run's matching
 * rows through the filter indexes (one GIN index over the technologies, keywords, industry and
 * country, sql/014_page_terms.sql, which intersects the wanted values inside the index; the country,
 * industry or employees B-trees), sorts just those and takes the page, the planner choosing from
 * account_scores' statistics (finishScoreRun analyses it).
 */
export async function pageRows(pool: pg.Pool, workspaceId: string, page: PageSelection): Promise<PageRow[]> {
  const c = new Conditions();
  const run = c.param(page.runId);
  const walk = walkConditions(c, run, page);
  const eligible = new Conditions(c.params).add(workspaceId, (p) => `a.workspace_id = ${p}`);
  eligible.where.push(PROSPECT_SQL);
  addAccountFilters(eligible, page.filters);
  const plan: PagePlan = { ...walk, run, eligible: eligible.sql(), limit: page.limit };
  const walked = await readPage(pool, walkSql(plan), c.params);
  if (walked.rows.length === page.limit || walked.whole) return walked.rows;
  return (await readPage(pool, fallbackSql(c, page.filters, plan), c.params)).rows;
}

/** Conditions on a page's rows: on the walking index's key (index conditions), on the tuple it carries (filters), on the scored row. */
interface WalkConditions {
  key: string[];
  tuple: string[];
  /** Checked on the scored row itself (alias `s`, or `k` when the row is read through the filter indexes). */
  exact: ((alias: string) => string)[];
}

/** What both plans of a page share: the walk's conditions, the run's placeholder, the accounts' eligibility, the page size. */
interface PagePlan extends WalkConditions {
  run: string;
  eligible: string;
  limit: number;
}

function walkConditions(c: Conditions, run: string, page: PageSelection): WalkConditions {
  const { filters } = page;
  const key = [`k.run_id = ${run}`];
  const tuple: string[] = [];
  const exact: ((alias: string) => string)[] = [];
  const add = (into: string[], value: unknown, sql: (p: string) => string) => value !== undefined && into.push(sql(c.param(value)));
  add(key, page.minScore, (p) => `k.score >= ${p}::real`);
  if (page.after) key.push(`(k.score, k.account_id) < (${c.param(page.after.score)}::real, ${c.param(page.after.id)}::bigint)`);
  if (page.scoreRanges) {
    // The ranges' span bounds the walk (tiers next to each other are one range); each range is checked on the tuple.
    const bound = (min: number | null, max: number | null) =>
      [min === null ? 'true' : `k.score >= ${c.param(min)}::real`, max === null ? 'true' : `k.score < ${c.param(max)}::real`].join(' AND ');
    const mins = page.scoreRanges.map(([min]) => min);
    const maxes = page.scoreRanges.map(([, max]) => max);
    key.push(
      bound(mins.includes(null) ? null : Math.min(...(mins as number[])), maxes.includes(null) ? null : Math.max(...(maxes as number[]))),
    );
    if (page.scoreRanges.length > 1) tuple.push(`(${page.scoreRanges.map(([min, max]) => `(${bound(min, max)})`).join(' OR ')})`);
  }
  add(key, filters.country, (p) => `k.country = ${p}`);
  add(filters.country === undefined ? key : tuple, filters.industry, (p) => `k.industry = ${p}`);
  add(tuple, filters.minEmployees, (p) => `k.employees >= ${p}`);
  add(tuple, filters.maxEmployees, (p) => `k.employees <= ${p}`);
  if (filters.technology !== undefined || filters.keyword !== undefined) {
    const wanted = `page_tag_bits(${c.param(filters.technology === undefined ? [] : [filters.technology])}::text[], ${c.param(filters.keyword === undefined ? [] : [filters.keyword])}::text[])`;
    tuple.push(`k.tag_bits & ${wanted} = ${wanted}`);
  }
  if (filters.technology !== undefined) {
    const p = c.param(filters.technology);
    exact.push((alias) => `${alias}.technologies @> ARRAY[${p}::text]`);
  }
  if (filters.keyword !== undefined) {
    const p = c.param(filters.keyword);
    exact.push((alias) => `${alias}.keywords @> ARRAY[${p}::text]`);
  }
  return { key, tuple, exact };
}

/**
 * The page out of the run's rows `walked` selects (account_id and score, best first).
 * `whole`: for a page the walk leaves short, whether the walk saw every row the key selects (fewer
 * than its budget), in which case the page is complete. One row even for an empty page (the LEFT JOIN),
 * which carries `whole`. The stored prospect text is read while the account is as it was scored (the same
 * content hash); otherwise the whole row, to render.
 */
function pageSql(plan: PagePlan, walked: string, whole: string): string {
  return `
    WITH p AS (
      SELECT ${ACCOUNT_COLUMNS}, a.id::text AS id_text, s.score, s.fit, s.similarity, s.intent, s.criteria, s.explanation,
        CASE WHEN s.account_hash = a.content_hash THEN s.prospect END AS prospect,
        CASE WHEN s.account_hash <> a.content_hash THEN s.prospect END AS stored_prospect
      FROM (${walked}) k
      CROSS JOIN LATERAL (SELECT s.* FROM account_scores s WHERE s.run_id = ${plan.run} AND s.account_id = k.account_id AND ${[...plan.exact.map((on) => on('s')), 'true'].join(' AND ')} OFFSET 0) s
      CROSS JOIN LATERAL (SELECT a.* FROM accounts a ${ELIGIBILITY_JOINS} WHERE a.id = k.account_id AND ${plan.eligible} OFFSET 0) a
      ORDER BY k.score DESC, k.account_id DESC LIMIT ${plan.limit})
    SELECT w.whole, p.id_text AS id, p.score, p.prospect, CASE WHEN p.prospect IS NULL THEN row_to_json(p)::text END AS scored
    FROM (SELECT ${whole} AS whole) w LEFT JOIN p ON true
    ORDER BY p.score DESC, p.id DESC`;
}

/** The first plan: the walk, as far as its budget goes, and whether it saw every row (counted, on the index alone, only for a short page). */
function walkSql(plan: PagePlan): string {
  const budget = WALK_TUPLES_PER_ROW * plan.limit;
  // The run's rows the walking index's key selects, best first, as far as the walk goes.
  const keyed = (columns: string) =>
    `SELECT ${columns} FROM account_scores k WHERE ${plan.key.join(' AND ')} ORDER BY k.score DESC, k.account_id DESC LIMIT ${budget}`;
  const walk = `
    SELECT k.account_id, k.score FROM (${keyed('k.account_id, k.score, k.country, k.industry, k.employees, k.tag_bits')}) k
    WHERE ${plan.tuple.length > 0 ? plan.tuple.join(' AND ') : 'true'}`;
  const whole = `CASE WHEN (SELECT count(*) FROM p) < ${plan.limit} THEN (SELECT count(*) FROM (${keyed('1')}) n) < ${budget} END`;
  return pageSql(plan, walk, whole);
}

/**
 * The second plan: the run's matching rows through the filter indexes. Every filter value at once, for the
 * GIN index of sql/014_page_terms.sql (a parameter only this plan sends, so added to `c` only now), when a
 * technology or keyword is among them: alone, a country or industry is better served by its B-tree.
 */
function fallbackSql(c: Conditions, filters: AccountListFilters, plan: PagePlan): string {
  const values = [filters.technology, filters.keyword, filters.industry, filters.country].filter((v) => v !== undefined);
  const terms =
    filters.technology !== undefined || filters.keyword !== undefined ? [`${pageTerms('k')} @> ${c.param(values)}::text[]`] : [];
  const matching = `
    SELECT k.account_id, k.score FROM account_scores k
    WHERE ${[...plan.key, ...plan.tuple, ...plan.exact.map((on) => on('k')), ...terms].join(' AND ')} ORDER BY k.score DESC, k.account_id DESC`;
  return pageSql(plan, matching, 'null');
}

/** A page's rows as pageSql selects them, and whether the walk saw every row. */
async function readPage(pool: pg.Pool, sql: string, params: unknown[]): Promise<{ rows: PageRow[]; whole: boolean }> {
  const { rows } = await pool.query<{
    whole: boolean | null;
    id: string | null;
    score: number;
    prospect: string | null;
    scored: string | null;
  }>(sql, params);
  const read = rows.flatMap((r): PageRow[] =>
    r.id === null ? [] : [{ id: r.id, score: r.score, prospect: r.prospect, scored: r.scored === null ? null : scoredRow(r.scored) }],
  );
  return { rows: read, whole: rows[0]?.whole === true };
}

/** Runs of this model that have not failed. */
export async function unfailedScoreRuns(db: Queryable, modelId: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>("SELECT id FROM score_runs WHERE model_id = $1 AND status <> 'failed'", [modelId]);
  return rows.map((r) => r.id);
}

export async function failScoreRun(db: Queryable, runId: string): Promise<void> {
  await db.query("UPDATE score_runs SET status = 'failed', finished_at = now() WHERE id = $1", [runId]);
}

/** Prospects of the run in each tier under these cutoffs. */
export async function prospectsPerTier(
  db: Queryable,
  runId: string,
  workspaceId: string,
  cutoffs: TierCutoffs,
  chunk = ACCOUNTS_PER_COUNT,
) {
  const parts = await inAccountRanges(db, workspaceId, chunk, async (range) => {
    const params: unknown[] = [runId, workspaceId, cutoffs.A, cutoffs.B, cutoffs.C];
    const { rows } = await db.query<{ a: number; b: number; c: number; d: number }>(
      `SELECT count(*) FILTER (WHERE s.score >= $3::real)::int AS a,
              count(*) FILTER (WHERE s.score >= $4::real AND s.score < $3::real)::int AS b,
              count(*) FILTER (WHERE s.score >= $5::real AND s.score < $4::real)::int AS c,
              count(*) FILTER (WHERE s.score < $5::real)::int AS d
       FROM account_scores s JOIN accounts a ON a.id = s.account_id ${ELIGIBILITY_JOINS}
       WHERE s.run_id = $1 AND a.workspace_id = $2 AND ${accountRangeSql(params, range)} AND ${PROSPECT_SQL}`,
      params,
    );
    return rows[0];
  });
  return parts.reduce((sum, part) => ({ a: sum.a + part.a, b: sum.b + part.b, c: sum.c + part.c, d: sum.d + part.d }));
}

/** A new run (of its job, when a job writes it), with the number of accounts it has to score: its progress is measured against it. */
export async function createScoreRun(
  db: Queryable,
  workspaceId: string,
  modelId: string,
  given: { runId?: string; jobId?: string } = {},
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO score_runs (id, workspace_id, model_id, job_id, accounts_total)
     VALUES (coalesce($3::uuid, gen_random_uuid()), $1, $2, $4, (SELECT count(*) FROM accounts WHERE workspace_id = $1)) RETURNING id`,
    [workspaceId, modelId, given.runId ?? null, given.jobId ?? null],
  );
  return rows[0].id;
}

/** Counts a stored batch on its run while it is written (progress; completion sets the exact count). */
export async function countScoredBatch(db: Queryable, runId: string, accounts: number): Promise<void> {
  await db.query("UPDATE score_runs SET accounts_scored = accounts_scored + $2 WHERE id = $1 AND status = 'running'", [runId, accounts]);
}

/** A scoring run as the model's `scoring` and the prospects' readiness read it. */
export interface RunState {
  id: string;
  modelId: string;
  status: 'running' | 'completed' | 'failed';
  jobId: string | null;
  accountsScored: number;
  accountsTotal: number | null;
  createdAt: Date;
  finishedAt: Date | null;
}

/** The newest run of each of these models (models without one are missing from the map). */
export async function latestRuns(db: Queryable, workspaceId: string, modelIds: string[]): Promise<Map<string, RunState>> {
  const { rows } = await db.query<{
    id: string;
    model_id: string;
    status: RunState['status'];
    job_id: string | null;
    accounts_scored: number;
    accounts_total: number | null;
    created_at: Date;
    finished_at: Date | null;
  }>(
    `SELECT DISTINCT ON (model_id) id, model_id, status, job_id, accounts_scored, accounts_total, created_at, finished_at
     FROM score_runs WHERE workspace_id = $1 AND model_id = ANY($2::uuid[]) ORDER BY model_id, created_at DESC, id`,
    [workspaceId, modelIds],
  );
  return new Map(
    rows.map((r) => [
      r.model_id,
      {
        id: r.id,
        modelId: r.model_id,
        status: r.status,
        jobId: r.job_id,
        accountsScored: r.accounts_scored,
        accountsTotal: r.accounts_total,
        createdAt: r.created_at,
        finishedAt: r.finished_at,
      },
    ]),
  );
}

export async function scoreRun(db: Queryable, runId: string): Promise<{ workspace_id: string; model_id: string } | undefined> {
  const { rows } = await db.query<{ workspace_id: string; model_id: string }>(
    'SELECT workspace_id, model_id FROM score_runs WHERE id = $1',
    [runId],
  );
  return rows[0];
}

/**
 * Stores a batch of scored rows (JSON text of ScoreRow objects; src/prospects/score-batch.ts), replacing
 * rows already stored for the same accounts. The attributes prospect pages filter on are copied from
 * the account (sql/011_page_filters.sql). Returns how many rows were written.
 */
export async function insertScoreRows(db: Queryable, runId: string, rows: string): Promise<number> {
  const { rowCount } = await db.query(
    `INSERT INTO account_scores (run_id, account_id, score, fit, similarity, intent, criteria, explanation, prospect, account_hash,
       industry, country, employees, technologies, keywords)
     SELECT $1, r.account_id, r.score, r.fit, r.similarity, r.intent, r.criteria, r.explanation, r.prospect, r.account_hash,
       a.industry, a.country, a.employees, a.technologies, a.keywords
     FROM json_to_recordset($2::json) AS r(account_id bigint, score real, fit real, similarity real, intent real, criteria real, explanation json,
       prospect text, account_hash text)
     JOIN accounts a ON a.id = r.account_id
     ON CONFLICT (run_id, account_id) DO UPDATE SET score = EXCLUDED.score, fit = EXCLUDED.fit, similarity = EXCLUDED.similarity,
       intent = EXCLUDED.intent, criteria = EXCLUDED.criteria, explanation = EXCLUDED.explanation, prospect = EXCLUDED.prospect,
       account_hash = EXCLUDED.account_hash, industry = EXCLUDED.industry, country = EXCLUDED.country, employees = EXCLUDED.employees,
       technologies = EXCLUDED.technologies, keywords = EXCLUDED.keywords`,
    [runId, rows],
  );
  return rowCount ?? 0;
}

/** How many accounts a run scored, and the scores of its prospects (read as one JSON text: one row, not one per account). */
export async function runScores(db: Queryable, runId: string): Promise<{ scored: number; prospectScores: number[] }> {
  const { rows } = await db.query<{ scored: number; prospect_scores: string | null }>(
    `SELECT count(*)::int AS scored, json_agg(s.score) FILTER (WHERE ${NOT_IN_CRM_SQL})::text AS prospect_scores
     FROM account_scores s LEFT JOIN outcomes o ON o.account_id = s.account_id WHERE s.run_id = $1`,
    [runId],
  );
  return { scored: rows[0].scored, prospectScores: JSON.parse(rows[0].prospect_scores ?? '[]') as number[] };
}

/** Marks a run completed with its size and tier cut-offs: from now on it is the run prospect pages read. */
export async function completeScoreRun(
  db: Queryable,
  runId: string,
  scored: number,
  cutoffs: TierCutoffs | null,
): Promise<{ workspaceId: string }> {
  const { rows } = await db.query<{ workspace_id: string }>(
    `UPDATE score_runs SET status = 'completed', finished_at = now(), accounts_scored = $2, tier_cutoffs = $3 WHERE id = $1 RETURNING workspace_id`,
    [runId, scored, JSON.stringify(cutoffs)],
  );
  return { workspaceId: rows[0].workspace_id };
}

/** Deletes a workspace's finished runs beyond its `kept` most recent completed ones (their scored rows go with them). */
export async function pruneScoreRuns(db: Queryable, workspaceId: string, kept: number): Promise<void> {
  await db.query(
    `DELETE FROM score_runs WHERE workspace_id = $1 AND status <> 'running' AND id NOT IN (
       SELECT id FROM score_runs WHERE workspace_id = $1 AND status = 'completed' ORDER BY finished_at DESC LIMIT $2)`,
    [workspaceId, kept],
  );
}

/**
 * Statistics that know the new run (its rows, how its attributes spread) before pages read it: the
 * page query's plan depends on them (pageRows), and PGlite has no autovacuum to gather them. VACUUM
 * marks the run's pages all-visible, so page walks read the index alone (index-only scans), and frees
 * the rows of deleted runs. Outside any transaction (VACUUM cannot run in one).
 */
export async function vacuumScores(db: Queryable): Promise<void> {
  await db.query('VACUUM (ANALYZE) account_scores');
}

/** Seed accounts of a lookalike request with their similarity vectors (null when not vectorised yet), by domain. */
export async function seedVectorsByDomain(
  db: Queryable,
  workspaceId: string,
  domains: string[],
): Promise<{ id: string; domain: string; embedding: SparseVector | null }[]> {
  // Vectors travel as JSON text: on PGlite that is several times cheaper than rows of pgvector values.
  const { rows } = await db.query<{ seeds: string | null }>(
    `SELECT json_agg(json_build_array(a.id::text, a.domain, v.embedding::text) ORDER BY a.domain)::text AS seeds
     FROM accounts a LEFT JOIN account_vectors v ON v.account_id = a.id
     WHERE a.workspace_id = $1 AND a.domain = ANY($2::text[])`,
    [workspaceId, domains],
  );
  return (JSON.parse(rows[0]?.seeds ?? '[]') as [string, string, string | null][]).map(([id, domain, embedding]) => ({
    id,
    domain,
    embedding: embedding === null ? null : parseSparsevec(embedding),
  }));
}

export interface NearestSelection {
  workspaceId: string;
  /** Left out (the seeds). */
  excludedIds: string[];
  includeCustomers: boolean;
  filters: AccountListFilters;
  centroid: SparseVector;
  limit: number;
  /**
   * Through the HNSW index (approximate, nearly in order) with this candidate list (`hnsw.ef_search`,
   * see hnswSearchList), or null: an exact scan of the workspace's vectors.
   */
  searchList: number | null;
}

/**
 * The eligible accounts nearest to `centroid` by cosine: ids and vectors only (account fields are read
 * for the accounts returned). Exclusion rules and filters apply in the query.
 */
export async function nearestAccounts(pool: pg.Pool, selection: NearestSelection): Promise<{ id: string; embedding: SparseVector }[]> {
  const c = new Conditions()
    .add(selection.workspaceId, (p) => `v.workspace_id = ${p}`)
    .add(selection.excludedIds, (p) => `a.id <> ALL(${p}::bigint[])`);
  c.where.push(`NOT ${EXCLUDED_SQL}`);
  if (!selection.includeCustomers) c.where.push(NOT_IN_CRM_SQL);
  addAccountFilters(c, selection.filters);
  const centroidParam = c.param(sparsevecLiteral(selection.centroid));
  const limitParam = c.param(selection.limit);
  const found = await withTransaction(pool, async (client) => {
    // `+ 0` hides the distance from the planner's index matching: an exact scan of the workspace's rows.
    const nearest = async (exact: boolean) =>
      JSON.parse(
        (
          await client.query<{ found: string | null }>(
            `SELECT json_agg(json_build_array(k.id::text, k.embedding::text))::text AS found FROM (
               SELECT a.id, v.embedding FROM account_vectors v JOIN accounts a ON a.id = v.account_id ${ELIGIBILITY_JOINS}
               WHERE ${c.sql()} ORDER BY (v.embedding <=> ${centroidParam}::sparsevec)${exact ? ' + 0' : ''} LIMIT ${limitParam}) k`,
            c.params,
          )
        ).rows[0]?.found ?? '[]',
      ) as [string, string][];
    if (selection.searchList === null) return nearest(true);
    // With HNSW, keep scanning the graph until enough rows pass the filters (pgvector ≥ 0.8), and make
    // the planner use the index at all: it estimates that well under 1 % of accounts pass the
    // eligibility and exclusion conditions, so it would rather compute every distance and sort.
    // (One round trip for the settings.)
    await client.query(
      `SET LOCAL enable_sort = off; SET LOCAL hnsw.iterative_scan = relaxed_order; SET LOCAL hnsw.max_scan_tuples = 100000;
       SET LOCAL hnsw.ef_search = ${Math.trunc(selection.searchList)}`,
    );
    const approximate = await nearest(false);
    if (approximate.length === selection.limit) return approximate;
    // Short because the scan gave up among other workspaces' rows: answer exactly instead.
    await client.query('SET LOCAL enable_sort = on');
    return nearest(true);
  });
  return found.map(([id, embedding]) => ({ id, embedding: parseSparsevec(embedding) }));
}
