import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/pool.ts';
import { createJobHandlers } from '../../src/app.ts';
import { checkEvictionPolicy } from '../../src/jobs/bullmq.ts';
import { untilNextRun, type ChunkedProcessor } from '../../src/jobs/queue.ts';
import { startWorkers } from '../../src/jobs/worker.ts';
import { RETRAIN_SCHEDULES } from '../../src/model/jobs.ts';
import type { JobPayload } from '../../src/jobs/types.ts';
import { createScoreRun } from '../../src/prospects/repository.ts';
import { DomainError } from '../../src/lib/errors.ts';
import { openTestDatabase } from '../support/db.ts';
import { FAST_WORKER_SETTINGS, jobCompleted, jobsApp, loseOutcomesOneByOne, quietLog, waitFor, type JobsApp } from '../support/jobs.ts';
import { obliterateQueues, redisForTests, testPrefix } from '../support/redis.ts';

const redisUrl = await redisForTests();

describe('Redis eviction policy check', () => {
  const logged: string[] = [];
  const log = { ...quietLog, warn: (_obj: object, msg: string) => void logged.push(msg) };
  const redisWith = (policy: string) => ({ info: async () => `# Memory\r\nmaxmemory_policy:${policy}\r\n` }) as unknown as Redis;

  it('accepts noeviction and warns about any other policy (BullMQ would lose jobs)', async () => {
    expect(await checkEvictionPolicy(redisWith('noeviction'), log)).toBe('noeviction');
    expect(logged).toEqual([]);
    expect(await checkEvictionPolicy(redisWith('allkeys-lru'), log)).toBe('allkeys-lru');
    expect(logged).toEqual([expect.stringContaining('maxmemory-policy is allkeys-lru, not noeviction')]);
  });
});

// API (producer) and workers in this process, on one database; crash and outage tests use separate processes.
describe.skipIf(!redisUrl)('jobs on BullMQ', () => {
  const prefix = testPrefix('bullmq');
  let db: Database;
  let t: JobsApp;
  let workers: ReturnType<typeof startWorkers>;
  let ws: Awaited<ReturnType<JobsApp['newWorkspace']>>;
  let redis: Redis;
  const queue = (name: string) => new Queue(name, { connection: redis, prefix });
  /** Score runs whose first chunk fails once. */
  const failFirstChunkOnce = new Set<string>();

  beforeAll(async () => {
    db = await openTestDatabase();
    redis = new Redis(redisUrl!, { maxRetriesPerRequest: null });
    t = await jobsApp(db, { redisUrl: redisUrl!, prefix, retrainDebounceMs: 1_500, scoreChunkAccounts: 400 });
    const handlers = createJobHandlers(db, { scoreChunkAccounts: 400 });
    const scoring = handlers['scores.refresh'].process as ChunkedProcessor<JobPayload<'scores.refresh'>>;
    const chunk = scoring.chunk;
    scoring.chunk = async (pool, job, range, log) => {
      if (range.fromId === undefined && failFirstChunkOnce.delete(job.payload.runId))
        throw new DomainError('failed', 'injected', 'injected chunk failure');
      return chunk(pool, job, range, log);
    };
    workers = startWorkers({ pool: db.pool, handlers, redisUrl: redisUrl!, prefix, log: quietLog, settings: FAST_WORKER_SETTINGS });
    ws = await t.newWorkspace();
  });
  afterAll(async () => {
    await workers?.close();
    await t?.close();
    if (redisUrl) await obliterateQueues(redisUrl, prefix);
    redis?.disconnect();
    await db?.close();
  });

  let modelId: string;

  it('trains via the queue end to end: 202 at once, a worker trains, and scoring runs as a flow of chunks', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/models', headers: ws.auth, payload: {} });
    expect(res.statusCode, res.body).toBe(202);
    const { model, job } = res.json();
    modelId = model.id;
    expect(await queue('training').getJob(job.id)).toBeTruthy();

    await jobCompleted(db.pool, ws.id, job.id);
    const viaApi = (await t.app.inject({ method: 'GET', url: `/v1/jobs/${job.id}`, headers: ws.auth })).json().job;
    expect(viaApi).toMatchObject({ type: 'model.train', status: 'completed', attempts: 1, result: { modelId, activated: true } });
    expect((await t.app.inject({ method: 'GET', url: `/v1/models/${modelId}`, headers: ws.auth })).json().model).toMatchObject({
      status: 'ready',
      active: true,
    });

    const scoringId = viaApi.result.scoringJob.id;
    const scoring = await jobCompleted(db.pool, ws.id, scoringId);
    expect(scoring.progress).toMatchObject({ chunks: 4, chunksDone: 4, accountsDone: 1_500 });
    expect(scoring.result).toMatchObject({ accountsScored: 1_500 });
    const parent = (await queue('scoring').getJob(scoringId))!;
    expect(await parent.getDependenciesCount()).toMatchObject({ processed: 4, unprocessed: 0 });
    const page = (await t.app.inject({ method: 'GET', url: '/v1/prospects?limit=20', headers: ws.auth })).json();
    expect(page.data).toHaveLength(20);
    expect(page.model.id).toBe(modelId);
  });

  it('retries a failed chunk with backoff, reports the failure on the job, and still finishes the run', async () => {
    const runId = await createScoreRun(db.pool, ws.id, modelId);
    failFirstChunkOnce.add(runId);
    const { id } = await t.jobs.enqueue(ws.id, 'scores.refresh', { runId });
    const job = await jobCompleted(db.pool, ws.id, id, 30_000);
    expect(job.progress).toMatchObject({
      chunks: 4,
      chunksDone: 4,
      accountsDone: 1_500,
      chunkErrors: ['chunk 1, attempt 1 of 3: injected chunk failure'],
    });
    const chunk = (await queue('scoring').getJob(`${id}.0`))!;
    expect(chunk.attemptsMade).toBe(2);
    // Retried after the backoff (exponential, first delay 5 s), not at once.
    expect(Date.parse(job.finishedAt!) - Date.parse(job.startedAt!)).toBeGreaterThanOrEqual(5_000);
  });

  it('debounces 100 outcome writes into one retrain (one delayed, deduplicated BullMQ job) and one model version', async () => {
    const before = (await db.pool.query('SELECT count(*)::int AS n FROM models WHERE workspace_id = $1', [ws.id])).rows[0].n;
    const retrains = await loseOutcomesOneByOne(t.app, db.pool, ws, 100);
    expect(retrains).toHaveLength(1);
    expect(await queue('training').getJobCounts('delayed')).toEqual({ delayed: 1 });

    const retrain = await jobCompleted(db.pool, ws.id, retrains[0]);
    const { trainingJob } = retrain.result as { trainingJob: string };
    await jobCompleted(db.pool, ws.id, trainingJob);
    const after = (await db.pool.query('SELECT count(*)::int AS n FROM models WHERE workspace_id = $1', [ws.id])).rows[0].n;
    expect(after).toBe(before + 1);
  });

  it('keeps the retraining schedule as a BullMQ job scheduler, whose ticks enqueue the real job', async () => {
    await t.app.inject({ method: 'PUT', url: '/v1/settings/retraining', headers: ws.auth, payload: { schedule: 'weekly' } });
    const [scheduler] = await queue('training').getJobSchedulers();
    expect(scheduler).toMatchObject({ key: `model.retrain@${ws.id}`, every: 7 * 86_400_000 });
    // The next Monday, 03:00 UTC: the time the in-process timer picks too.
    const now = Date.now();
    expect(scheduler.next).toBe(now + untilNextRun(RETRAIN_SCHEDULES.weekly, now));
    expect(new Date(scheduler.next!).toISOString()).toMatch(/T03:00:00\.000Z$/);
    expect(new Date(scheduler.next!).getUTCDay()).toBe(1);
    await t.app.inject({ method: 'PUT', url: '/v1/settings/retraining', headers: ws.auth, payload: { schedule: 'off' } });
    expect(await queue('training').getJobSchedulers()).toEqual([]);

    // A one-second schedule (of a quick job): each tick becomes a job with its own row, which a worker runs.
    await t.jobs.schedule(ws.id, 'vectors.refresh', {}, { everyMs: 1_000, offsetMs: 0 });
    const run = await waitFor(
      'a scheduled job',
      async () => {
        const { rows } = await db.pool.query<{ id: string }>("SELECT id FROM jobs WHERE workspace_id = $1 AND type = 'vectors.refresh'", [
          ws.id,
        ]);
        return rows[0];
      },
      5_000,
    );
    await t.jobs.schedule(ws.id, 'vectors.refresh', {}, null);
    expect(await queue('vectors').getJobSchedulers()).toEqual([]);
    await jobCompleted(db.pool, ws.id, run.id);
  });
});
