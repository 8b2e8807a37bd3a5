import type pg from 'pg';
import type { Account } from '../accounts/schema.ts';
import type { Queryable } from '../db/pool.ts';
import { accountBatches } from '../features/service.ts';
import { accountVectors, describeFeatures, type FeatureInfo, type SparseVector } from '../features/spec.ts';
import { intentScore, type IntentSignal } from '../signals/intent.ts';
import { explainFit, topContributions } from '../model/explain.ts';
import { DenseScratch } from '../model/forest.ts';
import { criteriaScore } from '../icp/criteria.ts';
import { combineScore, SIMILARITY_TOP_K, similarityScore, tierCutoffs, WonIndex, type TierCutoffs } from '../model/ranking.ts';
import { modelArtifact, type ModelArtifact } from '../model/repository.ts';
import { NOT_IN_CRM_SQL } from './eligibility.ts';
import { runTask } from '../compute/thread.ts';
import { storedExplanation, type StoredExplanation } from './explanation.ts';
import { snapshotScoreRun } from '../backtests/service.ts';
import type { Enqueue } from '../jobs/queue.ts';

/** Accounts scored and written per statement. */
const SCORE_BATCH = 2_000;
/** Reason candidates kept per account as feature indexes and weights (the compact form; pages show the stored explanation). */
const STORED_REASONS = 8;
/** Nearest won accounts kept per account. */
const SIMILAR_KEPT = 3;
/** Signals older than this no longer move intent (the longest half-life is 120 days). */
export const INTENT_WINDOW_DAYS = 365;

/** A model ready to score: its artifact plus what scoring derives from it once. */
export interface ScoringModel {
  id: string;
  artifact: ModelArtifact;
  features: FeatureInfo[];
  won: WonIndex;
  /** Dense view of one account's model features at a time (one per model; scoring is synchronous). */
  scratch: DenseScratch;
}

/** Scoring models of this thread (the API's, or the compute thread's), by model id. */
const loaded = new Map<string, ScoringModel>();

function scoringModel(modelId: string, artifact: ModelArtifact): ScoringModel {
  const features = describeFeatures(artifact.vocabulary);
  const model = { id: modelId, artifact, features, won: new WonIndex(artifact.won.map((w) => w.vector)), scratch: new DenseScratch(features.length) };
  if (loaded.size >= 8) loaded.delete(loaded.keys().next().value!);
  loaded.set(modelId, model);
  return model;
}

export async function loadScoringModel(db: Queryable, modelId: string): Promise<ScoringModel> {
  return loaded.get(modelId) ?? scoringModel(modelId, await modelArtifact(db, modelId));
}

export interface AccountScore {
  score: number;
  fit: number | null;
  similarity: number;
  intent: number;
  /** Model features (sparse). */
  features: SparseVector;
  /** Similarity vector (sparse, unit length). */
  similarityVector: SparseVector;
  contributions: Map<number, number> | null;
  /** Indexes into the model's won list, nearest first. */
  similar: { index: number; similarity: number }[];
  intentResult: ReturnType<typeof intentScore>;
  /** Declared criteria met, when they are part of the ranking (cold start). */
  criteria: ReturnType<typeof criteriaScore> | null;
}

/** Won accounts kept per scored account: as many as the similarity sub-score and the stored list need. */
const NEAREST_KEPT = Math.max(SIMILAR_KEPT, SIMILARITY_TOP_K);

/**
 * The NEAREST_KEPT most similar won accounts, most similar first (ties by index), leaving out the
 * account itself, found without sorting the full list (the universe job does this for every account).
 */
function nearestWon(model: ScoringModel, sims: Float64Array, id: string | undefined): { index: number; similarity: number }[] {
  const top: { index: number; similarity: number }[] = [];
  const won = model.artifact.won;
  for (let index = 0; index < sims.length; index++) {
    const similarity = sims[index];
    if (top.length === NEAREST_KEPT && similarity <= top[NEAREST_KEPT - 1].similarity) continue;
    if (won[index].id === id) continue;
    let at = top.length;
    while (at > 0 && top[at - 1].similarity < similarity) at--;
    top.splice(at, 0, { index, similarity });
    if (top.length > NEAREST_KEPT) top.pop();
  }
  return top;
}

/**
 * Scores one account: the single definition used by the universe job and by on-demand fit.
 * `id` (the account's id) lets the forest score out-of-bag and keeps an account from counting as
 * similar to itself.
 */
export function scoreAccount(model: ScoringModel, account: Account, id: string | undefined, signals: IntentSignal[], now: Date): AccountScore {
  const { vocabulary, forest, blend } = model.artifact;
  const { features, similarity: vector } = accountVectors(account, vocabulary);
  const explanation = forest ? explainFit(forest, model.scratch.of(features), id) : null;
  const nearest = nearestWon(model, model.won.similarities(vector), id);
  const similarity = similarityScore(nearest.map((c) => c.similarity));
  const intentResult = intentScore(signals, now);
  const fit = explanation?.fit ?? null;
  const criteria = fit === null && model.artifact.criteria.length > 0 ? criteriaScore(account, model.artifact.criteria) : null;
  return {
    score: combineScore({ fit, similarity, intent: intentResult.score, criteria: criteria?.score ?? null }, blend),
    fit,
    similarity,
    intent: intentResult.score,
    features,
    similarityVector: vector,
    contributions: explanation?.contributions ?? null,
    similar: nearest.slice(0, SIMILAR_KEPT),
    intentResult,
    criteria,
  };
}

/**
 * Recent signals of a set of accounts, grouped by account id. They come back as one JSON document, not
 * as rows: on PGlite every row costs far more than its bytes (≈ 3× faster for a page's few hundred signals).
 */
export async function signalsFor(db: Queryable, accountIds: string[]): Promise<Map<string, IntentSignal[]>> {
  const byAccount = new Map<string, IntentSignal[]>();
  if (accountIds.length === 0) return byAccount;
  const { rows } = await db.query<{ signals: string | null }>(
    `SELECT json_agg(json_build_array(account_id::text, type, occurred_at, value, topic))::text AS signals FROM signals
     WHERE account_id = ANY($1::bigint[]) AND occurred_at > now() - make_interval(days => $2)`,
    [accountIds, INTENT_WINDOW_DAYS],
  );
  const signals = JSON.parse(rows[0]?.signals ?? '[]') as [string, string, string, number | null, string | null][];
  for (const [accountId, type, occurredAt, value, topic] of signals) {
    const list = byAccount.get(accountId) ?? [];
    list.push({ type, occurredAt: new Date(occurredAt), value, topic });
    byAccount.set(accountId, list);
  }
  return byAccount;
}

const round = (x: number) => Math.round(x * 1e5) / 1e5;

export interface ScoreBatchInput {
  modelId: string;
  /** Sent when the compute thread lacks the model (it answers `{ missingModel: true }`). */
  artifact?: ModelArtifact;
  accounts: { id: string; account: Account; signals: IntentSignal[] }[];
  now: Date;
}

/** The account_scores rows of a batch: a compute-thread task (see scoreAccountRange). */
export function scoreBatch(input: ScoreBatchInput): { missingModel: true } | { rows: ScoreRow[] } {
  const model = loaded.get(input.modelId) ?? (input.artifact ? scoringModel(input.modelId, input.artifact) : null);
  if (!model) return { missingModel: true };
  const rows = input.accounts.map(({ id, account, signals }) => {
    const s = scoreAccount(model, account, id, signals, input.now);
    const reasons = s.contributions ? topContributions(s.contributions, model.features, STORED_REASONS) : [];
    return {
      account_id: id,
      score: round(s.score),
      fit: round(s.fit ?? 0),
      similarity: round(s.similarity),
      intent: round(s.intent),
      criteria: s.criteria ? round(s.criteria.score) : null,
      reason_features: reasons.map((r) => r.index),
      reason_weights: reasons.map((r) => round(r.contribution)),
      similar_ids: s.similar.map((x) => model.artifact.won[x.index].id),
      similar_scores: s.similar.map((x) => round(x.similarity)),
      explanation: storedExplanation(model, {
        account,
        vectors: { features: s.features, similarity: s.similarityVector },
        contributions: s.contributions,
        similar: s.similar,
        intent: s.intentResult,
        criteria: s.criteria,
      }),
    };
  });
  return { rows };
}

/** One account_scores row as scoring writes it (pages read the same columns). */
export interface ScoreRow {
  account_id: string;
  score: number;
  fit: number;
  similarity: number;
  intent: number;
  criteria: number | null;
  reason_features: number[];
  reason_weights: number[];
  similar_ids: string[];
  similar_scores: number[];
  explanation: StoredExplanation;
}

/** Scores a batch on the compute thread, sending the model along the first time the thread needs it. */
async function scoreOnComputeThread(db: Queryable, input: Omit<ScoreBatchInput, 'artifact'>): Promise<ScoreRow[]> {
  const first = await runTask<ReturnType<typeof scoreBatch>>(SCORING_TASKS, 'scoreBatch', input);
  if ('rows' in first) return first.rows;
  const again = await runTask<ReturnType<typeof scoreBatch>>(SCORING_TASKS, 'scoreBatch', { ...input, artifact: await modelArtifact(db, input.modelId) });
  if ('rows' in again) return again.rows;
  throw new Error(`the compute thread could not load model ${input.modelId}`);
}
const SCORING_TASKS = new URL(import.meta.url);

/** Scores the accounts of one id range (or all) into a run; safe to repeat (rows are upserted). */
export async function scoreAccountRange(
  pool: pg.Pool,
  runId: string,
  range: { fromId?: string; toId?: string } = {},
  onProgress?: (accountsDone: number) => Promise<void>,
): Promise<number> {
  const run = (await pool.query<{ workspace_id: string; model_id: string }>('SELECT workspace_id, model_id FROM score_runs WHERE id = $1', [runId])).rows[0];
  if (!run) throw new Error(`score run ${runId} does not exist`);
  const now = new Date();
  // A two-stage pipeline: the compute thread scores batch n + 1 while this thread stores batch n and
  // reads batch n + 2, so the database and the scoring use both cores instead of taking turns.
  const batches = accountBatches(pool, run.workspace_id, SCORE_BATCH, range)[Symbol.asyncIterator]();
  const read = async () => {
    const next = await batches.next();
    if (next.done) return null;
    const signals = await signalsFor(pool, next.value.map((b) => b.id));
    return next.value.map(({ id, account }) => ({ id, account, signals: signals.get(id) ?? [] }));
  };
  const score = (accounts: ScoreBatchInput['accounts'] | null) => {
    if (!accounts) return null;
    const rows = scoreOnComputeThread(pool, { modelId: run.model_id, accounts, now });
    rows.catch(() => {}); // awaited below; not an unhandled rejection while the next batch is read
    return rows;
  };
  const store = async (rows: ScoreRow[]) => {
    await pool.query(
      // The attributes prospect pages filter on are copied from the account (sql/011_page_filters.sql).
      `INSERT INTO account_scores (run_id, account_id, score, fit, similarity, intent, criteria, reason_features, reason_weights, similar_ids, similar_scores,
         explanation, industry, country, employees, technologies, keywords)
       SELECT $1, r.account_id, r.score, r.fit, r.similarity, r.intent, r.criteria, r.reason_features, r.reason_weights, r.similar_ids, r.similar_scores,
         r.explanation, a.industry, a.country, a.employees, a.technologies, a.keywords
       FROM json_to_recordset($2::json) AS r(account_id bigint, score real, fit real, similarity real, intent real, criteria real,
         reason_features integer[], reason_weights real[], similar_ids bigint[], similar_scores real[], explanation json)
       JOIN accounts a ON a.id = r.account_id
       ON CONFLICT (run_id, account_id) DO UPDATE SET score = EXCLUDED.score, fit = EXCLUDED.fit, similarity = EXCLUDED.similarity,
         intent = EXCLUDED.intent, criteria = EXCLUDED.criteria, reason_features = EXCLUDED.reason_features, reason_weights = EXCLUDED.reason_weights,
         similar_ids = EXCLUDED.similar_ids, similar_scores = EXCLUDED.similar_scores, explanation = EXCLUDED.explanation, industry = EXCLUDED.industry, country = EXCLUDED.country,
         employees = EXCLUDED.employees, technologies = EXCLUDED.technologies, keywords = EXCLUDED.keywords`,
      [runId, JSON.stringify(rows)],
    );
  };
  let done = 0;
  let scoring = score(await read());
  while (scoring) {
    const following = await read();
    const rows = await scoring;
    scoring = score(following);
    await store(rows);
    done += rows.length;
    await onProgress?.(done);
  }
  return done;
}

export async function createScoreRun(db: Queryable, workspaceId: string, modelId: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>('INSERT INTO score_runs (workspace_id, model_id) VALUES ($1, $2) RETURNING id', [workspaceId, modelId]);
  return rows[0].id;
}

/** Runs that cursors handed out recently may still page through; older ones are deleted. */
const KEPT_RUNS = 2;

/**
 * Completes a run: tier cut-offs over its prospects (accounts without a won/lost/churned/open
 * outcome), then it becomes the one prospect pages read. Older runs beyond KEPT_RUNS are dropped.
 */
export async function finishScoreRun(pool: pg.Pool, runId: string, enqueue?: Enqueue): Promise<{ accountsScored: number; cutoffs: TierCutoffs | null }> {
  const { rows } = await pool.query<{ score: number }>(
    `SELECT s.score FROM account_scores s LEFT JOIN outcomes o ON o.account_id = s.account_id
     WHERE s.run_id = $1 AND ${NOT_IN_CRM_SQL}`,
    [runId],
  );
  const cutoffs = rows.length > 0 ? tierCutoffs(rows.map((r) => r.score)) : null;
  const scored = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM account_scores WHERE run_id = $1', [runId])).rows[0].n;
  const { rows: run } = await pool.query<{ workspace_id: string }>(
    `UPDATE score_runs SET status = 'completed', finished_at = now(), accounts_scored = $2, tier_cutoffs = $3 WHERE id = $1 RETURNING workspace_id`,
    [runId, scored, JSON.stringify(cutoffs)],
  );
  // Backtest snapshot (kept beyond the runs deleted below) and the scoring webhooks.
  await snapshotScoreRun(pool, runId, enqueue);
  await pool.query(
    `DELETE FROM score_runs WHERE workspace_id = $1 AND status <> 'running' AND id NOT IN (
       SELECT id FROM score_runs WHERE workspace_id = $1 AND status = 'completed' ORDER BY finished_at DESC LIMIT $2)`,
    [run[0].workspace_id, KEPT_RUNS],
  );
  // Statistics that know the new run (its rows, how its attributes spread) before pages read it: the
  // page query's plan depends on them (pageRows), and PGlite has no autovacuum to gather them. VACUUM
  // marks the run's pages all-visible, so page walks read the index alone (index-only scans), and
  // frees the rows of the runs deleted above.
  await pool.query('VACUUM (ANALYZE) account_scores');
  return { accountsScored: scored, cutoffs };
}

/**
 * Splits a workspace's accounts into id ranges of about `size` accounts each, for scoring in chunks
 * (scoreAccountRange). The last range is open-ended, so accounts added after planning are still scored.
 */
export async function accountIdRanges(db: Queryable, workspaceId: string, size: number): Promise<{ fromId?: string; toId?: string }[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n, count(*) OVER () AS total FROM accounts WHERE workspace_id = $1) numbered
     WHERE n % $2 = 0 AND n < total ORDER BY id`,
    [workspaceId, size],
  );
  const bounds = rows.map((r) => r.id);
  return [...bounds, undefined].map((toId, i) => ({ fromId: bounds[i - 1], toId }));
}
