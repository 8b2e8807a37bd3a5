/**
 * A client polling for prospects always learns where they stand, in both queue modes: before anything is
 * trained, while a model trains, while its universe is scored (progress, job, Retry-After), and while a
 * newer model is scored (the previous run is still served, and named).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobHandlers } from '../../src/app.ts';
import type { Database } from '../../src/db/pool.ts';
import { startWorkers } from '../../src/jobs/worker.ts';
import { activateModel } from '../../src/model/activation.ts';
import { countScoredBatch, createScoreRun } from '../../src/prospects/repository.ts';
import { openTestDatabase } from '../support/db.ts';
import { FAST_WORKER_SETTINGS, jobCompleted, jobsApp, quietLog, waitFor, type JobsApp } from '../support/jobs.ts';
import { obliterateQueues, redisForTests, testPrefix } from '../support/redis.ts';

const redisUrl = await redisForTests();

for (const mode of ['in-process', 'bullmq'] as const) {
  describe.skipIf(mode === 'bullmq' && !redisUrl)(`readiness of prospects (${mode})`, () => {
    const prefix = testPrefix('ready');
    let db: Database;
    let t: JobsApp;
    let workers: ReturnType<typeof startWorkers> | undefined;
    let ws: Awaited<ReturnType<JobsApp['newWorkspace']>>;
    const get = (url: string) => t.app.inject({ method: 'GET', url, headers: ws.auth });

    beforeAll(async () => {
      db = await openTestDatabase();
      t = await jobsApp(db, mode === 'bullmq' ? { redisUrl: redisUrl!, prefix } : {});
      if (mode === 'bullmq') {
        workers = startWorkers({
          pool: db.pool,
          handlers: createJobHandlers(db),
          redisUrl: redisUrl!,
          prefix,
          log: quietLog,
          settings: FAST_WORKER_SETTINGS,
        });
      }
      ws = await t.newWorkspace(1_200);
    }, 300_000);

    afterAll(async () => {
      await workers?.close();
      await t?.close();
      if (mode === 'bullmq') await obliterateQueues(redisUrl!, prefix);
      await db?.close();
    }, 300_000);

    it('says what is under way from the training request until the first run is served', async () => {
      const before = await get('/v1/prospects');
      expect(before.statusCode).toBe(409);
      expect(before.json().error.details).toEqual({ underway: null });
      expect(before.headers['retry-after']).toBeUndefined();

      const trained = await t.app.inject({ method: 'POST', url: '/v1/models', headers: ws.auth, payload: {} });
      expect(trained.statusCode, trained.body).toBe(202);
      const { model, job } = trained.json();

      const training = await get('/v1/prospects');
      expect(training.statusCode).toBe(409);
      expect(training.json().error.code).toBe('no_scores');
      expect(training.json().error.details).toMatchObject({ underway: 'training', modelId: model.id, job: { id: job.id } });
      expect(training.json().error.message).toContain(`GET /v1/models/${model.id}`);
      expect(Number(training.headers['retry-after'])).toBeGreaterThan(0);
      expect((await get(`/v1/models/${model.id}`)).json().model.scoring).toMatchObject({ status: 'none', runId: null, progress: null });

      // Poll as a client would; every answer before the page is a 409 naming training or scoring, with Retry-After.
      const seen = new Set<string>();
      const page = await waitFor<{ model: { id: string; runId: string } }>(
        'the first page of prospects',
        async () => {
          const res = await get('/v1/prospects?limit=5');
          if (res.statusCode === 200) return res.json();
          expect(res.statusCode, res.body).toBe(409);
          const { details } = res.json().error;
          expect(['training', 'scoring'], res.body).toContain(details.underway);
          expect(details.job.id).toMatch(/^[0-9a-f-]{36}$/);
          expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
          seen.add(details.underway);
          return null;
        },
        120_000,
      );
      expect(seen.has('training')).toBe(true);

      const scoring = (await get(`/v1/models/${model.id}`)).json().model.scoring;
      expect(scoring).toMatchObject({ status: 'completed', progress: 1, runId: page.model.runId, error: null });
      expect(scoring.job.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(Date.parse(scoring.completedAt)).toBeLessThanOrEqual(Date.now());
      expect(page.model).toMatchObject({ id: model.id, active: true, runId: scoring.runId, scoredAt: scoring.completedAt });
      // The list shows the same state.
      const listed = (await get('/v1/models')).json().data.find((m: { id: string }) => m.id === model.id);
      expect(listed.scoring).toEqual(scoring);
    }, 180_000);

    it("serves the previous run, naming it, while a newer model's universe is scored", async () => {
      const first = (await get('/v1/prospects?limit=3')).json();
      // A newer model becomes active and its run is being written: 100 of the universe's accounts so far.
      const newer = await t.app.inject({ method: 'POST', url: '/v1/models', headers: ws.auth, payload: { seed: 7 } });
      const newerId = newer.json().model.id;
      const trained = await jobCompleted(db.pool, ws.id, newer.json().job.id, 120_000);
      const scoringJob = (trained.result as { scoringJob: { id: string } | null }).scoringJob;
      if (scoringJob) await jobCompleted(db.pool, ws.id, scoringJob.id);
      await db.pool.query('DELETE FROM score_runs WHERE model_id = $1', [newerId]);
      await activateModel(db.pool, ws.id, newerId, 'api');
      const runId = await createScoreRun(db.pool, ws.id, newerId);
      await countScoredBatch(db.pool, runId, 100);

      const served = await get('/v1/prospects?limit=3');
      expect(served.statusCode).toBe(200);
      expect(served.json().model).toMatchObject({ id: first.model.id, active: false, runId: first.model.runId });
      expect(served.json().data.map((p: { domain: string }) => p.domain)).toEqual(first.data.map((p: { domain: string }) => p.domain));
      const scoring = (await get(`/v1/models/${newerId}`)).json().model.scoring;
      expect(scoring).toMatchObject({ status: 'running', runId, completedAt: null });
      expect(scoring.progress).toBeCloseTo(100 / 1_200, 3);

      // Without an earlier run to serve, the 409 says the universe is being scored, how far, and when to ask again.
      await db.pool.query('DELETE FROM score_runs WHERE workspace_id = $1 AND id <> $2', [ws.id, runId]);
      await countScoredBatch(db.pool, runId, 500);
      const waiting = await get('/v1/prospects');
      expect(waiting.statusCode).toBe(409);
      expect(waiting.json().error.details).toMatchObject({ underway: 'scoring', modelId: newerId, runId, status: 'running' });
      expect(waiting.json().error.details.progress).toBeCloseTo(600 / 1_200, 3);
      expect(waiting.json().error.message).toContain('50 % done');
      const retryAfter = Number(waiting.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // The CSV download and the summary say the same.
      const csv = await get('/v1/prospects?format=csv');
      expect(csv.statusCode).toBe(409);
      expect(Number(csv.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect((await get('/v1/prospects/summary')).json().error.details.underway).toBe('scoring');
    }, 240_000);

    it('names the retrain that outcome changes scheduled, before any model exists', async () => {
      const fresh = await t.newWorkspace(300);
      const { rows } = await db.pool.query<{ domain: string }>('SELECT domain FROM accounts WHERE workspace_id = $1 LIMIT 1', [fresh.id]);
      const outcome = await t.app.inject({
        method: 'POST',
        url: '/v1/outcomes',
        headers: fresh.auth,
        payload: { outcomes: [{ domain: rows[0].domain, status: 'won' }] },
      });
      expect(outcome.statusCode, outcome.body).toBe(200);
      const res = await t.app.inject({ method: 'GET', url: '/v1/prospects', headers: fresh.auth });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.details).toMatchObject({ underway: 'training', status: 'scheduled', modelId: null });
      expect(res.json().error.details.job.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(Number(res.headers['retry-after'])).toBe(60);
    });
  });
}
