/**
 * At most one queued training per workspace: a second request while one is queued is answered with it
 * (same model and job ids, alreadyQueued: true), one with other settings is a 409 naming it, and a queued
 * model that can never train (its job ended first) does not block the workspace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopComputeThread } from '../../src/compute/thread.ts';
import { loadGeneratedUniverse } from '../../src/demo/load.ts';
import { failJob, insertJob } from '../../src/jobs/repository.ts';
import { insertModel, setModelJob } from '../../src/model/repository.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { waitFor } from '../support/jobs.ts';

describe('POST /v1/models while a training is queued', () => {
  let t: TestApp;
  let ws: Awaited<ReturnType<TestApp['newWorkspace']>>;
  beforeAll(async () => {
    t = await createTestApp();
    ws = await t.newWorkspace();
    await loadGeneratedUniverse(t.db.pool, ws.id, { seed: 5, count: 1200, now: new Date(), outcomeScale: 3 });
  }, 300_000);
  afterAll(async () => {
    // The maximum-budget training need not finish: its compute thread goes, so it fails at once.
    await stopComputeThread();
    await t?.close();
  });

  const train = (payload: object = {}) => t.app.inject({ method: 'POST', url: '/v1/models', headers: ws.auth, payload });
  const status = async (id: string) =>
    (await t.db.pool.query<{ status: string }>('SELECT status FROM models WHERE id = $1', [id])).rows[0].status;
  const queuedCount = async () =>
    (await t.db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM models WHERE workspace_id = $1 AND status = 'queued'", [ws.id]))
      .rows[0].n;

  it('replaces a queued model whose job ended before it trained, instead of answering with it for ever', async () => {
    const stale = await insertModel(t.db.pool, ws.id, 42, {});
    const job = await insertJob(t.db.pool, ws.id, 'model.train', { modelId: stale });
    await setModelJob(t.db.pool, stale, job);
    await failJob(t.db.pool, job, 'lost');
    // A long training (the maximum budget), so that the next requests find a model queued behind it.
    const res = await train({ params: { bags: 50, treesPerBag: 20 } });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ alreadyQueued: false });
    expect(res.json().model.id).not.toBe(stale);
    expect(await status(stale)).toBe('failed');
    await waitFor('the long training to start', async () => (await status(res.json().model.id)) === 'training', 60_000);
  });

  it('answers requests with the same settings with the one queued model, and others with a 409 naming it', async () => {
    // Five at once, behind the running training: one model is queued, and every answer names it.
    const answers = await Promise.all(Array.from({ length: 5 }, () => train()));
    for (const a of answers) expect(a.statusCode, a.body).toBe(202);
    const bodies = answers.map((a) => a.json());
    const ids = new Set(bodies.map((b) => `${b.model.id} ${b.job.id}`));
    expect(ids.size).toBe(1);
    expect(bodies.filter((b) => !b.alreadyQueued)).toHaveLength(1);
    expect(await queuedCount()).toBe(1);

    const again = (await train({ seed: 42 })).json();
    expect(again).toEqual({ ...bodies[0], alreadyQueued: true });

    const other = await train({ seed: 7 });
    expect(other.statusCode).toBe(409);
    expect(other.json().error).toMatchObject({
      code: 'training_already_queued',
      details: { model: { id: bodies[0].model.id }, job: { id: bodies[0].job.id } },
    });
    expect(await queuedCount()).toBe(1);
  });
});
