import type pg from 'pg';
import { activeModelId } from '../model/repository.ts';
import { findAccount, toAccount } from '../accounts/repository.ts';
import { confidenceWithCoverage, dataCoverageFor } from '../coverage/service.ts';
import { DomainError } from '../lib/errors.ts';
import { databaseSnapshot } from '../db/snapshot.ts';
import { csvLine } from '../lib/csv.ts';
import { tierFor, TIER_RULES, type TierCutoffs } from '../model/ranking.ts';
import { outcomeOf } from '../outcomes/repository.ts';
import { explainScore, explanationInput, pageExplanations } from './explanation.ts';
import { shownProspectText } from './prospect-text.ts';
import type { PageCache, ReadPage } from './page-cache.ts';
import { weakEtag } from '../http/etag.ts';
import { CSV_COLUMNS, prospectCsvLine, toProspect } from './render.ts';
import { completedRun, currentRun, modelRef, type PageRow, pageRows, type PageSelection, type ScoreRun } from './repository.ts';
import { Prospect, ProspectPage, type ProspectQuery } from './schema.ts';
import { servedRun } from './readiness.ts';
import { loadScoringModel, roundScore, scoreAccount, type ScoringModel } from './scoring.ts';
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

const tierOf = (run: ScoreRun, score: number) => tierFor(score, run.cutoffs ?? FLOOR_CUTOFFS);

/**
 * The page's rows that come without a stored prospect text (runs scored before sql/019, accounts edited
 * since they were scored), rendered from the scored row and the account's current values and checked
 * against the Prospect schema; undefined for the others.
 */
async function renderUnstored(pool: pg.Pool, model: ScoringModel, run: ScoreRun, rows: PageRow[], now: Date) {
  const scored = rows.flatMap((r) => (r.scored ? [r.scored] : []));
  if (scored.length === 0) return rows.map(() => undefined);
  const explanations = await pageExplanations(model, scored, now, (ids) => signalsFor(pool, ids));
  const coverage = dataCoverageFor(model);
  const forest = Boolean(model.artifact.forest);
  let next = 0;
  return rows.map((r) =>
    r.scored
      ? Prospect.encode({
          ...toProspect(toAccount(r.scored), r.scored, explanations[next++], forest, coverage),
          tier: tierOf(run, r.score),
        })
      : undefined,
  );
}

/**
 * The JSON texts of a page's prospects, in order: stored texts with their holes filled, the others
 * rendered; and until when they read the same (0 with a rendered one: its ages are not kept apart).
 */
async function prospectTexts(pool: pg.Pool, model: ScoringModel, run: ScoreRun, rows: PageRow[], now: Date) {
  const rendered = await renderUnstored(pool, model, run, rows, now);
  const shown = rows.map((r, i) =>
    r.prospect === null ? { text: JSON.stringify(rendered[i]), sameUntil: 0 } : shownProspectText(r.prospect, tierOf(run, r.score), now),
  );
  return { texts: shown.map((s) => s.text), sameUntil: Math.min(...shown.map((s) => s.sameUntil)) };
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

/** A page's fields after its prospects, checked as the response schema checks them. */
const PageEnvelope = ProspectPage.omit({ data: true });

/**
 * One page as the JSON text the API sends: the prospects' texts joined in the walk's order inside the
 * envelope, with no object built, checked or serialised per stored prospect (see ./prospect-text.ts);
 * and until when, the data unchanged, it reads the same (ms since the epoch).
 */
export async function prospectPageText(pool: pg.Pool, workspaceId: string, query: ProspectQuery) {
  const cursor = query.cursor ? decodeCursor(query.cursor) : null;
  const run = await runFor(pool, workspaceId, cursor);
  const model = await loadScoringModel(pool, run.modelId);
  const rows = await pageRows(pool, workspaceId, selection(run, query, cursor, query.limit + 1));
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const ref = await modelRef(pool, run.modelId, run);
  const { texts, sameUntil } = await prospectTexts(pool, model, run, page, new Date());
  const envelope = PageEnvelope.encode({
    nextCursor: rows.length > query.limit ? encodeCursor({ run: run.id, score: last.score, id: last.id }) : null,
    model: ref,
    confidence: ref.confidence,
  });
  return { text: `{"data":[${texts.join(',')}],${JSON.stringify(envelope).slice(1)}`, sameUntil };
}

/**
 * A page's bytes, read or copied from `cache` (./page-cache.ts) as the database's current snapshot
 * allows; compressed only when asked for in a coding (`encoded`), so a 304 compresses nothing.
 */
export async function prospectPageBytes(pool: pg.Pool, cache: PageCache, workspaceId: string, query: ProspectQuery): Promise<ReadPage> {
  const snapshot = await databaseSnapshot(pool);
  const read = async () => {
    const page = await prospectPageText(pool, workspaceId, query);
    const body = Buffer.from(page.text);
    return { body, etag: weakEtag(body), sameUntil: page.sameUntil };
  };
  return cache.page(`${workspaceId} ${JSON.stringify(query)}`, snapshot, read);
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
    const now = new Date();
    const rendered = await renderUnstored(pool, model, run, rows, now);
    for (const [i, r] of rows.entries()) {
      const prospect =
        r.prospect === null ? rendered[i]! : (JSON.parse(shownProspectText(r.prospect, tierOf(run, r.score), now).text) as Prospect);
      yield prospectCsvLine(prospect, ++rank);
    }
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
