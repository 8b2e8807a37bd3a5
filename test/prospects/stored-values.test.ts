/**
 * No stored value poisons a run. Values stored before input checks were tightened (a negative visit
 * count, NaN and ±Infinity in double precision columns, a signal dated "infinity") must not make
 * training or scoring fail, nor put NaN or an infinite number in a score; an account that still cannot
 * be scored is left out of the run with its reason, and the run goes on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGeneratedUniverse } from '../../src/demo/load.ts';
import { modelArtifact } from '../../src/model/repository.ts';
import { scoreBatch } from '../../src/prospects/score-batch.ts';
import { accountBatchTexts } from '../../src/accounts/repository.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { jobCompleted } from '../support/jobs.ts';

describe('scoring with values stored before they were checked', () => {
  let t: TestApp;
  let ws: Awaited<ReturnType<TestApp['newWorkspace']>>;
  let poisoned: string[];

  beforeAll(async () => {
    t = await createTestApp();
    ws = await t.newWorkspace();
    await loadGeneratedUniverse(t.db.pool, ws.id, { seed: 5, count: 1200, now: new Date(), outcomeScale: 3 });
    const q = (sql: string, params: unknown[] = []) => t.db.pool.query(sql, [ws.id, ...params]);
    const prospects = await q(
      `SELECT a.id, a.domain FROM accounts a WHERE workspace_id = $1 AND NOT EXISTS (SELECT 1 FROM outcomes o WHERE o.account_id = a.id)
       ORDER BY id LIMIT 6`,
    );
    poisoned = prospects.rows.map((r) => r.domain);
    const ids = prospects.rows.map((r) => r.id);
    // What a client could store before: a negative web visit count (log2(1 + v) was NaN), NaN and
    // infinite values and revenues, a date at infinity, negative employees.
    for (const [i, value] of ['-5', 'NaN', 'Infinity', '-Infinity'].entries()) {
      await q(
        `INSERT INTO signals (workspace_id, account_id, type, occurred_at, value) VALUES ($1, $2, 'web_visit', now() - interval '1 day', $3::float8)`,
        [ids[i], value],
      );
      await q(
        `INSERT INTO signals (workspace_id, account_id, type, occurred_at, value) VALUES ($1, $2, 'topic_surge', now() - interval '2 days', $3::float8)`,
        [ids[i], value],
      );
    }
    await q(`INSERT INTO signals (workspace_id, account_id, type, occurred_at) VALUES ($1, $2, 'funding_round', 'infinity')`, [ids[4]]);
    await q(`UPDATE accounts SET revenue = 'NaN', employees = -50 WHERE workspace_id = $1 AND id = $2`, [ids[4]]);
    await q(`UPDATE accounts SET revenue = 'Infinity', founded_year = -3000 WHERE workspace_id = $1 AND id = $2`, [ids[5]]);
    // And on the won side: amounts that are no number.
    const won = await q(`SELECT account_id FROM outcomes WHERE workspace_id = $1 AND status = 'won' ORDER BY account_id LIMIT 2`);
    await q(`UPDATE outcomes SET amount = 'Infinity' WHERE workspace_id = $1 AND account_id = $2`, [won.rows[0].account_id]);
    await q(`UPDATE outcomes SET amount = 'NaN' WHERE workspace_id = $1 AND account_id = $2`, [won.rows[1].account_id]);
  }, 300_000);
  afterAll(() => t?.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: ws.auth });
  const finite = (x: unknown) => typeof x === 'number' && Number.isFinite(x);

  it('trains, scores the whole universe, and pages and fits answer finite scores', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/models', headers: ws.auth, payload: {} });
    expect(res.statusCode, res.body).toBe(202);
    const training = await jobCompleted(t.db.pool, ws.id, res.json().job.id, 240_000);
    const scoring = await jobCompleted(t.db.pool, ws.id, (training.result as { scoringJob: { id: string } }).scoringJob.id, 240_000);
    expect(scoring.result).toMatchObject({ accountsScored: 1200 });
    expect(scoring.progress?.accountsSkipped).toBeUndefined();

    const { rows } = await t.db.pool.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE score = 'NaN' OR fit = 'NaN' OR similarity = 'NaN' OR intent = 'NaN'
         OR score IN ('Infinity', '-Infinity') OR intent IN ('Infinity', '-Infinity'))::int AS bad
       FROM account_scores s JOIN score_runs r ON r.id = s.run_id WHERE r.workspace_id = $1`,
      [ws.id],
    );
    expect(rows[0]).toEqual({ n: 1200, bad: 0 });

    const page = await get('/v1/prospects?limit=1000');
    expect(page.statusCode, page.body.slice(0, 300)).toBe(200);
    for (const p of page.json().data) {
      expect([p.score, p.subscores.similarity, p.subscores.intent].every(finite), p.domain).toBe(true);
    }
    for (const domain of poisoned) {
      const fit = await get(`/v1/accounts/${domain}/fit`);
      expect(fit.statusCode, `${domain}: ${fit.body.slice(0, 300)}`).toBe(200);
      const body = fit.json();
      expect([body.score, body.subscores.fit, body.subscores.similarity, body.subscores.intent].every(finite), domain).toBe(true);
      expect(body.score).toBeGreaterThanOrEqual(0);
      expect(body.score).toBeLessThanOrEqual(1);
    }
  }, 600_000);

  it('leaves out an account it cannot score, with the reason, and scores the rest of the batch', async () => {
    const { rows } = await t.db.pool.query<{ id: string }>('SELECT id FROM models WHERE workspace_id = $1 AND active', [ws.id]);
    const modelId = rows[0].id;
    const batch = await accountBatchTexts(t.db.pool, ws.id, 3).next();
    const accounts = JSON.parse(batch.value!.text) as unknown[][];
    // A row the service cannot read (its technologies are no list): as a corrupt row would be.
    accounts[1][12] = 7;
    const result = scoreBatch({
      modelId,
      artifact: await modelArtifact(t.db.pool, modelId),
      accounts: JSON.stringify(accounts),
      signals: '[]',
      now: new Date(),
    });
    if (!('rows' in result)) throw new Error('the model was not loaded');
    expect(JSON.parse(result.rows)).toHaveLength(2);
    expect(result.skipped).toEqual([
      { accountId: accounts[1][0], domain: accounts[1][1], reason: expect.stringMatching(/^scoring failed/) },
    ]);
  });
});
