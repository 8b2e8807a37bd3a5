/**
 * Backtests: how earlier rankings turned out. Every completed scoring run is snapshotted (its
 * prospects' rank, score and tier; src/backtests/repository.ts) and kept for BACKTEST_RETENTION_RUNS
 * runs. For a snapshot, the population followed is the run's prospects — accounts without an outcome
 * (or a competitor's customer) when it was scored — and the events are the outcomes decided after it.
 */
import type pg from 'pg';
import { withTransaction } from '../db/pool.ts';
import { DomainError } from '../lib/errors.ts';
import { liftOf, round4, significant3, wilsonInterval } from '../icp/statistics.ts';
import type { Enqueue } from '../jobs/queue.ts';
import type { JobLog } from '../lib/log.ts';
import type { Tier } from '../model/ranking.ts';
import { modelVersion } from '../model/repository.ts';
import { scoreRun } from '../prospects/repository.ts';
import { emitEvent } from '../webhooks/service.ts';
import {
  decidedSince,
  getSnapshot,
  insertSnapshot,
  listSnapshots,
  previousSnapshot,
  pruneSnapshots,
  tierChanges,
  tierSizes,
  type Decided,
  type DecidedStatus,
  type Snapshot,
} from './repository.ts';
import type { Backtest, BacktestQuery } from './schema.ts';

/** Scoring-run snapshots kept per workspace, unless the configuration says otherwise (BACKTEST_RETENTION_RUNS). */
export const DEFAULT_RETENTION_RUNS = 12;

export const TIERS: Tier[] = ['A', 'B', 'C', 'D'];
export const KS = [10, 50, 100];
/** Tier changes carried in one prospects.tier_changed payload; the rest are a link away. */
export const TIER_CHANGES_IN_PAYLOAD = 500;

// ---------------------------------------------------------------------------------------------
// The figures (pure)

const interval = (x: number, n: number) => {
  const { low, high } = wilsonInterval(x, n);
  return { low: round4(low), high: round4(high) };
};

function outcomeCounts(decided: Decided[]) {
  const count = (s: DecidedStatus) => decided.filter((d) => d.status === s).length;
  return {
    total: decided.length,
    won: count('won'),
    lost: count('lost'),
    churned: count('churned'),
    open: count('open'),
    competitorCustomer: count('competitor_customer'),
  };
}

/** "22%", "<1%", "0%". */
export function percent(x: number): string {
  if (x === 0) return '0%';
  if (x < 0.01) return '<1%';
  return `${Math.round(x * 100)}%`;
}

/** 3 March 2026 (UTC). */
export const dayOf = (d: Date) => d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

export interface BacktestInput {
  run: Pick<Snapshot, 'runId' | 'modelId' | 'modelVersion' | 'finishedAt' | 'prospects'>;
  sizes: Record<Tier, number>;
  decided: Decided[];
}

/** Win rates by tier, precision and recall at k, lift of tier A, with 95% intervals, and the sentence. */
export function computeBacktest({ run, sizes, decided }: BacktestInput): Backtest {
  const n = run.prospects;
  // Before any outcome is decided there is no rate to tell: 0 % would read as "none of them won".
  const anyDecided = decided.length > 0;
  const won = decided.filter((d) => d.status === 'won');
  const wonTotal = won.length;
  const tiers = TIERS.map((tier) => {
    const accounts = sizes[tier];
    const inTier = decided.filter((d) => d.tier === tier);
    const wins = inTier.filter((d) => d.status === 'won').length;
    return {
      tier,
      accounts,
      outcomes: outcomeCounts(inTier),
      winRate: anyDecided && accounts > 0 ? round4(wins / accounts) : null,
      winRateInterval: anyDecided && accounts > 0 ? interval(wins, accounts) : null,
    };
  });
  const atK = KS.map((k) => {
    const top = Math.min(k, n);
    const hits = won.filter((d) => d.rank <= k).length;
    return {
      k,
      won: hits,
      precision: anyDecided && top > 0 ? round4(hits / top) : null,
      precisionInterval: anyDecided && top > 0 ? interval(hits, top) : null,
      recall: wonTotal > 0 ? round4(hits / wonTotal) : null,
      recallInterval: wonTotal > 0 ? interval(hits, wonTotal) : null,
    };
  });
  const a = tiers[0];
  const wonA = a.outcomes.won;
  let liftA: Backtest['liftA'] = null;
  if (a.accounts > 0 && wonTotal > 0) {
    // liftOf's "universe" is the run's prospects, its "attribute" being won since, its "won" tier A.
    const l = liftOf(wonA, wonTotal, a.accounts, n);
    liftA = {
      lift: round4(l.lift),
      interval: { low: round4(l.interval.low), high: round4(l.interval.high) },
      pValue: significant3(Math.exp(l.logP)),
    };
  }
  return {
    run: { id: run.runId, model: { id: run.modelId, version: run.modelVersion }, scoredAt: run.finishedAt.toISOString(), prospects: n },
    outcomes: outcomeCounts(decided),
    overall: {
      winRate: anyDecided && n > 0 ? round4(wonTotal / n) : null,
      winRateInterval: anyDecided && n > 0 ? interval(wonTotal, n) : null,
    },
    tiers,
    atK,
    liftA,
    summary: summarise(run.finishedAt, n, decided.length, wonTotal, tiers),
  };
}

const count = (n: number) => n.toLocaleString('en-US');

function summarise(
  day: Date,
  prospects: number,
  decidedTotal: number,
  wonTotal: number,
  tiers: { tier: Tier; accounts: number; outcomes: { won: number } }[],
): string {
  const date = dayOf(day);
  if (prospects === 0) return `The run of ${date} had no prospects to follow.`;
  if (decidedTotal === 0) return `No outcome has been recorded yet for the ${count(prospects)} accounts ranked on ${date}.`;
  if (wonTotal === 0) return `None of the ${count(prospects)} accounts ranked on ${date} has been won since.`;
  const filled = tiers.filter((t) => t.accounts > 0);
  const top = filled[0];
  const bottom = filled[filled.length - 1];
  const were = (x: number) => (x === 1 ? 'was' : 'were');
  if (top === bottom)
    return `Of the ${count(prospects)} accounts ranked on ${date}, ${count(wonTotal)} ${were(wonTotal)} won since (${percent(wonTotal / prospects)}).`;
  const rate = (t: typeof top) => t.outcomes.won / t.accounts;
  return (
    `Of the ${count(top.accounts)} ${top.tier}-tier accounts of ${date}, ${count(top.outcomes.won)} ${were(top.outcomes.won)} won since ` +
    `(${percent(rate(top))}), against ${percent(rate(bottom))} of ${bottom.tier}-tier.`
  );
}

// ---------------------------------------------------------------------------------------------
// Reading

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function sinceDate(pool: pg.Pool, workspaceId: string, since: string | undefined, retentionRuns: number): Promise<Date | undefined> {
  if (!since) return undefined;
  if (UUID.test(since)) {
    const run = await getSnapshot(pool, workspaceId, since);
    if (!run)
      throw new DomainError(
        'not_found',
        'not_found',
        `No snapshot of scoring run ${since} (runs are kept for the last ${retentionRuns} runs)`,
      );
    return run.finishedAt;
  }
  const date = /^\d{4}-\d{2}-\d{2}(T.*)?$/.test(since) ? new Date(since) : new Date(NaN);
  if (Number.isNaN(date.getTime()))
    throw new DomainError('invalid', 'invalid_since', `since must be a scoring run id or an ISO date, not "${since}"`);
  return date;
}

export async function listBacktests(pool: pg.Pool, retentionRuns: number, workspaceId: string, query: BacktestQuery) {
  const since = await sinceDate(pool, workspaceId, query.since, retentionRuns);
  const runs = await listSnapshots(pool, workspaceId, { since, modelId: query.modelId });
  const sizes = await tierSizes(
    pool,
    runs.map((r) => r.runId),
  );
  const decided = await decidedSince(pool, workspaceId, runs);
  return {
    data: runs.map((run) => computeBacktest({ run, sizes: sizes.get(run.runId)!, decided: decided.get(run.runId)! })),
    retentionRuns,
  };
}

/** Accounts that entered, left or moved within tiers A and B at a run, against the run before it. */
export async function tierChangesPage(pool: pg.Pool, workspaceId: string, runId: string, limit: number, offset: number) {
  const run = await getSnapshot(pool, workspaceId, runId);
  if (!run) throw new DomainError('not_found', 'not_found', `No snapshot of scoring run ${runId}`);
  const previous = await previousSnapshot(pool, workspaceId, runId);
  const head = {
    run: { id: run.runId, scoredAt: run.finishedAt.toISOString() },
    previousRun: previous && { id: previous.runId, scoredAt: previous.finishedAt.toISOString() },
  };
  if (!previous) return { ...head, counts: { total: 0, entered: 0, left: 0, moved: 0 }, data: [], nextOffset: null };
  const { counts, data } = await tierChanges(pool, run.runId, previous.runId, limit, offset);
  return { ...head, counts, data, nextOffset: offset + data.length < counts.total ? offset + data.length : null };
}

// ---------------------------------------------------------------------------------------------
// The hook at the end of a scoring run

/**
 * Called once a scoring run is complete (finishScoreRun): snapshots it, prunes snapshots beyond the
 * retention, and emits `scoring.completed` and `prospects.tier_changed` (against the previous snapshot,
 * when there is one and something changed). Safe to repeat: a run is snapshotted and notified once.
 */
export async function snapshotScoreRun(
  pool: pg.Pool,
  retentionRuns: number,
  runId: string,
  log: Pick<JobLog, 'error'>,
  enqueue?: Enqueue,
): Promise<void> {
  const scored = await scoreRun(pool, runId);
  const version = scored ? await modelVersion(pool, scored.model_id) : null;
  if (version === null) return;
  const snapshot = await withTransaction(pool, async (client) => {
    const s = await insertSnapshot(client, runId, version);
    if (s) await pruneSnapshots(client, s.workspaceId, retentionRuns);
    return s;
  });
  if (!snapshot) return;
  const { workspaceId } = snapshot;
  const sizes = (await tierSizes(pool, [runId])).get(runId)!;
  const previous = await previousSnapshot(pool, workspaceId, runId);
  const run = { id: runId, model: { id: snapshot.modelId, version: snapshot.modelVersion }, scoredAt: snapshot.finishedAt.toISOString() };
  await emitEvent(
    pool,
    enqueue,
    {
      workspaceId,
      type: 'scoring.completed',
      dedupeKey: `scoring.completed:${runId}`,
      data: {
        run: { ...run, prospects: snapshot.prospects, tiers: sizes },
        links: { prospects: '/v1/prospects', backtests: `/v1/backtests?since=${runId}` },
      },
    },
    log,
  );
  if (!previous) return;
  const page = await tierChangesPage(pool, workspaceId, runId, TIER_CHANGES_IN_PAYLOAD, 0);
  if (page.counts.total === 0) return;
  await emitEvent(
    pool,
    enqueue,
    {
      workspaceId,
      type: 'prospects.tier_changed',
      dedupeKey: `prospects.tier_changed:${runId}`,
      data: {
        run,
        previousRun: page.previousRun,
        counts: page.counts,
        changes: page.data,
        // Relative to the API's base URL, with the same API key.
        next:
          page.nextOffset === null
            ? null
            : `/v1/backtests/${runId}/tier-changes?offset=${page.nextOffset}&limit=${TIER_CHANGES_IN_PAYLOAD}`,
      },
    },
    log,
  );
}
