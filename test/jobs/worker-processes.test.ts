import { spawn } from 'node:child_process';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.ts';
import { openDatabase, type Database } from '../../src/db/pool.ts';
import { createScoreRun } from '../../src/prospects/repository.ts';
import { FAST_WORKER_SETTINGS, jobCompleted, jobsApp, waitFor, type JobsApp } from '../support/jobs.ts';
import { openSharedTestDatabase } from '../support/db.ts';
import { obliterateQueues, redisForTests, testPrefix } from '../support/redis.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const redisUrl = await redisForTests();

// `npm run worker` processes (workers/main.ts, with this test's prefix and short locks) sharing one
// database: the embedded one served over the wire as DESIGN §5 describes, or, with DATABASE_URL, a
// private schema on that PostgreSQL server.
describe.skipIf(!redisUrl)('worker processes', () => {
  const prefix = testPrefix('workers');
  let server: Awaited<ReturnType<typeof openSharedTestDatabase>>;
  let db: Database;
  let t: JobsApp;
  let ws: Awaited<ReturnType<JobsApp['newWorkspace']>>;
  let redis: Redis;
  const running = new Set<ReturnType<typeof startWorker>>();

  function startWorker() {
    // Node itself with tsx's loader (not the tsx CLI, which runs the script in a child): a signal hits the worker.
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/worker-process.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: server.url,
        REDIS_URL: redisUrl!,
        LOG_LEVEL: 'info',
        TEST_WORKER_OPTIONS: JSON.stringify({ prefix, settings: FAST_WORKER_SETTINGS, scoreChunkAccounts: 400 }),
      },
    });
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const worker = {
      child,
      exited,
      output: () => output,
      started: () => waitFor('the worker to start', async () => output.includes('worker started'), 30_000),
    };
    running.add(worker);
    void exited.then(() => running.delete(worker));
    return worker;
  }

  beforeAll(async () => {
    server = await openSharedTestDatabase();
    db = await openDatabase({ databaseUrl: server.url, dataDir: 'unused', maxConnections: 4 });
    await migrate(db.pool);
    redis = new Redis(redisUrl!, { maxRetriesPerRequest: null });
    t = await jobsApp(db, { redisUrl: redisUrl!, prefix, scoreChunkAccounts: 400 });
    ws = await t.newWorkspace(3_000);
  }, 120_000);
  afterAll(async () => {
    for (const worker of running) worker.child.kill('SIGKILL');
    await Promise.all([...running].map((w) => w.exited));
    await t?.close();
    if (redisUrl) await obliterateQueues(redisUrl, prefix);
    redis?.disconnect();
    await db?.close();
    await server?.stop();
  });

  let modelId: string;

  it("completes a SIGKILLed worker's job on a second worker, with exactly one model version", async () => {
    const first = startWorker();
    await first.started();
    const res = await t.app.inject({ method: 'POST', url: '/v1/models', headers: ws.auth, payload: {} });
    expect(res.statusCode, res.body).toBe(202);
    const { model, job } = res.json();
    modelId = model.id;
    await waitFor('the first worker to be training', async () => {
      const { rows } = await db.pool.query("SELECT 1 FROM jobs WHERE id = $1 AND status = 'running' AND progress IS NOT NULL", [job.id]);
      return rows.length > 0;
    });
    first.child.kill('SIGKILL');
    await first.exited;

    const second = startWorker();
    const done = await jobCompleted(db.pool, ws.id, job.id, 90_000);
    // Two starts: the killed one and the one that finished.
    expect(done.attempts).toBe(2);
    expect(second.output()).toContain('stalled');
    const models = await db.pool.query('SELECT id, status, active FROM models WHERE workspace_id = $1', [ws.id]);
    expect(models.rows).toEqual([{ id: modelId, status: 'ready', active: true }]);
  }, 150_000);

  it('shares the chunks of one scoring run between two worker processes', async () => {
    if (running.size < 2) await startWorker().started();
    const runId = await createScoreRun(db.pool, ws.id, modelId);
    const { id } = await t.jobs.enqueue(ws.id, 'scores.refresh', { runId });
    const job = await jobCompleted(db.pool, ws.id, id, 90_000);
    expect(job.progress).toMatchObject({ chunks: 8, chunksDone: 8, accountsDone: 3_000 });
    const scoring = new Queue('scoring', { connection: redis, prefix });
    const chunks = await Promise.all([...Array(8).keys()].map((i) => scoring.getJob(`${id}.${i}`)));
    expect(new Set(chunks.map((c) => c!.processedBy)).size).toBe(2);
    await scoring.close();
  }, 120_000);

  it('on SIGTERM, finishes the job in hand, then exits 0 (worker.close())', async () => {
    const [worker] = running;
    // The last run's follow-up jobs (its backtest snapshot) share the scoring queue: let them finish first.
    await waitFor('the workers to be idle', async () => {
      const { rowCount } = await db.pool.query("SELECT 1 FROM jobs WHERE workspace_id = $1 AND status IN ('queued', 'running')", [ws.id]);
      return rowCount === 0;
    });
    const runId = await createScoreRun(db.pool, ws.id, modelId);
    const scoring = await t.jobs.enqueue(ws.id, 'scores.refresh', { runId });
    const queue = new Queue('scoring', { connection: redis, prefix });
    // The signal must find this worker with one of this run's chunks in hand; the other worker takes the rest.
    await waitFor('a chunk in progress on the worker to be stopped', async () => {
      const active = await queue.getActive();
      return active.some((c) => c.id!.startsWith(`${scoring.id}.`) && c.processedBy?.endsWith(`:${worker.child.pid}`));
    });
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toContain('finishing the jobs in hand');
    expect(worker.output()).not.toContain('"level":50');
    // The other worker does the rest; no chunk was dropped or failed.
    const done = await jobCompleted(db.pool, ws.id, scoring.id, 90_000);
    expect(done.progress).toMatchObject({ chunksDone: 8, accountsDone: 3_000 });
    expect(done.progress).not.toHaveProperty('chunkErrors');
    const chunks = await Promise.all([...Array(8).keys()].map((i) => queue.getJob(`${scoring.id}.${i}`)));
    await queue.close();
    expect(chunks.some((c) => c!.processedBy?.endsWith(`:${worker.child.pid}`))).toBe(true);
    // Each chunk started once: none was dropped by the stopping worker and taken up again.
    expect(chunks.map((c) => c!.attemptsStarted)).toEqual(Array(8).fill(1));
  }, 120_000);
});
