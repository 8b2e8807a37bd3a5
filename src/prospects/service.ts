import type pg from 'pg';
import { activeModelId } from '../model/repository.ts';
import { findAccount, toAccount } from '../accounts/repository.ts';
import { confidenceWithCoverage, dataCoverageFor } from '../coverage/service.ts';
import { DomainError } from '../lib/errors.ts';
import { csvLine } from '../lib/csv.ts';
import { tierFor, TIER_RULES, type TierCutoffs } from '../model/ranking.ts';
import { outcomeOf } from '../outcomes/repository.ts';
import { explainScore, pageExplanations } from './explanation.ts';
import { CSV_COLUMNS, prospectCsvLine, toProspect } from './render.ts';
import { completedRun, currentRun, modelRef, pageRows, type PageSelection, type ScoredRow, type ScoreRun } from './repository.ts';
import type { Prospect, ProspectQuery } from './schema.ts';
import { servedRun } from './readiness.ts';
import { explanationInput, loadScoringModel, roundScore, scoreAccount, type ScoringModel } from './scoring.ts';
import { signalsFor } from '../signals/repository.ts';

/** Without a run's cut-offs (no prospects scored yet) a tier is decided by the floors alone. */
const FLOOR_CUTOFFS: TierCutoffs = { A: TIER_RULES.A.floor, B: TIER_RULES.B.floor, C: TIER_RULES.C.floor };

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
    if (
      typeof c.run === 'string' &&
      UUID.test(c.run) &&
      Number.isFinite(c.score) &&
      Math.abs(c.score) <= 1e30 &&
      typeof c.id === 'string' &&
      /^\d{1,18}$/.test(c.id)
    )
      return c;
  } catch {
    // fall through to the error below
  }
  throw new DomainError('invalid', 'invalid_cursor', 'The cursor is not one this API issued; start again without it');
}

/** A tier is a score range of the run (its cut-offs). */
function scoreRanges(tiers: ProspectQuery['tier'], cutoffs: TierCutoffs): PageSelection['scoreRanges'] {
  if (!tiers || tiers.length === 0) return null;
  const ranges = { A: [cutoffs.A, null], B: [cutoffs.B, cutoffs.A], C: [cutoffs.C, cutoffs.B], D: [null, cutoffs.C] } as const;
  return [...new Set(tiers)].map((t) => [...ranges[t]]);
}

function selection(run: ScoreRun, query: ProspectQuery, after: Cursor | null, limit: number): PageSelection {
  const { industry, country, technology, keyword, minEmployees, maxEmployees } = query;
  return {
    runId: run.id,
    scoreRanges: scoreRanges(query.tier, run.cutoffs ?? FLOOR_CUTOFFS),
    minScore: query.minScore,
    after,
    filters: { industry, country, technology, keyword, minEmployees, maxEmployees },
    limit,
  };
}

async function renderRows(pool: pg.Pool, model: ScoringModel, run: ScoreRun, rows: ScoredRow[]): Promise<Prospect[]> {
  const explanations = await pageExplanations(model, rows, new Date(), (ids) => signalsFor(pool, ids));
  const coverage = dataCoverageFor(model);
  const forest = Boolean(model.artifact.forest);
  return rows.map((r, i) => toProspect(r, tierFor(r.score, run.cutoffs ?? FLOOR_CUTOFFS), explanations[i], forest, coverage));
}

async function runFor(pool: pg.Pool, workspaceId: string, cursor: Cursor | null): Promise<ScoreRun> {
  if (cursor) {
    const run = await completedRun(pool, workspaceId, cursor.run);
    if (!run)
      throw new DomainError(
        'gone',
        'cursor_expired',
        'The scoring run this cursor belongs to has been replaced by newer scores; start again without a cursor',
      );
    return run;
  }
  return servedRun(pool, workspaceId);
}

export async function prospectPage(pool: pg.Pool, workspaceId: string, query: ProspectQuery) {
  const cursor = query.cursor ? decodeCursor(query.cursor) : null;
  const run = await runFor(pool, workspaceId, cursor);
  const model = await loadScoringModel(pool, run.modelId);
  const rows = await pageRows(pool, workspaceId, selection(run, query, cursor, query.limit + 1));
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const ref = await modelRef(pool, run.modelId, run);
  return {
    data: await renderRows(pool, model, run, page),
    nextCursor: rows.length > query.limit ? encodeCursor({ run: run.id, score: last.score, id: last.id }) : null,
    model: ref,
    confidence: ref.confidence,
  };
}

/** The whole filtered list, streamed page by page from one run (so it is consistent while a rescore runs). */
export async function* prospectCsv(pool: pg.Pool, workspaceId: string, query: ProspectQuery): AsyncGenerator<string> {
  const run = await runFor(pool, workspaceId, null);
  const model = await loadScoringModel(pool, run.modelId);
  yield csvLine(CSV_COLUMNS);
  let after: Cursor | null = null;
  let rank = 0;
  for (;;) {
    const rows = await pageRows(pool, workspaceId, selection(run, query, after, 1000));
    if (rows.length === 0) return;
    for (const p of await renderRows(pool, model, run, rows)) yield prospectCsvLine(p, ++rank);
    const last = rows[rows.length - 1];
    after = { run: run.id, score: last.score, id: last.id };
  }
}

/** Score and explanation for one account on demand, with the active model (also for accounts no run has seen). */
export async function accountFit(pool: pg.Pool, workspaceId: string, domain: string) {
  const row = await findAccount(pool, workspaceId, domain);
  if (!row) throw new DomainError('not_found', 'not_found', `Account ${domain} not found`);
  const modelId = await activeModelId(pool, workspaceId);
  if (!modelId) throw new DomainError('conflict', 'no_model', 'No active model: train one first (POST /v1/models)');
  const model = await loadScoringModel(pool, modelId);
  const run = await currentRun(pool, workspaceId);
  const cutoffs = run?.modelId === model.id && run.cutoffs ? run.cutoffs : FLOOR_CUTOFFS;
  const now = new Date();
  const account = toAccount(row);
  const signals = await signalsFor(pool, [row.id]);
  const s = scoreAccount(model, account, row.id, signals.get(row.id) ?? [], now);
  const outcome = await outcomeOf(pool, row.id);
  const ref = await modelRef(pool, model.id, run?.modelId === model.id ? run : null);
  const dataCoverage = dataCoverageFor(model)(account);
  return {
    domain: account.domain,
    score: roundScore(s.score),
    tier: tierFor(s.score, cutoffs),
    subscores: {
      fit: s.fit === null ? null : roundScore(s.fit),
      similarity: roundScore(s.similarity),
      intent: roundScore(s.intent),
      criteria: s.criteria ? roundScore(s.criteria.score) : null,
    },
    ...explainScore(model, explanationInput(account, s), now),
    model: ref,
    confidence: confidenceWithCoverage(ref.confidence, dataCoverage),
    dataCoverage,
    outcome: outcome?.status ?? null,
  };
}
