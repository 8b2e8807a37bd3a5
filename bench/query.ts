// Query benchmark (issue 5): latency (p50/p99) and throughput of prospect pages (limit 100, with and
// without filters), lookalikes with 10 and 100 seeds, and single-account fit, on a 100,000-account
// universe in embedded mode (PGlite on a temporary DATA_DIR), and on 1,000,000 accounts on Postgres
// when DATABASE_URL is set; plus recall@100 of the lookalike search (HNSW) against exact search.
//
//   npx tsx bench/query.ts                  PGlite 100k (+ Postgres 1M when DATABASE_URL is set)
//   npx tsx bench/query.ts --quick          shorter load runs; Postgres at 100k
//   npx tsx bench/query.ts --size 20k       another universe size (every backend)
//   flags: --duration S (default 10), --connections N (default 10), --no-pglite, --no-postgres
//
// How: the real service (startService, loopback port, DEMO=false); the universe is loaded through the
// service layer, then a model is trained through POST /v1/models, which scores the universe in a job.
// The HNSW index build is timed on its own before any lookalike request. Load comes from a second
// Node process (autocannon, fixed duration and connections), once with 1 connection (latency of a
// lone client) and once with N connections (throughput; latency under load); requests rotate over
// many cursors-free first pages, seed sets and domains so that no single row is hot.
//
// Recall@100: for several seed sets, findLookalikes (limit 100) as the API runs it, against the same
// function with index scans disabled for its transaction (`SET enable_indexscan = off`: the same SQL
// answered by an exact scan); recall = |API top 100 ∩ exact top 100| / |exact top 100|.
import type pg from 'pg';
import type { Database } from '../src/db/pool.ts';
import { ensureVectorIndex } from '../src/features/vector-index.ts';
import { findLookalikes } from '../src/prospects/lookalikes.ts';
import {
  backends as selectBackends,
  describeMachine,
  fmt,
  isMain,
  loadUniverseStreaming,
  log,
  machineInfo,
  mean,
  median,
  parseArgs,
  printTargets,
  round,
  runLoad,
  SHARED_MACHINE_NOTE,
  startBenchService,
  target,
  timed,
  today,
  waitForJob,
  type Backend,
  type LoadRequest,
  type LoadResult,
  type TargetCheck,
} from './lib.ts';

export interface QueryOptions {
  quick?: boolean;
  backends?: Backend[];
  /** Universe size per backend (default: PGlite 100k, Postgres 1M; --quick: 100k). */
  size?: number;
  durationSeconds?: number;
  connections?: number;
}

export interface Scenario {
  name: string;
  lone: LoadResult;
  loaded: LoadResult;
}

export interface QueryRun {
  backend: Backend;
  accounts: number;
  setup: { loadSeconds: number; trainJobSeconds: number | null; scoreJobSeconds: number | null; hnswBuildSeconds: number; search: string };
  scenarios: Scenario[];
  recall: { seeds: number; sets: number; recallAt100: number[]; medianRecall: number; minRecall: number; apiMs: number; exactMs: number }[];
}

export interface QueryResult {
  bench: 'query';
  note: string;
  conditions: string;
  runs: QueryRun[];
  targets: TargetCheck[];
}

const SEED_SETS = 20;

/**
 * A pool whose transactions run with index scans off (and sorting left on, whatever the transaction
 * asks): findLookalikes' same SQL, answered by an exact scan and sort instead of the HNSW index.
 */
export function exactDatabase(db: Database): Database {
  const pool = db.pool;
  const exact = {
    query: pool.query.bind(pool),
    async connect() {
      const client = await pool.connect();
      await client.query('SET enable_indexscan = off');
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: typeof query }).query = (...args: unknown[]) =>
        typeof args[0] === 'string' && /^SET LOCAL enable_sort\b/i.test(args[0]) ? query('SELECT 1') : query(...args);
      const release = client.release.bind(client);
      client.release = ((err?: Error | boolean) => {
        delete (client as unknown as { query?: unknown }).query;
        client.query('RESET enable_indexscan').then(
          () => release(err),
          () => release(true),
        );
      }) as typeof client.release;
      return client;
    },
  } as unknown as pg.Pool;
  return { ...db, pool: exact };
}

function rotate<T>(items: T[], n: number, size: number, offset = 0): T[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: size }, (_, j) => items[(offset + i * size + j) % items.length]));
}

async function queryRun(backend: Backend, accounts: number, durationSeconds: number, connections: number): Promise<QueryRun> {
  const bench = await startBenchService(backend, `query-${accounts}`);
  try {
    const pool = bench.service.db.pool;
    const ws = await bench.newWorkspace('Query bench');
    const won: string[] = [];
    const untouched: string[] = [];
    log(`${backend} ${fmt(accounts)}: loading the universe…`);
    const loaded = await loadUniverseStreaming(
      pool,
      ws.id,
      { seed: 13, count: accounts, now: today() },
      (account, crm) => {
        if (crm.outcome?.status === 'won') won.push(account.domain);
        else if (!crm.outcome && untouched.length < 5_000 && account.domain.length % 3 === 0) untouched.push(account.domain);
      },
      (done) => done % 200_000 === 0 && log(`  ${fmt(done)} accounts loaded`),
    );
    log(`  loaded in ${fmt(loaded.seconds, 0)} s (${won.length} won); training through POST /v1/models (the job scores the universe after)…`);

    const train = await fetch(`${bench.url}/v1/models`, { method: 'POST', headers: { ...ws.auth, 'content-type': 'application/json' }, body: '{}' });
    if (train.status !== 202) throw new Error(`POST /v1/models answered ${train.status}: ${await train.text()}`);
    const trainJob = await waitForJob(pool, (await train.json()).job.id);
    if (trainJob.status !== 'completed') throw new Error(`training failed: ${trainJob.error}`);
    const scoring = (trainJob.result as { scoringJob: { id: string } | null }).scoringJob;
    const scoreJob = scoring ? await waitForJob(pool, scoring.id) : null;
    if (scoreJob && scoreJob.status !== 'completed') throw new Error(`scoring failed: ${scoreJob.error}`);
    log(`  training job ${fmt(trainJob.seconds ?? NaN, 1)} s, scoring job ${fmt(scoreJob?.seconds ?? NaN, 1)} s; building the vector index…`);
    const hnsw = await timed(() => ensureVectorIndex(bench.service.db));
    log(`  ensureVectorIndex: ${hnsw.result} in ${fmt(hnsw.seconds, 1)} s`);

    // Request mixes: first pages (no cursor), seed sets and fit domains, rotated per request.
    const lookalikeBodies = (seeds: number) =>
      rotate(won, SEED_SETS, seeds, seeds).map((seedDomains) => JSON.stringify({ seedDomains, limit: 100 }));
    const scenarios: [string, LoadRequest][] = [
      ['prospects limit=100', { paths: ['/v1/prospects?limit=100'] }],
      ['prospects limit=100&tier=A,B&country=US', { paths: ['/v1/prospects?limit=100&tier=A,B&country=US'] }],
      ['lookalikes, 10 seeds, limit 100', { method: 'POST', paths: ['/v1/lookalikes'], bodies: lookalikeBodies(10) }],
      ['lookalikes, 100 seeds, limit 100', { method: 'POST', paths: ['/v1/lookalikes'], bodies: lookalikeBodies(100) }],
      ['fit of one account', { paths: untouched.slice(0, 500).map((d) => `/v1/accounts/${d}/fit`) }],
    ];
    const results: Scenario[] = [];
    for (const [name, request] of scenarios) {
      const req = { ...request, headers: ws.auth };
      // Warm-up: a few requests of this kind (model cache, query plans), not measured.
      for (let i = 0; i < 3; i++) {
        const send = () =>
          fetch(`${bench.url}${req.paths[i % req.paths.length]}`, {
            method: req.method ?? 'GET',
            headers: { ...ws.auth, ...(req.bodies ? { 'content-type': 'application/json' } : {}) },
            body: req.bodies?.[i % req.bodies.length],
          });
        // A kept-alive socket the server closed just then (ECONNRESET): once more on a fresh one.
        const res = await send().catch(() => send());
        if (res.status !== 200) throw new Error(`${name} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
        await res.arrayBuffer();
      }
      const lone = await runLoad(bench.url, req, { connections: 1, durationSeconds });
      const underLoad = await runLoad(bench.url, req, { connections, durationSeconds });
      for (const r of [lone, underLoad]) if (r.non2xx || r.errors || r.timeouts) throw new Error(`${name}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
      log(
        `  ${name}: 1 conn p50 ${lone.latencyMs.p50} ms p99 ${lone.latencyMs.p99} ms ${fmt(lone.requestsPerSecond, 0)} req/s; ` +
          `${connections} conn p50 ${underLoad.latencyMs.p50} ms p99 ${underLoad.latencyMs.p99} ms ${fmt(underLoad.requestsPerSecond, 0)} req/s`,
      );
      results.push({ name, lone, loaded: underLoad });
    }

    log('  recall@100 of the lookalike search against exact search…');
    const exactDb = exactDatabase(bench.service.db);
    const recall: QueryRun['recall'] = [];
    for (const seeds of [10, 100]) {
      const sets = rotate(won, 5, seeds, 7 * seeds);
      const values: number[] = [];
      const apiMs: number[] = [];
      const exactMs: number[] = [];
      for (const seedDomains of sets) {
        const request = { seedDomains, limit: 100, filters: {}, includeCustomers: false };
        const api = await timed(() => findLookalikes(bench.service.db, ws.id, request));
        const exact = await timed(() => findLookalikes(exactDb, ws.id, request));
        if (exact.result.search !== api.result.search) throw new Error('search mode changed between the two runs');
        const truth = new Set(exact.result.data.map((d) => d.domain));
        values.push(api.result.data.filter((d) => truth.has(d.domain)).length / Math.max(1, truth.size));
        apiMs.push(api.seconds * 1000);
        exactMs.push(exact.seconds * 1000);
      }
      recall.push({
        seeds,
        sets: sets.length,
        recallAt100: values.map((v) => round(v, 3)),
        medianRecall: round(median(values), 3),
        minRecall: round(Math.min(...values), 3),
        apiMs: round(median(apiMs), 1),
        exactMs: round(median(exactMs), 1),
      });
      log(`    ${seeds} seeds: recall@100 median ${median(values).toFixed(3)} (min ${Math.min(...values).toFixed(3)}, mean ${mean(values).toFixed(3)}); in-process ${fmt(median(apiMs), 0)} ms with the index, ${fmt(median(exactMs), 0)} ms exact`);
    }
    return {
      backend,
      accounts,
      setup: {
        loadSeconds: round(loaded.seconds, 1),
        trainJobSeconds: trainJob.seconds === null ? null : round(trainJob.seconds, 1),
        scoreJobSeconds: scoreJob?.seconds == null ? null : round(scoreJob.seconds, 1),
        hnswBuildSeconds: round(hnsw.seconds, 1),
        search: hnsw.result,
      },
      scenarios: results,
      recall,
    };
  } finally {
    await bench.close();
  }
}

export async function runQueryBench(options: QueryOptions = {}): Promise<QueryResult> {
  const quick = options.quick ?? false;
  const durationSeconds = options.durationSeconds ?? (quick ? 5 : 10);
  const connections = options.connections ?? 10;
  const backendList = options.backends ?? selectBackends(parseArgs([]));
  const runs: QueryRun[] = [];
  for (const backend of backendList) {
    const size = options.size ?? (backend === 'postgres' && !quick ? 1_000_000 : 100_000);
    runs.push(await queryRun(backend, size, durationSeconds, connections));
  }
  const targets: TargetCheck[] = [];
  for (const r of runs) {
    const at = `${r.backend} ${fmt(r.accounts)}`;
    const s = (name: string) => r.scenarios.find((x) => x.name.startsWith(name))!;
    for (const name of ['prospects limit=100', 'prospects limit=100&tier']) {
      const x = s(name);
      const label = name === 'prospects limit=100' ? 'prospect page' : 'filtered prospect page';
      targets.push(target(`${label} p50, 1 connection, ${at} (ms)`, x.lone.latencyMs.p50, 20, 'lower'));
      targets.push(target(`${label} p99, 1 connection, ${at} (ms)`, x.lone.latencyMs.p99, 50, 'lower'));
      targets.push(target(`${label} p99, ${x.loaded.connections} connections, ${at} (ms)`, x.loaded.latencyMs.p99, 50, 'lower'));
      targets.push(target(`${label}s per second, ${x.loaded.connections} connections, ${at}`, x.loaded.requestsPerSecond, 1000, 'higher'));
    }
    for (const name of ['lookalikes, 10 seeds', 'lookalikes, 100 seeds']) {
      const x = s(name);
      targets.push(target(`${name} p99, 1 connection, ${at} (ms)`, x.lone.latencyMs.p99, 100, 'lower'));
      targets.push(target(`${name} p99, ${x.loaded.connections} connections, ${at} (ms)`, x.loaded.latencyMs.p99, 100, 'lower'));
    }
    for (const rc of r.recall) targets.push(target(`lookalike recall@100, ${rc.seeds} seeds, ${at} (median of ${rc.sets} seed sets)`, rc.medianRecall, 0.95, 'higher'));
  }
  return {
    bench: 'query',
    note: SHARED_MACHINE_NOTE,
    conditions: `autocannon in a separate process on the same 2 cores, ${durationSeconds} s per run, 1 and ${connections} connections, loopback`,
    runs,
    targets,
  };
}

export function printQuery(result: QueryResult) {
  console.log(`\nQuery (${result.conditions})`);
  for (const r of result.runs) {
    console.log(
      `  ${r.backend}, ${fmt(r.accounts)} accounts (setup: load ${fmt(r.setup.loadSeconds, 0)} s, training job ${fmt(r.setup.trainJobSeconds ?? NaN, 0)} s, ` +
        `scoring job ${fmt(r.setup.scoreJobSeconds ?? NaN, 0)} s, vector index ${r.setup.search} in ${fmt(r.setup.hnswBuildSeconds, 0)} s)`,
    );
    for (const s of r.scenarios)
      console.log(
        `    ${s.name.padEnd(42)} 1 conn: p50 ${fmt(s.lone.latencyMs.p50, 0)} ms, p99 ${fmt(s.lone.latencyMs.p99, 0)} ms, ${fmt(s.lone.requestsPerSecond, 0)} req/s | ` +
          `${s.loaded.connections} conn: p50 ${fmt(s.loaded.latencyMs.p50, 0)} ms, p99 ${fmt(s.loaded.latencyMs.p99, 0)} ms, ${fmt(s.loaded.requestsPerSecond, 0)} req/s`,
      );
    for (const rc of r.recall)
      console.log(
        `    lookalike recall@100, ${rc.seeds} seeds: median ${rc.medianRecall.toFixed(3)}, min ${rc.minRecall.toFixed(3)} over ${rc.sets} seed sets ` +
          `(in-process: ${fmt(rc.apiMs, 0)} ms as served, ${fmt(rc.exactMs, 0)} ms exact)`,
      );
  }
  printTargets(result.targets);
  console.log(`  ${result.note}`);
}

if (isMain(import.meta.url)) {
  const args = parseArgs();
  console.log(`Machine: ${describeMachine(machineInfo())}`);
  const result = await runQueryBench({
    quick: args.quick,
    backends: selectBackends(args),
    size: args.sizes?.[0],
    durationSeconds: args.values.has('duration') ? Number(args.values.get('duration')) : undefined,
    connections: args.values.has('connections') ? Number(args.values.get('connections')) : undefined,
  });
  printQuery(result);
}
