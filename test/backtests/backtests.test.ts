import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeBacktest, DEFAULT_RETENTION_RUNS, snapshotScoreRun } from '../../src/backtests/service.ts';
import type { Decided } from '../../src/backtests/repository.ts';
import { loadGeneratedUniverse } from '../../src/demo/load.ts';
import { createScoreRun } from '../../src/prospects/repository.ts';
import { finishScoreRun, scoreAccountRange } from '../../src/prospects/score-runs.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

describe('backtest figures (hand-computed example)', () => {
  // 200 prospects: A = ranks 1–10, B = 11–40, C = 41–100, D = 101–200.
  // Decided since: won at ranks 1, 2, 5 (A), 30 (B), 150, 190 (D); lost at 3 (A) and 60 (C); open at 45 (C).
  const decided: Decided[] = [
    { rank: 1, tier: 'A', status: 'won' },
    { rank: 2, tier: 'A', status: 'won' },
    { rank: 5, tier: 'A', status: 'won' },
    { rank: 30, tier: 'B', status: 'won' },
    { rank: 150, tier: 'D', status: 'won' },
    { rank: 190, tier: 'D', status: 'won' },
    { rank: 3, tier: 'A', status: 'lost' },
    { rank: 60, tier: 'C', status: 'lost' },
    { rank: 45, tier: 'C', status: 'open' },
  ];
  const result = computeBacktest({
    run: {
      runId: '00000000-0000-4000-8000-000000000001',
      modelId: '00000000-0000-4000-8000-000000000002',
      modelVersion: 3,
      finishedAt: new Date('2026-03-03T09:00:00Z'),
      prospects: 200,
    },
    sizes: { A: 10, B: 30, C: 60, D: 100 },
    decided,
  });

  it('counts outcomes and win rates by tier, with Wilson intervals', () => {
    expect(result.outcomes).toEqual({ total: 9, won: 6, lost: 2, churned: 0, open: 1, competitorCustomer: 0 });
    const [a, b, c, d] = result.tiers;
    expect(a).toMatchObject({ tier: 'A', accounts: 10, winRate: 0.3, outcomes: { total: 4, won: 3, lost: 1 } });
    // Wilson 95% for 3 of 10: 0.1078–0.6032.
    expect(a.winRateInterval).toEqual({ low: 0.1078, high: 0.6032 });
    expect(b).toMatchObject({ tier: 'B', accounts: 30, winRate: 0.0333, outcomes: { won: 1 } });
    expect(c).toMatchObject({ tier: 'C', accounts: 60, winRate: 0, outcomes: { total: 2, won: 0, lost: 1, open: 1 } });
    expect(d).toMatchObject({ tier: 'D', accounts: 100, winRate: 0.02, outcomes: { won: 2 } });
    expect(result.overall.winRate).toBe(0.03);
  });

  it('computes precision and recall at 10, 50 and 100', () => {
    expect(result.atK.map(({ k, won, precision, recall }) => ({ k, won, precision, recall }))).toEqual([
      { k: 10, won: 3, precision: 0.3, recall: 0.5 },
      { k: 50, won: 4, precision: 0.08, recall: 0.6667 },
      { k: 100, won: 4, precision: 0.04, recall: 0.6667 },
    ]);
    expect(result.atK[0].precisionInterval).toEqual({ low: 0.1078, high: 0.6032 });
  });

  it('gives the lift of tier A over the whole, with an interval and a p-value', () => {
    // 0.3 / 0.03 = 10; interval = Wilson(3, 10) / 0.03.
    expect(result.liftA!.lift).toBe(10);
    expect(result.liftA!.interval.low).toBeCloseTo(0.10779 / 0.03, 2);
    expect(result.liftA!.interval.high).toBeCloseTo(0.60323 / 0.03, 2);
    // P(X ≥ 3), X ~ Hypergeometric(200 prospects, 6 won, 10 drawn) ≈ 0.0012
    expect(result.liftA!.pValue).toBeGreaterThan(0.0005);
    expect(result.liftA!.pValue).toBeLessThan(0.005);
  });

  it('says it in a sentence', () => {
    expect(result.summary).toBe('Of the 10 A-tier accounts of 3 March 2026, 3 were won since (30%), against 2% of D-tier.');
    const none = computeBacktest({
      run: { runId: 'r', modelId: 'm', modelVersion: 1, finishedAt: new Date('2026-03-03'), prospects: 50 },
      sizes: { A: 5, B: 5, C: 20, D: 20 },
      decided: [],
    });
    expect(none.summary).toBe('No outcome has been recorded yet for the 50 accounts ranked on 3 March 2026.');
    // Nothing decided: no rate to tell, not 0 %.
    expect(none.tiers.map((t) => t.winRate)).toEqual([null, null, null, null]);
    expect(none.overall.winRate).toBeNull();
    expect(none.atK[0].precision).toBeNull();
    const lostOnly = computeBacktest({
      run: { runId: 'r', modelId: 'm', modelVersion: 1, finishedAt: new Date('2026-03-03'), prospects: 19_394 },
      sizes: { A: 5, B: 5, C: 20, D: 19_364 },
      decided: [{ tier: 'A', rank: 1, status: 'lost' }],
    });
    expect(lostOnly.summary).toBe('None of the 19,394 accounts ranked on 3 March 2026 has been won since.');
    expect(lostOnly.tiers[0].winRate).toBe(0);
    expect(none.liftA).toBeNull();
    expect(none.atK[0].recall).toBeNull();
  });
});

describe('GET /v1/backtests', () => {
  let t: TestApp;
  let ws: Awaited<ReturnType<TestApp['newWorkspace']>>;
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: ws.auth });
  let firstRun: string;
  let ranked: { domain: string; rank: number; tier: string }[];

  /** Scores the universe again under the active model, as the scoring job does, keeping `retentionRuns` snapshots. */
  async function scoreAgain(retentionRuns = DEFAULT_RETENTION_RUNS): Promise<string> {
    const { rows } = await t.db.pool.query<{ id: string }>('SELECT id FROM models WHERE workspace_id = $1 AND active', [ws.id]);
    const runId = await createScoreRun(t.db.pool, ws.id, rows[0].id);
    await scoreAccountRange(t.db.pool, runId);
    await finishScoreRun(t.db.pool, runId);
    await snapshotScoreRun(t.db.pool, retentionRuns, runId, console);
    return runId;
  }

  beforeAll(async () => {
    t = await createTestApp();
    ws = await t.newWorkspace();
    await loadGeneratedUniverse(t.db.pool, ws.id, { seed: 5, count: 1200, now: new Date(), outcomeScale: 3 });
    await t.app.inject({ method: 'POST', url: '/v1/models', headers: ws.auth, payload: {} });
    await t.jobs.idle();
    const { rows } = await t.db.pool.query<{ domain: string; rank: number; tier: string }>(
      `SELECT a.domain, s.rank, s.tier::text AS tier FROM backtest_scores s JOIN backtest_runs r USING (run_id) JOIN accounts a ON a.id = s.account_id
       WHERE r.workspace_id = $1 ORDER BY s.rank`,
      [ws.id],
    );
    ranked = rows;
  }, 300_000);
  afterAll(() => t.close());

  it('snapshots a completed run: every prospect with its rank and tier, as the prospect list shows them', async () => {
    const res = await get('/v1/backtests');
    expect(res.statusCode, res.body).toBe(200);
    const { data, retentionRuns: kept } = res.json();
    expect(kept).toBe(DEFAULT_RETENTION_RUNS);
    expect(data).toHaveLength(1);
    firstRun = data[0].run.id;
    const prospects = await get('/v1/prospects?limit=1000');
    const list = prospects.json();
    expect(data[0].run.prospects).toBe(ranked.length);
    expect(data[0].run.model.id).toBe(list.model.id);
    // Ranks are the prospect list's order (exclusions aside: none here), tiers the same.
    expect(list.data.slice(0, 50).map((p: { domain: string; tier: string }) => [p.domain, p.tier])).toEqual(
      ranked.slice(0, 50).map((r) => [r.domain, r.tier]),
    );
    expect(data[0].outcomes.total).toBe(0);
    expect(data[0].summary).toMatch(/^No outcome has been recorded yet for the [\d,]+ accounts ranked on .*\.$/);
    expect(data[0].overall.winRate).toBeNull();
  });

  it('follows outcomes decided after the run, by tier and at k', async () => {
    const tiers = ['A', 'B', 'C', 'D'].map((tier) => ranked.filter((r) => r.tier === tier));
    const [a, b, , d] = tiers;
    expect(a.length).toBeGreaterThanOrEqual(3);
    expect(d.length).toBeGreaterThanOrEqual(2);
    const after = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    // Won: the two best of A, the best of B, the last of D. Lost: the third of A. Recorded now but closed
    // before the run: the last but one of D (left out: the run could not have predicted it).
    const won = [a[0], a[1], b[0] ?? d[1], d[d.length - 1]];
    const outcomes = [
      ...won.map((r) => ({ domain: r.domain, status: 'won', closedAt: after })),
      { domain: a[2].domain, status: 'lost', closedAt: after },
      { domain: d[d.length - 2].domain, status: 'won', closedAt: '2020-01-01' },
    ];
    const posted = await t.app.inject({ method: 'POST', url: '/v1/outcomes', headers: ws.auth, payload: { outcomes } });
    expect(posted.statusCode, posted.body).toBe(200);

    const res = await get('/v1/backtests');
    const [bt] = res.json().data;
    const n = ranked.length;
    const wonIn = (tier: string) => won.filter((r) => r.tier === tier).length;
    expect(bt.outcomes).toMatchObject({ total: 5, won: 4, lost: 1 });
    for (const tier of bt.tiers) {
      const size = tiers['ABCD'.indexOf(tier.tier)].length;
      expect(tier.accounts).toBe(size);
      expect(tier.outcomes.won).toBe(wonIn(tier.tier));
      expect(tier.winRate).toBeCloseTo(wonIn(tier.tier) / size, 4);
    }
    expect(bt.tiers[0].outcomes.lost).toBe(1);
    for (const at of bt.atK) {
      const hits = won.filter((r) => r.rank <= at.k).length;
      expect(at.won).toBe(hits);
      expect(at.precision).toBeCloseTo(hits / Math.min(at.k, n), 4);
      expect(at.recall).toBeCloseTo(hits / 4, 4);
      expect(at.precisionInterval.low).toBeLessThanOrEqual(at.precision);
      expect(at.precisionInterval.high).toBeGreaterThanOrEqual(at.precision);
    }
    expect(bt.liftA.lift).toBeCloseTo(2 / a.length / (4 / n), 3);
    expect(bt.summary).toContain(`Of the ${a.length} A-tier accounts of `);
    expect(bt.summary).toContain(', 2 were won since (');
  });

  it('keeps snapshots beyond the runs scoring deletes, up to BACKTEST_RETENTION_RUNS', async () => {
    const second = await scoreAgain();
    const third = await scoreAgain();
    // Scoring keeps the last two runs' scores; the first run's snapshot survives them.
    const runs = await t.db.pool.query('SELECT 1 FROM score_runs WHERE id = $1', [firstRun]);
    expect(runs.rowCount).toBe(0);
    const all = (await get(`/v1/backtests?since=${firstRun}`)).json().data;
    expect(all.map((b: { run: { id: string } }) => b.run.id)).toEqual([third, second, firstRun]);
    expect(all[2].outcomes).toMatchObject({ total: 5, won: 4 });
    // Later runs were scored after the outcomes: those accounts are no longer prospects, nothing to follow.
    expect(all[0].outcomes.total).toBe(0);

    // Tier changes: the accounts won from tier A left it at the second run.
    const changes = (await get(`/v1/backtests/${second}/tier-changes`)).json();
    expect(changes.previousRun.id).toBe(firstRun);
    const left = changes.data.filter((c: { to: string | null }) => c.to === null).map((c: { domain: string }) => c.domain);
    expect(left).toEqual(expect.arrayContaining([ranked[0].domain, ranked[1].domain]));
    expect(changes.counts.left).toBeGreaterThanOrEqual(2);

    expect((await get(`/v1/backtests?since=2999-01-01`)).json().data).toEqual([]);
    expect((await get(`/v1/backtests?modelId=${all[0].run.model.id}`)).json().data).toHaveLength(3);
    expect((await get('/v1/backtests?since=yesterday')).statusCode).toBe(400);

    // With BACKTEST_RETENTION_RUNS=2, the next snapshot prunes all but the last two.
    await scoreAgain(2);
    expect((await get('/v1/backtests')).json().data).toHaveLength(2);
    expect((await get(`/v1/backtests?since=${firstRun}`)).statusCode).toBe(404);
  });

  it('is scoped to the workspace', async () => {
    const other = await t.newWorkspace('Other');
    const res = await t.app.inject({ method: 'GET', url: '/v1/backtests', headers: other.auth });
    expect(res.json().data).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: `/v1/backtests/${firstRun}/tier-changes`, headers: other.auth })).statusCode).toBe(
      404,
    );
  });
});
