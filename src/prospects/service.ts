import type pg from 'pg';
import { ACCOUNT_COLUMNS, addAccountFilters, findAccount, toAccount, type AccountListFilters, type AccountRow } from '../accounts/repository.ts';
import type { Account } from '../accounts/schema.ts';
import { Conditions } from '../db/conditions.ts';
import { csvLine } from '../lib/csv.ts';
import { withTransaction, type Queryable } from '../db/pool.ts';
import { ApiError } from '../http/errors.ts';
import { tierFor, TIER_RULES, type TierCutoffs } from '../model/ranking.ts';
import { accountVectors } from '../features/spec.ts';
import { intentScore, type IntentSignal } from '../signals/intent.ts';
import { explainScore, readExplanation, type StoredExplanation } from './explanation.ts';
import { criteriaScore } from '../icp/criteria.ts';
import { ELIGIBILITY_JOINS, PROSPECT_SQL } from './eligibility.ts';
import type { Prospect, ProspectQuery } from './schema.ts';
import { loadScoringModel, scoreAccount, type ScoreRow, type ScoringModel } from './scoring.ts';
import { signalsFor } from '../signals/repository.ts';
import { confidenceWithCoverage, dataCoverageFor } from '../coverage/service.ts';

export interface ScoreRun {
  id: string;
  modelId: string;
  cutoffs: TierCutoffs | null;
  finishedAt: Date | null;
}

export interface ModelRef {
  id: string;
  version: number;
  kind: 'forest' | 'similarity';
  confidence: 'high' | 'medium' | 'low';
  active: boolean;
  scoredAt: string | null;
}

/** Without a run's cut-offs (no prospects scored yet) a tier is decided by the floors alone. */
const FLOOR_CUTOFFS: TierCutoffs = { A: TIER_RULES.A.floor, B: TIER_RULES.B.floor, C: TIER_RULES.C.floor };

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
  const { rows } = await db.query<RunRow>(
    `SELECT r.id, r.model_id, r.tier_cutoffs, r.finished_at FROM score_runs r JOIN models m ON m.id = r.model_id
     WHERE r.workspace_id = $1 AND r.status = 'completed' ORDER BY m.active DESC, r.finished_at DESC LIMIT 1`,
    [workspaceId],
  );
  return rows[0] ? toRun(rows[0]) : null;
}

async function runById(db: Queryable, workspaceId: string, runId: string): Promise<ScoreRun | null> {
  const { rows } = await db.query<RunRow>(
    "SELECT id, model_id, tier_cutoffs, finished_at FROM score_runs WHERE workspace_id = $1 AND id = $2 AND status = 'completed'",
    [workspaceId, runId],
  );
  return rows[0] ? toRun(rows[0]) : null;
}

export async function modelRef(db: Queryable, modelId: string, scoredAt: Date | null): Promise<ModelRef> {
  const { rows } = await db.query<{ id: string; version: number; kind: ModelRef['kind']; confidence: ModelRef['confidence']; active: boolean }>(
    'SELECT id, version, kind, confidence, active FROM models WHERE id = $1',
    [modelId],
  );
  return { ...rows[0], scoredAt: scoredAt?.toISOString() ?? null };
}

interface ScoredRow extends AccountRow, Omit<ScoreRow, 'account_id' | 'explanation'> {
  /** Stored by runs since sql/011_page_filters.sql; null in runs scored before. */
  explanation: StoredExplanation | null;
}

interface Cursor {
  run: string;
  score: number;
  id: string;
}
const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function decodeCursor(text: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    // Checked to the type each part has in SQL: a forged cursor is a 400 here, not a database error.
    if (typeof c.run === 'string' && UUID.test(c.run) && Number.isFinite(c.score) && Math.abs(c.score) <= 1e30 && typeof c.id === 'string' && /^\d{1,18}$/.test(c.id)) return c;
  } catch {
    // fall through to the error below
  }
  throw new ApiError(400, 'invalid_cursor', 'The cursor is not one this API issued; start again without it');
}

function tierCondition(tiers: ProspectQuery['tier'], cutoffs: TierCutoffs, c: Conditions) {
  if (!tiers || tiers.length === 0) return;
  const ranges = { A: [cutoffs.A, null], B: [cutoffs.B, cutoffs.A], C: [cutoffs.C, cutoffs.B], D: [null, cutoffs.C] } as const;
  const parts = [...new Set(tiers)].map((t) => {
    const [min, max] = ranges[t];
    const lower = min === null ? 'true' : `s.score >= ${c.param(min)}::real`;
    const upper = max === null ? 'true' : `s.score < ${c.param(max)}::real`;
    return `(${lower} AND ${upper})`;
  });
  c.where.push(`(${parts.join(' OR ')})`);
}

/**
 * Rows a page's first query walks, per row of the page, before the page takes the other plan (see
 * pageRows): 5,000 for a page of 100.
 */
const WALK_ROWS_PER_ROW = 50;

/**
 * One page of a run's prospects, best first, read from the run's scored rows, which carry the
 * attributes the filters read (sql/011_page_filters.sql; the account's current values are checked
 * as well, so an account edited since it was scored never shows under a filter it no longer matches).
 *
 * The first plan walks the run's rows in ranking order on an index: account_scores_rank, or with a
 * country (else industry) filter that column's (run, column, score) index, so only matching rows are
 * walked. Each row's account is looked up by id and checked for eligibility in a LATERAL subquery
 * (OFFSET 0 keeps it one), and the walk stops once the page is full. Left to itself the planner rarely
 * does this: it cannot see that most accounts pass the eligibility and exclusion conditions (it
 * estimates well under 1 %), and PGlite has no autovacuum, so it joins the whole run and sorts it
 * (≈ 0.4 s at 100k accounts on PostgreSQL, seconds on PGlite). Sorting is therefore disabled for the
 * statement, which leaves the ordered walk the only way to get the order.
 *
 * The other filters (technology, keyword, employees, industry beside a country) have no ordered index.
 * Filters that describe the ICP match near the top of the ranking and the walk fills the page at once;
 * a rare one would make it read most of the run. So with such filters the walk reads at most
 * WALK_ROWS_PER_ROW × limit rows (a LIMIT inside, the filters outside it), and when that does not fill
 * the page the second plan reads the run's matching rows through the filter indexes (GIN on the
 * arrays, ANDed with the country, industry or employees index), sorts just those and takes the page:
 * sorting allowed, the planner choosing from account_scores' statistics (finishScoreRun analyses it).
 */
async function pageRows(pool: pg.Pool, workspaceId: string, run: ScoreRun, query: ProspectQuery, after: Cursor | null, limit: number) {
  const c = new Conditions();
  const walk = [`s.run_id = ${c.param(run.id)}`];
  const rest: string[] = [];
  const add = (into: string[], value: unknown, sql: (p: string) => string) => value !== undefined && into.push(sql(c.param(value)));
  add(walk, query.minScore, (p) => `s.score >= ${p}::real`);
  const tiers = new Conditions(c.params);
  tierCondition(query.tier, run.cutoffs ?? FLOOR_CUTOFFS, tiers);
  walk.push(...tiers.where);
  if (after) walk.push(`(s.score, s.account_id) < (${c.param(after.score)}::real, ${c.param(after.id)}::bigint)`);
  add(walk, query.country, (p) => `s.country = ${p}`);
  add(query.country === undefined ? walk : rest, query.industry, (p) => `s.industry = ${p}`);
  add(rest, query.technology, (p) => `s.technologies @> ARRAY[${p}::text]`);
  add(rest, query.keyword, (p) => `s.keywords @> ARRAY[${p}::text]`);
  add(rest, query.minEmployees, (p) => `s.employees >= ${p}`);
  add(rest, query.maxEmployees, (p) => `s.employees <= ${p}`);
  const eligible = new Conditions(c.params).add(workspaceId, (p) => `a.workspace_id = ${p}`);
  eligible.where.push(PROSPECT_SQL);
  addAccountFilters(eligible, query satisfies AccountListFilters);
  const pageSql = (scores: string[], walkLimit: number | null, after: string[]) => `
    SELECT json_agg(p ORDER BY p.score DESC, p.id DESC)::text AS rows
    FROM (SELECT ${ACCOUNT_COLUMNS}, a.id::text AS id_text, s.score, s.fit, s.similarity, s.intent, s.criteria, s.explanation,
            -- The compact form only for rows stored without an explanation (runs scored before sql/011).
            CASE WHEN s.explanation IS NULL THEN s.reason_features END AS reason_features,
            CASE WHEN s.explanation IS NULL THEN s.reason_weights END AS reason_weights,
            CASE WHEN s.explanation IS NULL THEN s.similar_ids::text[] END AS similar_ids,
            CASE WHEN s.explanation IS NULL THEN s.similar_scores END AS similar_scores
          FROM (SELECT * FROM account_scores s WHERE ${scores.join(' AND ')} ORDER BY s.score DESC, s.account_id DESC
                ${walkLimit === null ? '' : `LIMIT ${walkLimit}`}) s
          CROSS JOIN LATERAL (SELECT a.* FROM accounts a ${ELIGIBILITY_JOINS} WHERE a.id = s.account_id AND ${eligible.sql()} OFFSET 0) a
          WHERE ${after.length > 0 ? after.join(' AND ') : 'true'}
          ORDER BY s.score DESC, s.account_id DESC LIMIT ${limit}) p`;
  const parse = (json: string | null | undefined) => {
    const rows = JSON.parse(json ?? '[]') as (ScoredRow & { id_text: string })[];
    for (const row of rows) row.id = row.id_text;
    return rows as ScoredRow[];
  };
  const walked = parse(
    await withTransaction(pool, async (client) => {
      await client.query('SET LOCAL enable_sort = off');
      const sql = pageSql(walk, rest.length > 0 ? WALK_ROWS_PER_ROW * limit : null, rest);
      return (await client.query<{ rows: string | null }>(sql, c.params)).rows[0]?.rows;
    }),
  );
  if (walked.length === limit || rest.length === 0) return walked;
  return parse((await pool.query<{ rows: string | null }>(pageSql([...walk, ...rest], null, []), c.params)).rows[0]?.rows);
}

/**
 * Prospects as a page shows them. A run stores each account's explanation when it scores it
 * (storedExplanation), so a page only dates the intent reasons; rows of a run scored before that are
 * explained here, from the account, the model and the signals, as scoring would have.
 */
async function renderRows(db: Queryable, model: ScoringModel, run: ScoreRun, rows: ScoredRow[]): Promise<Prospect[]> {
  const now = new Date();
  const unexplained = rows.filter((r) => r.explanation === null);
  const signals = await signalsFor(db, unexplained.filter((r) => r.intent > 0).map((r) => r.id));
  const wonIndex = unexplained.length > 0 ? new Map(model.artifact.won.map((w, i) => [w.id, i])) : null;
  const coverage = dataCoverageFor(model);
  return rows.map((r) => {
    const account = toAccount(r);
    const { reasons, similarTo } = r.explanation ? readExplanation(r.explanation, now) : explainRow(model, r, account, wonIndex!, signals, now);
    return {
      domain: r.domain,
      name: r.name,
      score: r.score,
      tier: tierFor(r.score, run.cutoffs ?? FLOOR_CUTOFFS),
      subscores: { fit: model.artifact.forest ? r.fit : null, similarity: r.similarity, intent: r.intent, criteria: r.criteria },
      reasons,
      similarTo,
      account,
      dataCoverage: coverage(account),
    };
  });
}

/** The explanation of a row scored without one stored: re-featurised from the account. */
function explainRow(model: ScoringModel, r: ScoredRow, account: Account, wonIndex: Map<string, number>, signals: Map<string, IntentSignal[]>, now: Date) {
  const { vocabulary, forest } = model.artifact;
  return explainScore(
    model,
    {
      account,
      vectors: accountVectors(account, vocabulary),
      contributions: forest ? { index: r.reason_features, value: r.reason_weights } : null,
      similar: r.similar_ids.map((id, i) => ({ index: wonIndex.get(id)!, similarity: r.similar_scores[i] })),
      intent: intentScore(signals.get(r.id) ?? [], now),
      criteria: r.criteria === null ? null : criteriaScore(account, model.artifact.criteria),
    },
    now,
  );
}

async function runFor(db: Queryable, workspaceId: string, cursor: Cursor | null): Promise<ScoreRun> {
  if (cursor) {
    const run = await runById(db, workspaceId, cursor.run);
    if (!run) throw new ApiError(410, 'cursor_expired', 'The scoring run this cursor belongs to has been replaced by newer scores; start again without a cursor');
    return run;
  }
  const run = await currentRun(db, workspaceId);
  if (!run) {
    throw new ApiError(409, 'no_scores', 'No scored prospects yet: train a model (POST /v1/models); scoring the universe follows automatically');
  }
  return run;
}

export async function prospectPage(pool: pg.Pool, workspaceId: string, query: ProspectQuery) {
  const cursor = query.cursor ? decodeCursor(query.cursor) : null;
  const run = await runFor(pool, workspaceId, cursor);
  const model = await loadScoringModel(pool, run.modelId);
  const rows = await pageRows(pool, workspaceId, run, query, cursor, query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const ref = await modelRef(pool, run.modelId, run.finishedAt);
  return {
    data: await renderRows(pool, model, run, page),
    nextCursor: rows.length > query.limit ? encodeCursor({ run: run.id, score: last.score, id: last.id }) : null,
    model: ref,
    confidence: ref.confidence,
  };
}

/** One naming style for every column: the JSON field names (camelCase). */
export const CSV_COLUMNS = [
  'rank', 'domain', 'name', 'score', 'tier', 'fit', 'similarity', 'intent', 'reason1', 'reason2', 'reason3', 'moreReasons', 'similarTo',
  'industry', 'employees', 'revenue', 'country', 'region', 'city', 'foundedYear', 'businessModel', 'stage', 'technologies', 'keywords',
] as const;

/** The CSV line of one prospect: reasons flattened into columns a rep can read in a spreadsheet. */
export function prospectCsvLine(p: Prospect, rank: number): string {
  const [r1, r2, r3, ...more] = p.reasons.map((r) => `${r.direction === 'negative' ? '(−) ' : ''}${r.label}`);
  const a = p.account;
  const values = [
    rank, p.domain, p.name, p.score, p.tier, p.subscores.fit, p.subscores.similarity, p.subscores.intent, r1, r2, r3, more.join(' | '),
    p.similarTo.map((s) => `${s.domain} (${s.similarity.toFixed(2)})`).join('; '),
    a.industry, a.employees, a.revenue, a.country, a.region, a.city, a.foundedYear, a.businessModel, a.stage, a.technologies, a.keywords,
  ];
  return csvLine(values);
}

/** The whole filtered list, streamed page by page from one run (so it is consistent while a rescore runs). */
export async function* prospectCsv(pool: pg.Pool, workspaceId: string, query: ProspectQuery): AsyncGenerator<string> {
  const run = await runFor(pool, workspaceId, null);
  const model = await loadScoringModel(pool, run.modelId);
  yield csvLine(CSV_COLUMNS);
  let after: Cursor | null = null;
  let rank = 0;
  for (;;) {
    const rows = await pageRows(pool, workspaceId, run, query, after, 1000);
    if (rows.length === 0) return;
    for (const p of await renderRows(pool, model, run, rows)) yield prospectCsvLine(p, ++rank);
    const last = rows[rows.length - 1];
    after = { run: run.id, score: last.score, id: last.id };
  }
}

/** Score and explanation for one account on demand, with the active model (also for accounts no run has seen). */
export async function accountFit(pool: pg.Pool, workspaceId: string, domain: string) {
  const row = await findAccount(pool, workspaceId, domain);
  if (!row) throw new ApiError(404, 'not_found', `Account ${domain} not found`);
  const { rows } = await pool.query<{ id: string }>('SELECT id FROM models WHERE workspace_id = $1 AND active', [workspaceId]);
  if (!rows[0]) throw new ApiError(409, 'no_model', 'No active model: train one first (POST /v1/models)');
  const model = await loadScoringModel(pool, rows[0].id);
  const run = await currentRun(pool, workspaceId);
  const cutoffs = run?.modelId === model.id && run.cutoffs ? run.cutoffs : FLOOR_CUTOFFS;
  const now = new Date();
  const account = toAccount(row);
  const signals = await signalsFor(pool, [row.id]);
  const s = scoreAccount(model, account, row.id, signals.get(row.id) ?? [], now);
  const outcome = (await pool.query<{ status: string }>('SELECT status FROM outcomes WHERE account_id = $1', [row.id])).rows[0];
  const ref = await modelRef(pool, model.id, run?.modelId === model.id ? run.finishedAt : null);
  const dataCoverage = dataCoverageFor(model)(account);
  return {
    domain: account.domain,
    score: s.score,
    tier: tierFor(s.score, cutoffs),
    subscores: { fit: s.fit, similarity: s.similarity, intent: s.intent, criteria: s.criteria?.score ?? null },
    ...explainScore(
      model,
      { account, vectors: { features: s.features, similarity: s.similarityVector }, contributions: s.contributions, similar: s.similar, intent: s.intentResult, criteria: s.criteria },
      now,
    ),
    model: ref,
    confidence: confidenceWithCoverage(ref.confidence, dataCoverage),
    dataCoverage,
    outcome: outcome?.status ?? null,
  };
}
