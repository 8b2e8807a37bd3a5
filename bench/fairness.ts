// Replays what an adversarial tenant did to the background work, and measures what fairness costs:
//
//   npx tsx bench/fairness.ts                      both queue modes (BullMQ needs Redis at REDIS_URL or 127.0.0.1:6379)
//   npx tsx bench/fairness.ts --mode in-process    one mode (none: neither, e.g. with --upserts alone)
//   npx tsx bench/fairness.ts --upserts            also two opposite-order upserts at once (PostgreSQL: DATABASE_URL)
//   npx tsx bench/fairness.ts --limit 600          give up waiting for B after this many seconds (default 600)
//   npx tsx bench/fairness.ts --no-compute         skip the compute thread's own measurement
//
// Per queue mode, in one process (the API on a real port, and with BullMQ its worker in the same process):
//   1. workspace B's small training alone: seconds from POST /v1/models to a ready model;
//   2. workspace A trains at the maximum budget (50 bags × 20 trees, 50 × 4 unlabelled draws: both limits of
//      the cost budget) with its webhook receiver answering a byte every 2 s, and once A's forest is growing
//      B asks again: seconds to B's ready model, /health over HTTP meanwhile (every 100 ms: p50, p99, max),
//      and how long A's delivery attempts were held. A is then stopped (its compute thread ends).
// And the compute thread on its own: two stepped tasks of the same length one after the other, then at
// once, for what taking turns costs in total throughput.
import { createServer, type AddressInfo, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, createJobHandlers } from '../src/app.ts';
import { runTask, stopComputeThread } from '../src/compute/thread.ts';
import { STEPPED_WORK, WHOLE_WORK } from '../test/support/compute-tasks.ts';
import { migrate } from '../src/db/migrate.ts';
import { openDatabase, type Database } from '../src/db/pool.ts';
import { createPrivateSchema } from '../src/db/private-schema.ts';
import { loadGeneratedUniverse } from '../src/demo/load.ts';
import type { JobQueue } from '../src/jobs/queue.ts';
import { startWorkers } from '../src/jobs/worker.ts';
import { emitEvent } from '../src/webhooks/service.ts';
import { createWorkspace } from '../src/workspaces/service.ts';
import { describeMachine, fmt, median, percentile } from './lib.ts';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const modes = (option('mode') === 'none' ? [] : option('mode') ? [option('mode')] : ['in-process', 'bullmq']) as (
  | 'in-process'
  | 'bullmq'
)[];
const limitMs = Number(option('limit') ?? 600) * 1000;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const MAX_BUDGET_PARAMS = { bags: 50, treesPerBag: 20, unlabelledRatio: 4 };
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/** The trickling receiver listens on 127.0.0.1. */
const SETTINGS = { webhookAllowPrivate: true };
const log = (line: string) => console.log(line);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function database(): Promise<{ db: Database; drop(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const db = await openDatabase({ dataDir: 'memory://' });
    await migrate(db.pool);
    return { db, drop: () => db.close() };
  }
  const place = await createPrivateSchema(url, 'bench');
  const db = await openDatabase({ databaseUrl: place.url, dataDir: 'unused' });
  await migrate(db.pool);
  return {
    db,
    async drop() {
      await db.close();
      await place.drop();
    },
  };
}

async function tricklingReceiver() {
  const sockets = new Set<Socket>();
  const timers: NodeJS.Timeout[] = [];
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('data', () => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n');
      timers.push(setInterval(() => socket.writable && socket.write('x'), 2_000));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    close() {
      timers.forEach(clearInterval);
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Polls `check` every 100 ms until it returns something, or `limit` ms pass (then null). */
async function until<T>(check: () => Promise<T | null | undefined | false>, limit = limitMs): Promise<T | null> {
  const deadline = Date.now() + limit;
  while (Date.now() < deadline) {
    const value = await check();
    if (value) return value;
    await sleep(100);
  }
  return null;
}

/** GET /health over HTTP every 100 ms until stopped: the latencies in ms. */
function healthSampler(base: string) {
  const latencies: number[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const started = performance.now();
      await fetch(`${base}/health`).then((r) => r.arrayBuffer());
      latencies.push(performance.now() - started);
      await sleep(100);
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      return { n: latencies.length, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies) };
    },
  };
}

interface ModeResult {
  mode: string;
  bAloneS: number | null;
  bBesideS: number | null;
  aStillTraining: boolean;
  health: { n: number; p50: number; p99: number; max: number };
  deliveryAttemptsS: number[];
}

async function replay(mode: 'in-process' | 'bullmq'): Promise<ModeResult> {
  const { db, drop } = await database();
  const prefix = `bench-fair-${process.pid}`;
  const { app, jobs } = await buildApp({
    config: { LOG_LEVEL: 'silent' },
    db,
    adminToken: 'bench-admin-token-0123456789',
    jobs: { ...(mode === 'bullmq' ? { redisUrl, prefix } : {}), log: quiet },
    settings: SETTINGS,
    spoolDir: path.join(os.tmpdir(), 'lookalike-bench-spool'),
    rateLimit: false,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const workers =
    mode === 'bullmq'
      ? startWorkers({ pool: db.pool, handlers: createJobHandlers(db, SETTINGS), redisUrl, prefix, log: quiet })
      : undefined;
  const receiver = await tricklingReceiver();
  try {
    const workspace = async (count: number) => {
      const { workspace, apiKey } = await createWorkspace(db.pool, `bench ${count}`);
      await loadGeneratedUniverse(db.pool, workspace.id, { seed: 5, count, now: new Date(), outcomeScale: 3 });
      return { id: workspace.id, headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' } };
    };
    const a = await workspace(1_500);
    const b = await workspace(600);
    const post = (ws: { headers: Record<string, string> }, url: string, body: object) =>
      fetch(`${base}${url}`, { method: 'POST', headers: ws.headers, body: JSON.stringify(body) }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as Record<string, { id: string }>,
      }));
    const status = async (id: string) =>
      (await db.pool.query<{ status: string }>('SELECT status FROM models WHERE id = $1', [id])).rows[0]?.status;
    const trainB = async () => {
      const asked = performance.now();
      const res = await post(b, '/v1/models', {});
      if (res.status !== 202) throw new Error(`B's training was refused: ${res.status} ${JSON.stringify(res.body)}`);
      const ready = await until(async () => (await status(res.body.model.id)) === 'ready');
      return ready ? (performance.now() - asked) / 1000 : null;
    };
    const settle = (queue: JobQueue) =>
      until(async () => {
        await queue.idle();
        const { rows } = await db.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM jobs WHERE status IN ('queued', 'running')");
        return rows[0].n === 0;
      });

    // 1. B alone.
    const bAloneS = await trainB();
    await settle(jobs);
    log(`  ${mode}: B's small training alone: ${bAloneS === null ? 'not ready' : `${fmt(bAloneS, 1)} s`}`);

    // 2. A at the maximum budget behind a trickling receiver, then B again.
    const hook = await post(a, '/v1/webhooks', { url: receiver.url, events: ['scoring.completed', 'model.ready'] });
    if (hook.status !== 201) throw new Error(`webhook refused: ${JSON.stringify(hook.body)}`);
    for (let i = 0; i < 3; i++) {
      await emitEvent(
        db.pool,
        jobs.enqueue,
        { workspaceId: a.id, type: 'scoring.completed', dedupeKey: `trickle:${i}`, data: {} },
        console,
      );
    }
    const big = await post(a, '/v1/models', { params: MAX_BUDGET_PARAMS });
    if (big.status !== 202) throw new Error(`A's training was refused: ${JSON.stringify(big.body)}`);
    await until(async () => {
      const { rows } = await db.pool.query("SELECT progress->>'step' AS step FROM jobs WHERE id = $1", [big.body.job.id]);
      return rows[0]?.step === 'training';
    });
    const sampler = healthSampler(base);
    const bBesideS = await trainB();
    const health = await sampler.stop();
    const aStillTraining = (await status(big.body.model.id)) === 'training';
    const { rows: attempts } = await db.pool.query<{ s: number }>(
      `SELECT extract(epoch FROM a.finished_at - a.started_at)::float8 AS s FROM webhook_attempts a
       JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.workspace_id = $1 ORDER BY a.started_at`,
      [a.id],
    );
    log(
      `  ${mode}: B beside A's maximum-budget training: ${bBesideS === null ? `not ready after ${limitMs / 1000} s` : `${fmt(bBesideS, 1)} s`}` +
        ` (A still training: ${aStillTraining}); /health over HTTP meanwhile: p50 ${fmt(health.p50)} ms, p99 ${fmt(health.p99)} ms,` +
        ` max ${fmt(health.max)} ms (${health.n} requests); A's delivery attempts: ${attempts.map((r) => `${fmt(r.s, 1)} s`).join(', ') || 'none ended yet'}`,
    );
    return { mode, bAloneS, bBesideS, aStillTraining, health, deliveryAttemptsS: attempts.map((r) => r.s) };
  } finally {
    await stopComputeThread();
    await workers?.close();
    await app.close();
    await jobs.close();
    if (mode === 'bullmq') {
      const { obliterateQueues } = await import('../test/support/redis.ts');
      await obliterateQueues(redisUrl, prefix);
    }
    await receiver.close();
    await drop();
  }
}

/** The compute thread alone: what taking turns costs in total throughput. */
async function computeCost() {
  await runTask(WHOLE_WORK, { ms: 1 });
  const input = { steps: 300, stepMs: 10 };
  const alone: number[] = [];
  const together: number[] = [];
  for (let run = 0; run < 3; run++) {
    let started = performance.now();
    await runTask(STEPPED_WORK, input, 'a');
    await runTask(STEPPED_WORK, input, 'b');
    alone.push(performance.now() - started);
    started = performance.now();
    await Promise.all([runTask(STEPPED_WORK, input, 'a'), runTask(STEPPED_WORK, input, 'b')]);
    together.push(performance.now() - started);
  }
  await stopComputeThread();
  return { aloneMs: median(alone), togetherMs: median(together), ratio: median(together) / median(alone) };
}

/** Two POST /v1/accounts of the same 5,000 domains in opposite orders at once, three times: the status codes. */
async function oppositeUpserts() {
  const { db, drop } = await database();
  const { app, jobs } = await buildApp({
    config: { LOG_LEVEL: 'silent' },
    db,
    adminToken: 'bench-admin-token-0123456789',
    jobs: { log: quiet },
    spoolDir: path.join(os.tmpdir(), 'lookalike-bench-spool'),
    rateLimit: false,
  });
  try {
    const { apiKey } = await createWorkspace(db.pool, 'bench upserts');
    const inject = (app as FastifyInstance).inject.bind(app);
    const domains = Array.from({ length: 5_000 }, (_, i) => `opposite-${i}.example`);
    const statuses: number[][] = [];
    for (let round = 0; round < 3; round++) {
      const accounts = domains.map((domain, i) => ({ domain, name: `Company ${i}`, employees: 10 + round }));
      const send = (list: object[]) =>
        inject({ method: 'POST', url: '/v1/accounts', headers: { authorization: `Bearer ${apiKey}` }, payload: { accounts: list } });
      const answers = await Promise.all([send(accounts), send(accounts.slice().reverse())]);
      statuses.push(answers.map((r) => r.statusCode));
    }
    return statuses;
  } finally {
    await app.close();
    await jobs.close();
    await drop();
  }
}

log(`bench/fairness.ts on ${describeMachine()}, ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}, load ${os.loadavg()[0].toFixed(1)}`);
const results: Record<string, unknown> = { date: new Date().toISOString(), loadBefore: os.loadavg()[0] };
if (!args.includes('--no-compute')) {
  const cost = await computeCost();
  log(
    `  compute thread: two 3 s stepped tasks one after the other ${fmt(cost.aloneMs)} ms, taking turns ${fmt(cost.togetherMs)} ms (${fmt(cost.ratio, 3)}×)`,
  );
  results.computeCost = cost;
}
for (const mode of modes) results[mode] = await replay(mode);
if (args.includes('--upserts')) {
  results.oppositeUpserts = await oppositeUpserts();
  log(`  two opposite-order upserts of 5,000 domains at once, 3 rounds: ${JSON.stringify(results.oppositeUpserts)}`);
}
results.loadAfter = os.loadavg()[0];
log(JSON.stringify(results));
process.exit(0);
