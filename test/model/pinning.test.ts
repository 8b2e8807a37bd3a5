import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/pool.ts';
import { openTestDatabase } from '../support/db.ts';
import { jobCompleted, jobsApp, type JobsApp } from '../support/jobs.ts';

interface ModelJson {
  id: string;
  version: number;
  status: string;
  active: boolean;
  pinned: boolean;
  note: string | null;
  trainingFingerprint: string | null;
}

// A rollback must stick. Activating by hand pins; retrains then make ready models that are not
// activated; a retrain on data a ready model was trained on reuses it instead of adding a version.
describe('model pinning and reuse', () => {
  let db: Database;
  let t: JobsApp;
  let ws: Awaited<ReturnType<JobsApp['newWorkspace']>>;

  const models = async (): Promise<ModelJson[]> => (await t.app.inject({ method: 'GET', url: '/v1/models', headers: ws.auth })).json().data;
  const post = (url: string) => t.app.inject({ method: 'POST', url, headers: ws.auth, payload: {} });
  /** A retrain as the schedule runs it; returns the retrain job's result once it and the jobs it started are done. */
  async function retrain() {
    const { id } = await t.jobs.enqueue(ws.id, 'model.retrain', { reason: 'schedule' });
    const job = await jobCompleted(db.pool, ws.id, id, 120_000);
    await t.jobs.idle();
    return job.result as Record<string, unknown>;
  }
  async function loseOne() {
    const { rows } = await db.pool.query<{ domain: string }>(
      'SELECT domain FROM accounts a WHERE workspace_id = $1 AND NOT EXISTS (SELECT 1 FROM outcomes o WHERE o.account_id = a.id) ORDER BY id LIMIT 1',
      [ws.id],
    );
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/outcomes',
      headers: ws.auth,
      payload: { outcomes: [{ domain: rows[0].domain, status: 'lost' }] },
    });
    expect(res.statusCode, res.body).toBe(200);
  }

  beforeAll(async () => {
    db = await openTestDatabase();
    // Outcome changes would schedule debounced retrains of their own: push them out of the test's way.
    t = await jobsApp(db, { retrainDebounceMs: 3_600_000, webhookAllowPrivate: true });
    ws = await t.newWorkspace(1_200);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await db?.close();
  });

  it('pins a model activated by hand; a retrain then makes a ready model that is not activated, and says how to unpin', async () => {
    expect((await post('/v1/models')).statusCode).toBe(202);
    await t.jobs.idle();
    await loseOne();
    expect((await post('/v1/models')).statusCode).toBe(202);
    await t.jobs.idle();
    let [v2, v1] = await models();
    expect([v1.version, v2.version, v1.active, v2.active, v2.pinned]).toEqual([1, 2, false, true, false]);

    const rollback = await post(`/v1/models/${v1.id}/activate`);
    expect(rollback.statusCode, rollback.body).toBe(200);
    expect(rollback.json().model).toMatchObject({ id: v1.id, active: true, pinned: true });
    expect(rollback.json().model.note).toContain(`/v1/models/${v1.id}/unpin`);
    await t.jobs.idle();

    // The case: an outcome changes, the retrain runs.
    await loseOne();
    const result = await retrain();
    expect(result.modelId).toBeTypeOf('string');
    const [v3, , first] = await models();
    expect(v3).toMatchObject({ version: 3, status: 'ready', active: false, pinned: false });
    expect(v3.note).toContain('pinned');
    expect(v3.note).toContain(`POST /v1/models/${v1.id}/unpin`);
    expect(first).toMatchObject({ id: v1.id, active: true, pinned: true });
    // Training by hand does not move the pin either.
    [v2] = (await models()).filter((m) => m.version === 2);
    expect(v2.active).toBe(false);
  }, 300_000);

  it('reuses a ready model trained on the same data instead of adding a version, and activates it once unpinned', async () => {
    const before = await models();
    const pinnedStill = await retrain();
    expect(pinnedStill).toMatchObject({ reused: true, version: 3, activated: false });
    expect(pinnedStill.note).toContain('pinned');
    expect(await models()).toHaveLength(before.length);

    const v1 = before.find((m) => m.version === 1)!;
    const unpinned = await post(`/v1/models/${v1.id}/unpin`);
    expect(unpinned.statusCode, unpinned.body).toBe(200);
    expect(unpinned.json().model).toMatchObject({ id: v1.id, active: true, pinned: false });

    // Every activation goes one way: the reused model is announced as a trained one would be.
    const hook = await t.app.inject({
      method: 'POST',
      url: '/v1/webhooks',
      headers: ws.auth,
      payload: { url: 'http://127.0.0.1:9/hook', events: ['model.activated'] },
    });
    expect(hook.statusCode, hook.body).toBe(201);
    const reused = await retrain();
    expect(reused).toMatchObject({ reused: true, version: 3, activated: true });
    expect(reused.scoringJob).toBeTruthy();
    const { rows: events } = await db.pool.query<{ body: string }>(
      "SELECT body FROM webhook_events WHERE workspace_id = $1 AND type = 'model.activated'",
      [ws.id],
    );
    expect(events.map((e) => JSON.parse(e.body).data)).toEqual([
      expect.objectContaining({ model: expect.objectContaining({ id: reused.modelId, version: 3 }), by: 'retrain' }),
    ]);
    await t.app.inject({ method: 'DELETE', url: `/v1/webhooks/${hook.json().webhook.id}`, headers: ws.auth });
    const after = await models();
    expect(after).toHaveLength(before.length);
    expect(after.find((m) => m.active)).toMatchObject({ version: 3, pinned: false });

    // Nothing changed since: the retrain adds nothing and changes nothing.
    expect(await retrain()).toMatchObject({ reused: true, version: 3, activated: false });
    expect(await models()).toHaveLength(before.length);
  }, 300_000);

  it('answers 404 for an unknown model', async () => {
    expect((await post('/v1/models/00000000-0000-4000-8000-000000000000/unpin')).statusCode).toBe(404);
  });
});
