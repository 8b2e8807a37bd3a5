import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/pool.ts';
import { untilNextRun } from '../../src/jobs/queue.ts';
import { vectorJobs } from '../../src/features/jobs.ts';
import { completeJob, getJob, insertJob, listSchedules } from '../../src/jobs/repository.ts';
import { RETRAIN_SCHEDULES } from '../../src/model/jobs.ts';
import { openTestDatabase } from '../support/db.ts';
import { jobCompleted, jobsApp, loseOutcomesOneByOne, quietLog, waitFor, type JobsApp } from '../support/jobs.ts';

// The embedded default (no REDIS_URL): the same processors and triggers, run in this process one at a time.
describe('jobs in-process', () => {
  let db: Database;
  let t: JobsApp;
  let ws: Awaited<ReturnType<JobsApp['newWorkspace']>>;

  beforeAll(async () => {
    db = await openTestDatabase();
    t = await jobsApp(db, { retrainDebounceMs: 1_500, scoreChunkAccounts: 400 });
    ws = await t.newWorkspace();
  });
  afterAll(async () => {
    await t?.close();
    await db?.close();
  });

  it('debounces 100 outcome changes into one retrain: one model version, trained, then the universe scored in chunks', async () => {
    const retrains = await loseOutcomesOneByOne(t.app, db.pool, ws, 100);
    expect(retrains).toHaveLength(1);

    const retrain = await jobCompleted(db.pool, ws.id, retrains[0]);
    const { modelId, trainingJob } = retrain.result as { modelId: string; trainingJob: string };
    const training = await jobCompleted(db.pool, ws.id, trainingJob);
    expect(training.result).toMatchObject({ modelId, activated: true });
    const models = await db.pool.query('SELECT id, status FROM models WHERE workspace_id = $1', [ws.id]);
    expect(models.rows).toEqual([{ id: modelId, status: 'ready' }]);

    const scoring = await jobCompleted(db.pool, ws.id, (training.result as { scoringJob: { id: string } }).scoringJob.id);
    expect(scoring.progress).toMatchObject({ chunks: 4, chunksDone: 4, accountsDone: 1_500 });
    expect(scoring.result).toMatchObject({ accountsScored: 1_500 });
  });

  it('runs a schedule on intervals aligned to the epoch, kept in Postgres, and stops it', async () => {
    // Weekly: Mondays, 03:00 UTC. From Monday 2026-01-05 12:00 the next run is Monday 2026-01-12, 03:00.
    const monday = Date.UTC(2026, 0, 5, 12);
    expect(untilNextRun(RETRAIN_SCHEDULES.weekly, monday)).toBe(Date.UTC(2026, 0, 12, 3) - monday);
    expect(untilNextRun(RETRAIN_SCHEDULES.daily, monday)).toBe(Date.UTC(2026, 0, 6, 3) - monday);

    const put = await t.app.inject({ method: 'PUT', url: '/v1/settings/retraining', headers: ws.auth, payload: { schedule: 'weekly' } });
    expect(put.json()).toEqual({ schedule: 'weekly' });
    expect((await t.app.inject({ method: 'GET', url: '/v1/settings/retraining', headers: ws.auth })).json()).toEqual({
      schedule: 'weekly',
    });
    const stored = await db.pool.query('SELECT type, every_ms FROM job_schedules WHERE workspace_id = $1', [ws.id]);
    expect(stored.rows).toEqual([{ type: 'model.retrain', every_ms: String(7 * 86_400_000) }]);
    expect(await listSchedules(db.pool)).toEqual([
      { workspaceId: ws.id, type: 'model.retrain', payload: { reason: 'schedule' }, every: RETRAIN_SCHEDULES.weekly },
    ]);

    const off = await t.app.inject({ method: 'PUT', url: '/v1/settings/retraining', headers: ws.auth, payload: { schedule: 'off' } });
    expect(off.json()).toEqual({ schedule: 'off' });
    expect((await db.pool.query('SELECT 1 FROM job_schedules WHERE workspace_id = $1', [ws.id])).rowCount).toBe(0);

    // The same timers with a one-second interval (and a quick job): it runs on the next whole second, and again.
    await t.jobs.schedule(ws.id, 'vectors.refresh', {}, { everyMs: 1_000, offsetMs: 0 });
    const runs = await waitFor(
      'two scheduled runs',
      async () => {
        const { rows } = await db.pool.query("SELECT status FROM jobs WHERE workspace_id = $1 AND type = 'vectors.refresh'", [ws.id]);
        return rows.length >= 2 && rows;
      },
      5_000,
    );
    await t.jobs.schedule(ws.id, 'vectors.refresh', {}, null);
    await t.jobs.idle();
    expect(runs.length).toBeLessThanOrEqual(3);
  });

  it('resumes, on recover(), the jobs a stop cut short', async () => {
    const { rows } = await db.pool.query<{ id: string }>(
      "INSERT INTO jobs (workspace_id, type, payload, status) VALUES ($1, 'vectors.refresh', '{}', 'running') RETURNING id",
      [ws.id],
    );
    expect(await t.jobs.recover()).toBe(1);
    expect((await jobCompleted(db.pool, ws.id, rows[0].id)).attempts).toBe(1);
  });

  it('does not pause vectorising for a retrain that is only waiting: a CRM sync that keeps changing outcomes puts it off again and again', async () => {
    const busy = await t.newWorkspace(300);
    // A debounced retrain waiting for its delay: recorded, queued, not started.
    const retrain = await insertJob(db.pool, busy.id, 'model.retrain', { reason: 'outcomes' });
    const { id } = await t.jobs.enqueue(busy.id, 'vectors.refresh', {});
    // Paused, it would hold one of the two vectors slots for up to 15 minutes: two such workspaces, and every other workspace's vectorising waits.
    const done = await jobCompleted(db.pool, busy.id, id, 15_000);
    expect(done.progress).toEqual({ accountsDone: 300 });
    await completeJob(db.pool, retrain, {});
  });

  it('pauses vectorising while the workspace’s scoring is under way, then finishes it; a pause has a budget', async () => {
    const other = await t.newWorkspace(600);
    const vectors = async () =>
      (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM account_vectors WHERE workspace_id = $1', [other.id])).rows[0].n;
    // A scoring job waiting its turn: recorded, not handed to the queue, so it stays queued until this test ends it.
    const scoring = await insertJob(db.pool, other.id, 'scores.refresh', { runId: '00000000-0000-4000-8000-000000000000' });
    const { id } = await t.jobs.enqueue(other.id, 'vectors.refresh', {});
    const paused = await waitFor('the vectors job to pause', async () => {
      const job = (await getJob(db.pool, other.id, id))!;
      return job.progress?.pausedForRanking === true && job;
    });
    expect(paused.status).toBe('running');
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(await vectors()).toBe(0);
    // Another workspace's vectorising does not wait for it.
    expect((await jobCompleted(db.pool, ws.id, (await t.jobs.enqueue(ws.id, 'vectors.refresh', {})).id)).status).toBe('completed');

    await completeJob(db.pool, scoring, {});
    const done = await jobCompleted(db.pool, other.id, id);
    expect(done.progress).toEqual({ accountsDone: 600 });
    expect(await vectors()).toBe(600);

    // A scoring job that never ends holds vectorising up for the budget, no longer.
    const stuck = vectorJobs(db, { underway: async () => true, pollMs: 20, maxPauseMs: 300 })['vectors.refresh'];
    const progress: Record<string, unknown>[] = [];
    const started = Date.now();
    const result = await (stuck.process as (ctx: unknown) => Promise<{ vectorised: number }>)({
      pool: db.pool,
      job: { id, workspaceId: other.id, payload: {} },
      log: quietLog,
      progress: async (p: Record<string, unknown>) => void progress.push(p),
      enqueue: t.jobs.enqueue,
    });
    expect(result.vectorised).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(progress[0]).toEqual({ accountsDone: 0, pausedForRanking: true });
  });
});
