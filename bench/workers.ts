// Worker scale-out benchmark: wall time of one universe scoring run — the scores.refresh job,
// a BullMQ flow of 50,000-account chunks — with 1 and with 2 worker processes (`npm run worker`).
//
//   npx tsx bench/workers.ts                       1,000,000 accounts, 1 then 2 workers
//   npx tsx bench/workers.ts --size 200k           another universe size (--quick: 100k)
//   flags: --workers 1,2   --data-dir DIR (PGlite: keep the loaded universe there, and reuse it next time)
//   --no-pglite / --no-postgres: PGlite always, PostgreSQL too when DATABASE_URL is set (a private
//   schema, dropped after; the workers connect to it with the schema in their DATABASE_URL)
//
// How: the embedded PGlite belongs to one process, so this process serves it over the Postgres wire
// protocol (@electric-sql/pglite-socket, DESIGN §5) and the workers connect with DATABASE_URL, as they
// would to PostgreSQL; REDIS_URL (default redis://127.0.0.1:6379) with a queue prefix of its own.
// Every SQL statement of every worker therefore runs here, one at a time, while the workers' own work
// (features, forest, explanations) runs in parallel: the CPU times printed show where the time goes.
// When this process is busy most of the wall time, the database bounds the speed-up, not the workers
// (PostgreSQL runs each connection's SQL in its own backend process).
// Wall time runs from the enqueue (which plans the chunks) to the job's completion in Postgres.
//
// The model is trained on a 20,000-account universe from the same generator, then copied into the big
// workspace (copiedModel): training on 1M accounts is not what this measures.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { migrate } from '../src/db/migrate.ts';
import { openDatabase } from '../src/db/pool.ts';
import { createJobQueue } from '../src/app.ts';
import { SCORE_CHUNK_ACCOUNTS } from '../src/prospects/jobs.ts';
import { createScoreRun } from '../src/prospects/repository.ts';
import { createWorkspace } from '../src/workspaces/service.ts';
import { startPgliteServer } from '../test/support/pglite-server.ts';
import { obliterateQueues, testPrefix } from '../test/support/redis.ts';
import {
  backends as selectBackends,
  backendCpuSampler,
  benchPlace,
  copiedModel,
  describeMachine,
  type Backend,
  fmt,
  isMain,
  loadUniverseStreaming,
  log,
  machineInfo,
  parseArgs,
  processCpuSeconds,
  round,
  ROOT,
  SHARED_MACHINE_NOTE,
  today,
  waitForJob,
} from './lib.ts';

export const WORKERS_BENCH_SIZE = 1_000_000;

export interface WorkersOptions {
  size?: number;
  workers?: number[];
  /** Keeps the loaded universe in this directory and reuses it when it is there. */
  dataDir?: string;
  redisUrl?: string;
  /** pglite (default) or postgres (DATABASE_URL). */
  backend?: Backend;
}

export interface WorkersRun {
  workers: number;
  seconds: number;
  accountsPerSecond: number;
  /** Chunks each worker process took. */
  chunksPerWorker: number[];
  /** CPU seconds: this process (PGlite, i.e. all SQL) and each worker process. */
  cpuSeconds: { database: number; workers: number[] };
  /** Share of the wall time the database process was busy: near 1, more workers cannot help. */
  databaseBusy: number;
  /** CPU seconds of all these processes per wall second: how many cores they actually got. */
  coresUsed: number;
  /** Wall and CPU seconds per stage of the run. */
  stages: StageCpu[];
}

/**
 * The stages of a scoring run: planning the chunks (in the process that enqueues the job: the API in
 * production, this bench here), scoring them (the workers, in parallel), finishing (one worker: tier
 * cut-offs over the run, pruning old runs, VACUUM ANALYZE of the scores).
 */
const STAGES = ['plan', 'chunks', 'finish'] as const;
type Stage = (typeof STAGES)[number];

export interface StageCpu {
  stage: Stage;
  wallSeconds: number;
  /** CPU seconds of this process (with PGlite, every SQL statement too). */
  coordinator: number;
  /** CPU seconds of all worker processes (their database and compute threads). */
  workers: number;
  /** CPU seconds of the PostgreSQL backends serving this process's connections, and the workers'; null on PGlite. */
  postgresCoordinator: number | null;
  postgresWorkers: number | null;
}

export interface WorkersResult {
  bench: 'workers';
  backend: Backend;
  note: string;
  conditions: string;
  accounts: number;
  chunks: number;
  setup: { loadSeconds: number | null; modelSeconds: number | null; reused: boolean };
  runs: WorkersRun[];
  /** Wall time with 1 worker / with the most workers. */
  speedup: number | null;
  /** Amdahl's law from the 1-worker run: the serial share of its wall time, and the speed-up it predicts. */
  amdahl: { serialFraction: number; predicted: Record<string, number> } | null;
}

/**
 * CPU seconds of every PostgreSQL server process on this machine (the database's share when the
 * workers use PostgreSQL). Other clients of the same server count too: on a shared machine it is an
 * upper bound.
 */
function postgresCpuSeconds(): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim().startsWith('postgres')) total += processCpuSeconds(Number(pid));
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/**
 * A universe (and a copy of a model trained elsewhere) in `dataDir` (PGlite) or at `databaseUrl`
 * (PostgreSQL), loaded straight through the service layer unless it is there already.
 */
async function prepare(where: { dataDir: string; databaseUrl?: string }, size: number) {
  const db = await openDatabase(where);
  try {
    await migrate(db.pool);
    const name = `Bench workers ${size}`;
    const existing = await db.pool.query<{ id: string; model: string }>(
      'SELECT w.id, m.id AS model FROM workspaces w JOIN models m ON m.workspace_id = w.id AND m.active WHERE w.name = $1',
      [name],
    );
    const accounts = async (workspaceId: string) =>
      (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts WHERE workspace_id = $1', [workspaceId])).rows[0].n;
    if (existing.rows[0]) {
      const { id, model } = existing.rows[0];
      return { workspaceId: id, modelId: model, accounts: await accounts(id), loadSeconds: null, modelSeconds: null, reused: true };
    }

    log(`loading ${fmt(size)} accounts (with outcomes and signals)…`);
    const workspaceId = (await createWorkspace(db.pool, name)).workspace.id;
    const loaded = await loadUniverseStreaming(db.pool, workspaceId, { seed: 11, count: size, now: today() }, undefined, (done) => {
      if (done % 100_000 === 0) log(`  ${fmt(done)} accounts`);
    });
    log('training a model on 20,000 accounts of a workspace of its own…');
    const model = await copiedModel(db.pool, workspaceId);
    return {
      workspaceId,
      modelId: model.modelId,
      accounts: await accounts(workspaceId),
      loadSeconds: loaded.seconds,
      modelSeconds: model.seconds,
      reused: false,
    };
  } finally {
    await db.close();
  }
}

function startWorker(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/worker-process.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const started = async () => {
    for (let i = 0; i < 600 && !output.includes('worker started'); i++) {
      if (child.exitCode !== null) throw new Error(`worker exited: ${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return { child, exited, started };
}

/** Where the PostgreSQL backends of this process and of the workers are told apart: by their connections' application_name. */
interface BackendNames {
  sampler: ReturnType<typeof backendCpuSampler>;
  coordinator: string;
}

async function scoringRun(
  pool: pg.Pool,
  enqueue: ReturnType<typeof createJobQueue>['enqueue'],
  chunks: Queue,
  target: ScoringTarget,
  workers: number,
  workerEnv: (index: number) => Record<string, string>,
  databaseCpuSeconds: () => number,
  backends: BackendNames | null,
): Promise<WorkersRun> {
  const processes = Array.from({ length: workers }, (_, i) => startWorker(workerEnv(i)));
  const thisProcess = () => {
    const cpu = process.cpuUsage();
    return (cpu.user + cpu.system) / 1e6;
  };
  // CPU seconds so far of every process the run uses, read at each stage's end.
  const snapshot = async () => {
    const totals = await backends?.sampler.totals();
    let postgresWorkers = 0;
    for (const [name, cpu] of totals ?? []) if (name !== backends?.coordinator) postgresWorkers += cpu;
    return {
      at: performance.now(),
      coordinator: thisProcess(),
      workers: processes.reduce((sum, p) => sum + processCpuSeconds(p.child.pid!), 0),
      postgresCoordinator: totals ? (totals.get(backends!.coordinator) ?? 0) : null,
      postgresWorkers: totals ? postgresWorkers : null,
    };
  };
  let id: string, seconds: number, databaseCpu: number, workerCpu: number[];
  const marks: Awaited<ReturnType<typeof snapshot>>[] = [];
  try {
    await Promise.all(processes.map((p) => p.started()));
    const cpuBefore = databaseCpuSeconds();
    const workerCpuBefore = processes.map((p) => processCpuSeconds(p.child.pid!));
    const runId = await createScoreRun(pool, target.workspaceId, target.modelId);
    marks.push(await snapshot());
    ({ id } = await enqueue(target.workspaceId, 'scores.refresh', { runId }));
    marks.push(await snapshot());
    // The chunks are done when the flow's parent stops waiting for its children.
    const parent = await chunks.getJob(id);
    while ((await parent?.getState()) === 'waiting-children') await new Promise((r) => setTimeout(r, 100));
    marks.push(await snapshot());
    const job = await waitForJob(pool, id);
    marks.push(await snapshot());
    seconds = (marks[3].at - marks[0].at) / 1000;
    if (job.status !== 'completed') throw new Error(`scoring failed: ${job.error}`);
    databaseCpu = databaseCpuSeconds() - cpuBefore;
    workerCpu = processes.map((p, i) => round(processCpuSeconds(p.child.pid!) - workerCpuBefore[i], 1));
  } finally {
    for (const p of processes) p.child.kill('SIGTERM');
    await Promise.all(processes.map((p) => p.exited));
  }
  const delta = (a: number | null, b: number | null) => (a === null || b === null ? null : round(b - a, 1));
  const stages: StageCpu[] = STAGES.map((stage, i) => ({
    stage,
    wallSeconds: round((marks[i + 1].at - marks[i].at) / 1000, 1),
    coordinator: round(marks[i + 1].coordinator - marks[i].coordinator, 1),
    workers: round(marks[i + 1].workers - marks[i].workers, 1),
    postgresCoordinator: delta(marks[i].postgresCoordinator, marks[i + 1].postgresCoordinator),
    postgresWorkers: delta(marks[i].postgresWorkers, marks[i + 1].postgresWorkers),
  }));

  const taken = new Map<string, number>();
  const jobs = await chunks.getJobs(['completed'], 0, -1);
  for (const j of jobs.filter((j) => j.name === 'chunk' && j.id!.startsWith(`${id}.`)))
    taken.set(j.processedBy!, (taken.get(j.processedBy!) ?? 0) + 1);
  const run: WorkersRun = {
    workers,
    seconds: round(seconds, 1),
    accountsPerSecond: Math.round(target.accounts / seconds),
    chunksPerWorker: [...taken.values()].sort((a, b) => b - a),
    cpuSeconds: { database: round(databaseCpu, 1), workers: workerCpu },
    databaseBusy: round(databaseCpu / seconds, 2),
    coresUsed: round((databaseCpu + workerCpu.reduce((a, b) => a + b, 0)) / seconds, 2),
    stages,
  };
  log(`  ${describeRun(run)}`);
  for (const stage of stages) log(`    ${describeStage(stage)}`);
  return run;
}

const describeStage = (s: StageCpu) =>
  `${s.stage.padEnd(6)} ${fmt(s.wallSeconds, 1)} s wall; CPU s: coordinator ${s.coordinator}, workers ${s.workers}` +
  (s.postgresCoordinator === null ? '' : `, PostgreSQL for the coordinator ${s.postgresCoordinator}, for the workers ${s.postgresWorkers}`);

/**
 * Amdahl's law from a 1-worker run: the plan and finish stages do not spread over workers (serial),
 * the chunks do. Speed-up with n workers = 1 / (s + (1 − s) / n), given a core per worker and a
 * database that keeps up (the chunks' PostgreSQL CPU grows with the workers: see the sizing in docs/performance.md).
 */
function amdahl(one: WorkersRun | undefined): WorkersResult['amdahl'] {
  if (!one) return null;
  const serial = one.stages.filter((s) => s.stage !== 'chunks').reduce((sum, s) => sum + s.wallSeconds, 0);
  const s = serial / one.stages.reduce((sum, x) => sum + x.wallSeconds, 0);
  const predicted: Record<string, number> = {};
  for (const n of [2, 8, 32]) predicted[n] = round(1 / (s + (1 - s) / n), 2);
  return { serialFraction: round(s, 3), predicted };
}

const describeRun = (r: WorkersRun) =>
  `${r.workers} worker process${r.workers > 1 ? 'es' : ''}: ${fmt(r.seconds, 1)} s wall, ${fmt(r.accountsPerSecond)} accounts/s; chunks per worker ${r.chunksPerWorker.join(' / ')}; ` +
  `CPU s: database ${r.cpuSeconds.database} (busy ${fmt(r.databaseBusy * 100)} % of the wall time), workers ${r.cpuSeconds.workers.join(' / ')}; ` +
  `cores used ${fmt(r.coresUsed, 2)} of ${os.availableParallelism()}`;

/** A universe to score under a model. */
export interface ScoringTarget {
  workspaceId: string;
  modelId: string;
  accounts: number;
}

/**
 * A universe scoring run through BullMQ, as production runs it: the scores.refresh job enqueued here
 * (the coordinator: the API in production), its chunks scored by worker processes (`npm run worker`'s
 * code) on `databaseUrl`, with Redis under a prefix of its own. `runs` measures one run per worker count.
 */
export async function withScoringQueue<T>(
  place: { databaseUrl: string; schema: string | null; databaseCpuSeconds: () => number },
  redisUrl: string,
  runs: (score: (target: ScoringTarget, workers: number) => Promise<WorkersRun>) => Promise<T>,
): Promise<T> {
  const prefix = testPrefix('bench');
  const db = await openDatabase({ databaseUrl: place.databaseUrl, dataDir: 'unused', maxConnections: 2 });
  const jobs = createJobQueue(db, { error: (obj, msg) => console.error(msg, obj) }, { redisUrl, prefix });
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const chunks = new Queue('scoring', { connection: redis, prefix });
  // On PostgreSQL each worker's connections are named apart, so that its backends' CPU is told from this process's.
  const workerEnv = (index: number) => {
    const url = new URL(place.databaseUrl);
    if (place.schema) url.searchParams.set('application_name', `${place.schema}_worker${index + 1}`);
    return {
      DATABASE_URL: url.toString().replace(/\+/g, '%20'),
      REDIS_URL: redisUrl,
      LOG_LEVEL: 'warn',
      TEST_WORKER_OPTIONS: JSON.stringify({ prefix }),
    };
  };
  const backendNames = place.schema ? { sampler: backendCpuSampler(db.pool, place.schema), coordinator: place.schema } : null;
  try {
    return await runs((target, workers) =>
      scoringRun(db.pool, jobs.enqueue, chunks, target, workers, workerEnv, place.databaseCpuSeconds, backendNames),
    );
  } finally {
    backendNames?.sampler.stop();
    await chunks.close();
    redis.disconnect();
    await jobs.close();
    await obliterateQueues(redisUrl, prefix);
    await db.close();
  }
}

export const DEFAULT_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function runWorkersBench(options: WorkersOptions = {}): Promise<WorkersResult> {
  const size = options.size ?? WORKERS_BENCH_SIZE;
  const workerCounts = options.workers ?? [1, 2];
  const backend = options.backend ?? 'pglite';
  const redisUrl = options.redisUrl ?? DEFAULT_REDIS_URL;
  // PostgreSQL: a private schema on DATABASE_URL (dropped after); PGlite: a data directory.
  const place = backend === 'postgres' ? await benchPlace('postgres', `workers_${size}`) : null;
  const dataDir = options.dataDir ?? place?.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'lookalike-bench-workers-')));
  try {
    const setup = await prepare({ dataDir, databaseUrl: place?.databaseUrl }, size);
    // PGlite belongs to one process: this one serves it (where openDatabase keeps it in a DATA_DIR) to the workers.
    const server = place ? null : await startPgliteServer(path.resolve(dataDir, 'pglite'));
    const databaseUrl = place?.databaseUrl ?? server!.url;
    const databaseCpuSeconds = place
      ? postgresCpuSeconds
      : () => {
          const cpu = process.cpuUsage();
          return (cpu.user + cpu.system) / 1e6;
        };
    try {
      const queued = { databaseUrl, schema: place?.schema ?? null, databaseCpuSeconds };
      return await withScoringQueue(queued, redisUrl, async (score) => {
        const target = { workspaceId: setup.workspaceId, modelId: setup.modelId, accounts: setup.accounts };
        const chunkCount = Math.max(1, Math.ceil(target.accounts / SCORE_CHUNK_ACCOUNTS));
        log(`${backend}: scoring ${fmt(target.accounts)} accounts in ${chunkCount} chunks…`);
        const runs: WorkersRun[] = [];
        for (const n of workerCounts) runs.push(await score(target, n));
        return workersResult(backend, target.accounts, chunkCount, setup, runs, place !== null, redisUrl);
      });
    } finally {
      await server?.stop();
    }
  } finally {
    if (place) await place.cleanup();
    else if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

function workersResult(
  backend: Backend,
  accounts: number,
  chunks: number,
  setup: Awaited<ReturnType<typeof prepare>>,
  runs: WorkersRun[],
  postgres: boolean,
  redisUrl: string,
): WorkersResult {
  const one = runs.find((r) => r.workers === 1);
  const most = runs.reduce((a, b) => (b.workers > a.workers ? b : a));
  return {
    bench: 'workers',
    backend,
    note: SHARED_MACHINE_NOTE,
    conditions:
      `${describeMachine(machineInfo())}; ` +
      (postgres
        ? 'PostgreSQL (private schema on DATABASE_URL; database CPU = all postgres processes on the machine, an upper bound), workers on DATABASE_URL; '
        : 'PGlite (on disk) served by this process over pglite-socket, workers on DATABASE_URL; ') +
      `Redis ${redisUrl}; chunks of ${fmt(SCORE_CHUNK_ACCOUNTS)} accounts`,
    accounts,
    chunks,
    setup: {
      loadSeconds: setup.loadSeconds && round(setup.loadSeconds, 0),
      modelSeconds: setup.modelSeconds && round(setup.modelSeconds, 0),
      reused: setup.reused,
    },
    runs,
    speedup: one && most !== one ? round(one.seconds / most.seconds, 2) : null,
    amdahl: amdahl(one),
  };
}

export function printWorkers(result: WorkersResult) {
  console.log(`\nWorkers (universe scoring as a BullMQ flow), ${result.backend}`);
  console.log(`  ${fmt(result.accounts)} accounts, ${result.chunks} chunks; ${result.conditions}`);
  if (!result.setup.reused)
    console.log(`  setup: model ${fmt(result.setup.modelSeconds ?? NaN, 0)} s, loading ${fmt(result.setup.loadSeconds ?? NaN, 0)} s`);
  for (const r of result.runs) {
    console.log(`  ${describeRun(r)}`);
    for (const stage of r.stages) console.log(`    ${describeStage(stage)}`);
  }
  if (result.speedup !== null) console.log(`  speed-up: ${fmt(result.speedup, 2)}×`);
  if (result.amdahl)
    console.log(
      `  Amdahl (1-worker run): serial fraction ${result.amdahl.serialFraction}; predicted speed-up ` +
        Object.entries(result.amdahl.predicted)
          .map(([n, x]) => `${n} workers ${fmt(x, 2)}×`)
          .join(', '),
    );
  console.log(`  ${result.note}`);
}

if (isMain(import.meta.url)) {
  const args = parseArgs();
  const workers = args.values.get('workers')?.split(',').map(Number);
  const size = args.sizes?.[0] ?? (args.quick ? 100_000 : undefined);
  // PGlite unless --no-pglite; PostgreSQL too when DATABASE_URL is set (unless --no-postgres).
  for (const backend of selectBackends(args))
    printWorkers(
      await runWorkersBench({ size, workers, backend, dataDir: backend === 'pglite' ? args.values.get('data-dir') : undefined }),
    );
}
