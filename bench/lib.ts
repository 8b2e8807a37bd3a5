// Shared helpers for the benchmarks: statistics, timing, RSS sampling, machine description,
// a service or database on a temporary DATA_DIR (or a private schema on DATABASE_URL), a streaming
// universe loader, and an HTTP load generator (autocannon) run in a separate process.
//
// Figures from these benches come from a shared 2-core machine: quote medians, and ratios against
// a baseline measured in the same process where there is one.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type pg from 'pg';
import { median as medianOf } from '../src/lib/stats.ts';
import { upsertAccounts } from '../src/accounts/repository.ts';
import type { Account } from '../src/accounts/schema.ts';
import { loadConfig } from '../src/config.ts';
import { migrate } from '../src/db/migrate.ts';
import { openDatabase, type Database } from '../src/db/pool.ts';
import { createPrivateSchema } from '../src/db/private-schema.ts';
import { generateCrm, type AccountCrm, type CrmOptions, type DemoOutcome, type DemoSignal } from '../src/demo/universe.ts';
import { createJobQueue } from '../src/app.ts';
import type { JobQueue } from '../src/jobs/queue.ts';
import { insertModel } from '../src/model/repository.ts';
import { trainModel } from '../src/model/training.ts';
import { recordOutcomes } from '../src/outcomes/service.ts';
import { startService, type RunningService } from '../src/service.ts';
import { recordSignals } from '../src/signals/service.ts';
import { createWorkspace } from '../src/workspaces/service.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED_MACHINE_NOTE =
  'Figures come from a shared, noisy 2-core machine (other sessions run tests and benches on it): medians over runs; treat single figures as ±20 %.';

// ---------------------------------------------------------------------------------------------
// Statistics and timing

/** The median, NaN for no values (a bench prints it). */
export const median = (values: number[]): number => medianOf(values) ?? Number.NaN;

/** Nearest-rank percentile, p in [0, 100]. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = values.slice().sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;

export async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  const start = performance.now();
  const result = await work();
  return { seconds: (performance.now() - start) / 1000, result };
}

export const round = (x: number, digits = 2) => (Number.isFinite(x) ? Math.round(x * 10 ** digits) / 10 ** digits : x);
export const fmt = (x: number, digits = 0) =>
  Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : String(x);
export const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** Samples the resident memory of process `pid` (Linux /proc) every `intervalMs` until stopped. */
export function sampleRss(pid: number, intervalMs = 100) {
  const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  const start = rss();
  let peak = start;
  let samples = 0;
  const timer = setInterval(() => {
    samples++;
    peak = Math.max(peak, rss());
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      const end = rss();
      return { startMB: mb(start), peakMB: mb(Math.max(peak, end)), endMB: mb(end), samples };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The machine

export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  totalMemoryMB: number;
  node: string;
  platform: string;
  loadAverage: number[];
}

export function machineInfo(): MachineInfo {
  let nproc = os.availableParallelism();
  try {
    nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim()) || nproc;
  } catch {
    // nproc missing: Node's count will do
  }
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpuModel;
  } catch {
    // not Linux
  }
  return {
    nproc,
    cpuModel,
    totalMemoryMB: mb(os.totalmem()),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverage: os.loadavg().map((l) => round(l, 2)),
  };
}

export const describeMachine = (m: MachineInfo = machineInfo()) =>
  `${m.nproc} cores (${m.cpuModel}), ${fmt(m.totalMemoryMB / 1024, 1)} GB RAM, Node ${m.node}; load average at start ${m.loadAverage.join(' / ')}`;

/** user + system CPU seconds of a live process (Linux /proc). */
export function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds of the PostgreSQL server processes serving connections named `applicationName` (a bench's place). */
export async function postgresBackendsCpuSeconds(pool: pg.Pool, applicationName: string): Promise<number> {
  const { rows } = await pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
  let total = 0;
  for (const { pid } of rows) {
    try {
      total += processCpuSeconds(pid);
    } catch {
      // the connection closed meanwhile
    }
  }
  return total;
}

/**
 * Reads the CPU time of the PostgreSQL backends whose connections are named `prefix`… (application_name,
 * from the connection URL), every 200 ms, so a backend that closed keeps its last reading. Totals by name.
 */
export function backendCpuSampler(pool: pg.Pool, prefix: string) {
  const seen = new Map<number, { name: string; cpu: number }>();
  const sample = async () => {
    const { rows } = await pool.query<{ pid: number; name: string }>(
      'SELECT pid, application_name AS name FROM pg_stat_activity WHERE left(application_name, length($1)) = $1',
      [prefix],
    );
    for (const { pid, name } of rows) {
      try {
        seen.set(pid, { name, cpu: processCpuSeconds(pid) });
      } catch {
        // the connection closed meanwhile
      }
    }
  };
  const timer = setInterval(() => void sample().catch(() => {}), 200);
  return {
    async totals(): Promise<Map<string, number>> {
      await sample();
      const totals = new Map<string, number>();
      for (const { name, cpu } of seen.values()) totals.set(name, (totals.get(name) ?? 0) + cpu);
      return totals;
    },
    stop: () => clearInterval(timer),
  };
}

// ---------------------------------------------------------------------------------------------
// Command line

export interface BenchArgs {
  quick: boolean;
  sizes: number[] | null;
  flags: Set<string>;
  values: Map<string, string>;
}

/** `--quick`, `--size N` (repeatable or comma-separated), other `--flag` and `--key value` / `--key=value`. */
export function parseArgs(argv = process.argv.slice(2)): BenchArgs {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const sizes: number[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) continue;
    const [key, inline] = arg.slice(2).split('=', 2);
    const next = argv[i + 1];
    const takesNext = inline === undefined && next !== undefined && !next.startsWith('--');
    const value = inline ?? (takesNext ? next : undefined);
    if (takesNext) i++;
    if (key === 'size') sizes.push(...(value ?? '').split(',').map((s) => parseSize(s)));
    else if (value === undefined) flags.add(key);
    else values.set(key, value);
  }
  return { quick: flags.has('quick'), sizes: sizes.length ? sizes : null, flags, values };
}

/** 100000, 100k, 1m, 1_000_000. */
export function parseSize(text: string): number {
  const m = /^([\d_.]+)\s*([km]?)$/i.exec(text.trim());
  if (!m) throw new Error(`not a size: "${text}"`);
  const n = Number(m[1].replaceAll('_', '')) * (m[2].toLowerCase() === 'k' ? 1e3 : m[2].toLowerCase() === 'm' ? 1e6 : 1);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`not a size: "${text}"`);
  return n;
}

/** True when `importMetaUrl` is the script node was started with (so the file runs its CLI). */
export const isMain = (importMetaUrl: string) => importMetaUrl === pathToFileURL(process.argv[1] ?? '').href;

export const log = (...parts: unknown[]) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...parts);

// ---------------------------------------------------------------------------------------------
// Where the data lives: PGlite on a temporary DATA_DIR, or a private schema on DATABASE_URL

export type Backend = 'pglite' | 'postgres';

export interface BenchPlace {
  backend: Backend;
  dataDir: string;
  /** Postgres only: the private schema, and DATABASE_URL with the connection option that selects it. */
  schema?: string;
  databaseUrl?: string;
  cleanup(): Promise<void>;
}

export async function benchPlace(backend: Backend, label: string): Promise<BenchPlace> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `lookalike-bench-${label}-`));
  const removeDataDir = () => rm(dataDir, { recursive: true, force: true });
  if (backend === 'pglite') return { backend, dataDir, cleanup: removeDataDir };
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('Postgres benches need DATABASE_URL');
  // Every connection opened with place.databaseUrl (by any pool, at any time, in any process) lands in the schema.
  const place = await createPrivateSchema(url, `bench_${label}`);
  // Named after the schema, so a bench can find its own server processes (postgresBackendsCpuSeconds).
  const databaseUrl = new URL(place.url);
  databaseUrl.searchParams.set('application_name', place.schema);
  return {
    backend,
    dataDir,
    schema: place.schema,
    databaseUrl: databaseUrl.toString().replace(/\+/g, '%20'),
    async cleanup() {
      await place.drop();
      await removeDataDir();
    },
  };
}

/** Backends to run: PGlite always (unless `--no-pglite`), Postgres when DATABASE_URL is set (unless `--no-postgres`). */
export function backends(args: BenchArgs): Backend[] {
  const list: Backend[] = [];
  if (!args.flags.has('no-pglite')) list.push('pglite');
  if (process.env.DATABASE_URL && !args.flags.has('no-postgres')) list.push('postgres');
  return list;
}

export interface BenchService {
  service: RunningService;
  url: string;
  adminToken: string;
  place: BenchPlace;
  /** Creates a workspace (through the service layer) and returns its id and an authorization header. */
  newWorkspace(name?: string): Promise<{ id: string; apiKey: string; auth: { authorization: string } }>;
  close(): Promise<void>;
}

/**
 * The real service (startService: migrations, job queue, fastify) listening on a loopback port,
 * DEMO=false, on a temporary DATA_DIR (PGlite on disk, as in production embedded mode) or a private
 * schema on DATABASE_URL (or `existing`, a place made by the caller). `close` stops it and cleans the place up.
 */
export async function startBenchService(backend: Backend, label: string, existing?: BenchPlace): Promise<BenchService> {
  const place = existing ?? (await benchPlace(backend, label));
  const adminToken = `bench-admin-${randomBytes(12).toString('hex')}`;
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: place.dataDir,
    DEMO: 'false',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    // PAGE_CACHE_MB=0 measures every page read from the database (no page sent again as a copy).
    PAGE_CACHE_MB: process.env.PAGE_CACHE_MB,
    ADMIN_TOKEN: adminToken,
    DATABASE_URL: place.databaseUrl,
    // The load runs send thousands of requests a minute with one key: the per-key limit must not answer them.
    RATE_LIMIT_PER_MINUTE: '100000000',
  });
  let service: RunningService;
  try {
    service = await startService(config);
  } catch (err) {
    await place.cleanup();
    throw err;
  }
  const url = service.url.replace('localhost', '127.0.0.1');
  return {
    service,
    url,
    adminToken,
    place,
    async newWorkspace(name = 'Bench') {
      const { workspace, apiKey } = await createWorkspace(service.db.pool, name);
      return { id: workspace.id, apiKey, auth: { authorization: `Bearer ${apiKey}` } };
    },
    async close() {
      await service.stop();
      await place.cleanup();
    },
  };
}

/**
 * The service as `npm start` runs it, in a process of its own (`env` on top of this one's), once it
 * answers /health on `port`: a bench that measures the API's memory or CPU then sees the API alone.
 */
export async function startApiProcess(env: Record<string, string>, port: number): Promise<{ pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`API exited: ${output.slice(-2000)}`);
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (i > 600) throw new Error(`API did not answer: ${output.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface BenchDatabase {
  db: Database;
  jobs: JobQueue;
  place: BenchPlace;
  newWorkspace(name?: string): Promise<string>;
  close(): Promise<void>;
}

/** The database and the in-process job queue as startService wires them, without HTTP (engine benches). */
export async function openBenchDatabase(backend: Backend, label: string): Promise<BenchDatabase> {
  const place = await benchPlace(backend, label);
  const db = await openDatabase({ databaseUrl: place.databaseUrl, dataDir: place.dataDir });
  try {
    await migrate(db.pool);
  } catch (err) {
    await db.close().catch(() => {});
    await place.cleanup();
    throw err;
  }
  const jobs = createJobQueue(db, {
    info: () => {},
    warn: (obj, msg) => console.warn(msg, obj),
    error: (obj, msg) => console.error(msg, obj),
  });
  return {
    db,
    jobs,
    place,
    newWorkspace: async (name = 'Bench') => (await createWorkspace(db.pool, name)).workspace.id,
    async close() {
      await jobs.close();
      await db.close();
      await place.cleanup();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Loading a generated universe without holding it in memory

export interface LoadedUniverse {
  accounts: number;
  outcomes: number;
  signals: number;
  won: number;
  seconds: number;
}

const LOAD_BATCH = 2_000;
const CRM_FLUSH = 5_000;

/**
 * Streams a generated universe (accounts, CRM outcomes, signals unless `signals: false`) into a workspace
 * through the same services the API uses, a batch at a time, so a 1M-account universe never sits in memory.
 * `onAccount` sees every account with its outcome and signals (e.g. to keep the hidden ICP label).
 */
export async function loadUniverseStreaming(
  pool: pg.Pool,
  workspaceId: string,
  options: CrmOptions & { count: number; signals?: boolean },
  onAccount?: (account: Account, crm: AccountCrm) => void,
  onProgress?: (accountsDone: number) => void,
): Promise<LoadedUniverse> {
  const start = performance.now();
  let accounts: Account[] = [];
  let outcomes: DemoOutcome[] = [];
  let signals: DemoSignal[] = [];
  const totals = { accounts: 0, outcomes: 0, signals: 0, won: 0 };
  const flush = async (force: boolean) => {
    if (accounts.length > 0) {
      await upsertAccounts(pool, workspaceId, accounts);
      totals.accounts += accounts.length;
      accounts = [];
      onProgress?.(totals.accounts);
    }
    if (outcomes.length > 0 && (force || outcomes.length >= CRM_FLUSH)) {
      await recordOutcomes(
        pool,
        workspaceId,
        outcomes.map((o) => ({ ...o })),
      );
      totals.outcomes += outcomes.length;
      outcomes = [];
    }
    if (signals.length > 0 && (force || signals.length >= CRM_FLUSH)) {
      await recordSignals(pool, workspaceId, signals);
      totals.signals += signals.length;
      signals = [];
    }
  };
  for (const { account, outcome, signals: accountSignals } of generateCrm(options)) {
    accounts.push(account);
    if (outcome) {
      outcomes.push(outcome);
      if (outcome.status === 'won') totals.won++;
    }
    if (options.signals !== false) signals.push(...accountSignals);
    onAccount?.(account, { outcome, signals: accountSignals });
    if (accounts.length >= LOAD_BATCH) await flush(false);
  }
  await flush(true);
  return { ...totals, seconds: (performance.now() - start) / 1000 };
}

/** The date generated CRM data is anchored to: today, so intent signals fall inside the scoring window. */
export const today = () => new Date(new Date().toISOString().slice(0, 10));

/** Accounts of the universe a copied model is trained on. */
const MODEL_ACCOUNTS = 20_000;

/**
 * An active model for `workspaceId` without training on it: trained (trainModel, as the training job
 * does) on a 20,000-account universe from the same generator in a workspace of its own, then copied.
 * Benches of scoring at scale measure scoring, not training on a million accounts.
 */
export async function copiedModel(pool: pg.Pool, workspaceId: string): Promise<{ modelId: string; seconds: number }> {
  const start = performance.now();
  const small = (await createWorkspace(pool, 'Bench model')).workspace.id;
  await loadUniverseStreaming(pool, small, { seed: 3, count: MODEL_ACCOUNTS, now: today() });
  const trained = await trainModel(pool, await insertModel(pool, small, 42, {}), async () => {});
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO models (workspace_id, version, status, active, kind, confidence, spec_version, vocabulary_version, seed, params, artifact, activation_note, trained_at)
     SELECT $2, 1, status, true, kind, confidence, spec_version, vocabulary_version, seed, params, artifact, 'Copied for a bench', now()
     FROM models WHERE id = $1 RETURNING id`,
    [trained.modelId, workspaceId],
  );
  return { modelId: rows[0].id, seconds: (performance.now() - start) / 1000 };
}

// ---------------------------------------------------------------------------------------------
// Jobs

export interface JobTiming {
  id: string;
  type: string;
  status: string;
  /** Database time from started to finished. */
  seconds: number | null;
  result: unknown;
  error: string | null;
}

export async function jobTimings(pool: pg.Pool, workspaceId: string): Promise<JobTiming[]> {
  const { rows } = await pool.query<{
    id: string;
    type: string;
    status: string;
    seconds: number | null;
    result: unknown;
    error: string | null;
  }>(
    `SELECT id, type, status, extract(epoch FROM finished_at - started_at)::float8 AS seconds, result, error
     FROM jobs WHERE workspace_id = $1 ORDER BY created_at`,
    [workspaceId],
  );
  return rows;
}

/** Polls a job until it is completed or failed. */
export async function waitForJob(pool: pg.Pool, jobId: string, timeoutMs = 3_600_000): Promise<JobTiming> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<JobTiming>(
      `SELECT id, type, status, extract(epoch FROM finished_at - started_at)::float8 AS seconds, result, error FROM jobs WHERE id = $1`,
      [jobId],
    );
    const job = rows[0];
    if (!job) throw new Error(`job ${jobId} does not exist`);
    if (job.status === 'completed' || job.status === 'failed') return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP load from a second process

export interface LoadRequest {
  method?: 'GET' | 'POST';
  /** Paths (with query) cycled through, one per request. */
  paths: string[];
  /** Bodies cycled through with the paths (POST). */
  bodies?: string[];
  headers?: Record<string, string>;
}

export interface LoadResult {
  connections: number;
  durationSeconds: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; mean: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  throughputMBps: number;
  /** CPU seconds the load generator process used (user + system). */
  loadGeneratorCpuSeconds: number;
}

// Runs in the child process: autocannon's programmatic API, cycling through the given requests.
const LOAD_CHILD = `
import { createRequire } from 'node:module';
const require = createRequire(process.env.BENCH_ROOT + '/package.json');
const autocannon = require('autocannon');
const cfg = JSON.parse(process.env.BENCH_LOAD);
let i = 0;
const n = cfg.paths.length;
const result = await autocannon({
  url: cfg.url,
  connections: cfg.connections,
  duration: cfg.duration,
  timeout: 30,
  requests: [{
    method: cfg.method,
    headers: cfg.headers,
    setupRequest: (req) => {
      const k = i++ % n;
      return { ...req, path: cfg.paths[k], ...(cfg.bodies ? { body: cfg.bodies[k % cfg.bodies.length] } : {}) };
    },
  }],
});
process.stdout.write(JSON.stringify({
  requests: result.requests.total, rps: result.requests.average, latency: result.latency, non2xx: result.non2xx,
  errors: result.errors, timeouts: result.timeouts, throughput: result.throughput.average, duration: result.duration,
  cpu: process.cpuUsage(),
}));
`;

/**
 * Load from a separate Node process (autocannon), so the load generator does not share the
 * server's event loop. Fixed duration and connection count; loopback URLs only.
 */
export async function runLoad(
  baseUrl: string,
  request: LoadRequest,
  opts: { connections: number; durationSeconds: number },
): Promise<LoadResult> {
  const url = new URL(baseUrl);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) throw new Error(`load only against loopback, not ${url.hostname}`);
  const config = {
    url: url.origin,
    connections: opts.connections,
    duration: opts.durationSeconds,
    method: request.method ?? 'GET',
    headers: { ...(request.bodies ? { 'content-type': 'application/json' } : {}), ...request.headers },
    paths: request.paths,
    bodies: request.bodies,
  };
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', LOAD_CHILD], {
      env: { ...process.env, BENCH_ROOT: ROOT, BENCH_LOAD: JSON.stringify(config) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const killer = setTimeout(() => child.kill('SIGKILL'), (opts.durationSeconds + 60) * 1000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      if (code === 0) resolve(out);
      else reject(new Error(`load generator exited with ${code}: ${err.slice(0, 2000)}`));
    });
  });
  const r = JSON.parse(output);
  return {
    connections: opts.connections,
    durationSeconds: r.duration,
    requests: r.requests,
    requestsPerSecond: round(r.requests / r.duration, 1),
    latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, mean: round(r.latency.mean, 2), max: r.latency.max },
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    throughputMBps: round(r.throughput / 1024 / 1024, 2),
    loadGeneratorCpuSeconds: round((r.cpu.user + r.cpu.system) / 1e6, 2),
  };
}

/** A target check for the summary: "met" / "missed by N %". */
export function target(label: string, value: number, limit: number, better: 'lower' | 'higher', unit = '') {
  const met = better === 'lower' ? value <= limit : value >= limit;
  const by = better === 'lower' ? value / limit - 1 : 1 - value / limit;
  return {
    label,
    value: round(value, 3),
    target: `${better === 'lower' ? '<=' : '>='} ${fmt(limit, limit < 10 ? 2 : 0)}${unit}`,
    met,
    note: met ? 'met' : `missed by ${fmt(by * 100, 0)} %`,
  };
}
export type TargetCheck = ReturnType<typeof target>;

export function printTargets(checks: TargetCheck[]) {
  for (const c of checks)
    console.log(
      `  ${c.met ? 'MET   ' : 'MISSED'} ${c.label}: ${fmt(c.value, c.value < 10 ? 3 : 0)} (target ${c.target})${c.met ? '' : ` — ${c.note}`}`,
    );
}
