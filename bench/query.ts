// Query benchmark: latency (p50/p99) and throughput of prospect pages (limit 100),
// unfiltered and with two filters of every pair of filter kinds, lookalikes with 10 and 100 seeds,
// and single-account fit, on a 100,000-account universe in embedded mode (PGlite on a temporary
// DATA_DIR), and on 1,000,000 accounts on PostgreSQL when DATABASE_URL is set; plus recall@100 of the
// lookalike search (HNSW) against exact search.
//
//   npx tsx bench/query.ts                  PGlite 100k (+ PostgreSQL 1M when DATABASE_URL is set)
//   npx tsx bench/query.ts --quick          shorter load runs; PostgreSQL at 100k
//   npx tsx bench/query.ts --pages          prospect pages only (no lookalikes, fit, vector index)
//   npx tsx bench/query.ts --size 20k       another universe size (every backend)
//   flags: --copies N (default: PostgreSQL 10 unless --quick, else 1), --runs N (default 3),
//          --duration S (default 10), --connections N (default 20), --no-pglite, --no-postgres
//
// How: the real service (startService, loopback port, DEMO=false); the universe is loaded through the
// service layer, then a model is trained through POST /v1/models, which scores the universe in a job.
// PostgreSQL at 1M is that 100k universe copied 10 times (--copies): the accounts, their outcomes and
// their scored rows (each copy's scores moved by up to ±0.01, so copies interleave in the ranking),
// then vacuumed and analysed as a finished run is — loading, training and scoring 1M accounts takes
// hours here, and pages only read the scored rows. The HNSW index build is timed on its own before any
// lookalike request. Load comes from a second Node process (autocannon, fixed duration and
// connections), once with 1 connection (latency of a lone client) and, for unfiltered pages and the
// other requests, once with N connections (throughput; latency under load); every run is repeated
// --runs times and the medians are reported. Requests rotate over many seed sets and domains so that
// no single row is hot. A page asked again while nothing commits is sent as a copy
// (src/prospects/page-cache.ts), so repeated pages measure that path; `PAGE_CACHE_MB=0` in the
// environment measures every page read from the database instead. Under load the bench also records where the CPU goes: this process (the API,
// and PGlite with it), the PostgreSQL backends serving it, and the load generator, per page.
//
// Recall@100: for several seed sets, findLookalikes (limit 100) as the API runs it, against the same
// function with index scans disabled for its transaction (`SET enable_indexscan = off`: the same SQL
// answered by an exact scan); recall = |API top 100 ∩ exact top 100| / |exact top 100|.
import Fastify from 'fastify';
import type pg from 'pg';
import type { Database } from '../src/db/pool.ts';
import { ensureVectorIndex } from '../src/features/vector-index.ts';
import { findLookalikes } from '../src/prospects/lookalikes.ts';
import { ProspectQuery } from '../src/prospects/schema.ts';
import { prospectPageText } from '../src/prospects/service.ts';
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
  postgresBackendsCpuSeconds,
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
  /** Generated universe size per backend (default 100k). */
  size?: number;
  /** Copies of the scored universe (default: PostgreSQL 10 unless quick, else 1): PostgreSQL 1M is 100k × 10. */
  copies?: number;
  /** Prospect pages only: no lookalikes, fit or vector index (implied by copies > 1, which have no vectors). */
  pagesOnly?: boolean;
  /** Repeats of every load run; medians are reported (default 3). */
  runs?: number;
  durationSeconds?: number;
  connections?: number;
}

/** Where the CPU goes per page under load (ms of CPU per page), and bytes per page. */
export interface PageCost {
  /** This process: the API (and PGlite, in embedded mode). */
  apiCpuMs: number;
  /** The PostgreSQL backends serving the API's pool (null on PGlite). */
  databaseCpuMs: number | null;
  loadGeneratorCpuMs: number;
  bytesPerPage: number;
}

/**
 * The HTTP ceiling of a page: a bare fastify in this process sending the same bytes from memory,
 * alternated with the API in the same run (unfiltered pages under load only).
 */
export interface Ceiling {
  /** Medians over the runs (N connections). */
  loaded: LoadResult;
  cost: PageCost;
  /** API pages/s over ceiling pages/s, median of the alternated pairs. */
  ratio: number;
  /** CPU of one page's service call in-process (prospectPage: queries and rendering), median of sequential calls. */
  serviceMs: number;
}

export interface Scenario {
  name: string;
  /** Medians over the runs (1 connection). */
  lone: LoadResult;
  /** Medians over the runs (N connections); null for filtered pages (measured with 1 connection only). */
  loaded: LoadResult | null;
  runs: { lone: LoadResult[]; loaded: LoadResult[] };
  cost: PageCost | null;
  ceiling: Ceiling | null;
}

export interface QueryRun {
  backend: Backend;
  accounts: number;
  copies: number;
  setup: {
    loadSeconds: number;
    trainJobSeconds: number | null;
    scoreJobSeconds: number | null;
    copySeconds: number | null;
    hnswBuildSeconds: number | null;
    search: string | null;
  };
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

/**
 * Two filters of every pair of filter kinds (tier, minScore, industry, country, employees, technology,
 * keyword), each with values that match rarely near the top of the ranking (rare, or low-ranked), so
 * that the index walk alone rarely fills the page: the worst cases of each pair, not the typical ones.
 */
export const FILTER_PAIRS = [
  'tier=D&minScore=0.2',
  'tier=A&industry=retail',
  'tier=A&country=IN',
  'tier=A&maxEmployees=20',
  'tier=D&technology=snowflake',
  'tier=A&keyword=staffing',
  'minScore=0.5&industry=retail',
  'minScore=0.4&country=IN',
  'minScore=0.4&maxEmployees=20',
  'minScore=0.4&technology=wix',
  'minScore=0.4&keyword=staffing',
  'industry=retail&country=GB',
  'industry=nonprofit&minEmployees=1000',
  'industry=retail&technology=xero',
  'industry=retail&keyword=staffing',
  'country=US&maxEmployees=20',
  'country=US&technology=wix',
  'keyword=staffing&country=US',
  'technology=wordpress&maxEmployees=20',
  'keyword=staffing&minEmployees=5000',
  'technology=wix&keyword=staffing',
];
const UNFILTERED = 'prospects limit=100';
const TYPICAL_FILTERED = 'prospects limit=100&tier=A,B&country=US';

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

/**
 * Copies a scored universe `copies - 1` more times into the same workspace and run: accounts (domains
 * prefixed), their outcomes and their scored rows, each copy's scores moved by up to ±0.01. Then the
 * run is vacuumed and analysed as finishScoreRun leaves a run.
 */
export async function copyUniverse(pool: pg.Pool, workspaceId: string, copies: number) {
  const copy = `CROSS JOIN generate_series(1, ${copies - 1}) k JOIN accounts c ON c.workspace_id = a.workspace_id AND c.domain = 'copy' || k || '-' || a.domain`;
  await pool.query(
    `INSERT INTO accounts (workspace_id, domain, name, industry, employees, revenue, country, region, city, founded_year, business_model, stage, technologies, keywords, description, content_hash)
     SELECT a.workspace_id, 'copy' || k || '-' || a.domain, a.name, a.industry, a.employees, a.revenue, a.country, a.region, a.city, a.founded_year,
       a.business_model, a.stage, a.technologies, a.keywords, a.description, a.content_hash
     FROM accounts a CROSS JOIN generate_series(1, ${copies - 1}) k WHERE a.workspace_id = $1`,
    [workspaceId],
  );
  await pool.query(
    `INSERT INTO outcomes (account_id, workspace_id, status, amount, closed_at, churned_at)
     SELECT c.id, o.workspace_id, o.status, o.amount, o.closed_at, o.churned_at FROM outcomes o JOIN accounts a ON a.id = o.account_id ${copy}
     WHERE o.workspace_id = $1`,
    [workspaceId],
  );
  await pool.query(
    // A copy's stored prospect text names its own domain and shows its own score.
    `INSERT INTO account_scores (run_id, account_id, score, fit, similarity, intent, criteria, explanation, prospect, account_hash,
       industry, country, employees, technologies, keywords)
     SELECT x.run_id, x.account_id, x.score, x.fit, x.similarity, x.intent, x.criteria, x.explanation,
       replace(replace(x.prospect, to_json(x.domain)::text, to_json(x.copy_domain)::text), '"score":' || x.scored || ',', '"score":' || x.score || ','),
       x.account_hash, x.industry, x.country, x.employees, x.technologies, x.keywords
     FROM (SELECT s.run_id, c.id AS account_id, greatest(0, least(1, s.score + (random() - 0.5) * 0.02))::real AS score, s.score AS scored,
             s.fit, s.similarity, s.intent, s.criteria, s.explanation, s.prospect, s.account_hash, s.industry, s.country, s.employees,
             s.technologies, s.keywords, a.domain, c.domain AS copy_domain
           FROM account_scores s JOIN accounts a ON a.id = s.account_id ${copy}
           WHERE a.workspace_id = $1) x`,
    [workspaceId],
  );
  await pool.query('ANALYZE accounts');
  await pool.query('ANALYZE outcomes');
  await pool.query('VACUUM (ANALYZE) account_scores');
}

/** The median of every figure over repeated load runs. */
function medianLoad(results: LoadResult[]): LoadResult {
  const m = (f: (r: LoadResult) => number) => median(results.map(f));
  return {
    connections: results[0].connections,
    durationSeconds: m((r) => r.durationSeconds),
    requests: m((r) => r.requests),
    requestsPerSecond: m((r) => r.requestsPerSecond),
    latencyMs: {
      p50: m((r) => r.latencyMs.p50),
      p90: m((r) => r.latencyMs.p90),
      p99: m((r) => r.latencyMs.p99),
      mean: m((r) => r.latencyMs.mean),
      max: m((r) => r.latencyMs.max),
    },
    non2xx: Math.max(...results.map((r) => r.non2xx)),
    errors: Math.max(...results.map((r) => r.errors)),
    timeouts: Math.max(...results.map((r) => r.timeouts)),
    throughputMBps: m((r) => r.throughputMBps),
    loadGeneratorCpuSeconds: m((r) => r.loadGeneratorCpuSeconds),
  };
}

/** The body of one response to `req` (its first path), as the API sends it. */
async function pageBytes(url: string, req: LoadRequest): Promise<Buffer> {
  const res = await fetch(`${url}${req.paths[0]}`, { headers: req.headers });
  if (res.status !== 200) throw new Error(`ceiling page answered ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

/** A bare fastify in this process answering every GET with `body` (JSON) from memory: the HTTP ceiling of a page. */
async function staticServer(body: Buffer): Promise<{ url: string; close(): Promise<void> }> {
  const app = Fastify({ logger: false });
  app.get('/*', (_request, reply) => reply.type('application/json; charset=utf-8').send(body));
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: address, close: () => app.close() };
}

/** One load run, with the CPU it cost per request: this process, the PostgreSQL backends (given a PostgreSQL bench), the load generator. */
async function loadWithCost(
  url: string,
  req: LoadRequest,
  opts: { connections: number; durationSeconds: number },
  postgres: { service: { db: Database }; place: { schema?: string } } | null,
): Promise<{ result: LoadResult; cost: PageCost }> {
  const pool = postgres?.service.db.pool;
  const cpu = process.cpuUsage();
  const database = pool ? await postgresBackendsCpuSeconds(pool, postgres.place.schema!) : null;
  const result = await runLoad(url, req, opts);
  const apiSeconds = (process.cpuUsage().user + process.cpuUsage().system - cpu.user - cpu.system) / 1e6;
  const databaseSeconds = pool && database !== null ? (await postgresBackendsCpuSeconds(pool, postgres.place.schema!)) - database : null;
  const perPage = (seconds: number) => round((seconds * 1000) / result.requests, 2);
  return {
    result,
    cost: {
      apiCpuMs: perPage(apiSeconds),
      databaseCpuMs: databaseSeconds === null ? null : perPage(databaseSeconds),
      loadGeneratorCpuMs: perPage(result.loadGeneratorCpuSeconds),
      bytesPerPage: Math.round((result.throughputMBps * 1024 * 1024) / result.requestsPerSecond),
    },
  };
}

/** The median time of the first page's service call in this process (prospectPage: its queries and rendering), sequential calls. */
async function serviceCallMs(pool: pg.Pool, workspaceId: string): Promise<number> {
  const query = ProspectQuery.parse({ limit: 100 });
  const times: number[] = [];
  for (let i = 0; i < 60; i++) {
    const started = performance.now();
    await prospectPageText(pool, workspaceId, query);
    times.push(performance.now() - started);
  }
  return median(times.slice(10));
}

interface RunSettings {
  copies: number;
  pagesOnly: boolean;
  runs: number;
  durationSeconds: number;
  connections: number;
}

async function queryRun(backend: Backend, size: number, settings: RunSettings): Promise<QueryRun> {
  const { copies, runs, durationSeconds, connections } = settings;
  const pagesOnly = settings.pagesOnly || copies > 1;
  const accounts = size * copies;
  const bench = await startBenchService(backend, `query-${accounts}`);
  try {
    const pool = bench.service.db.pool;
    const ws = await bench.newWorkspace('Query bench');
    const won: string[] = [];
    const untouched: string[] = [];
    log(`${backend} ${fmt(accounts)}: loading the universe (${fmt(size)}${copies > 1 ? ` × ${copies} copies` : ''})…`);
    const loaded = await loadUniverseStreaming(
      pool,
      ws.id,
      { seed: 13, count: size, now: today() },
      (account, crm) => {
        if (crm.outcome?.status === 'won') won.push(account.domain);
        else if (!crm.outcome && untouched.length < 5_000 && account.domain.length % 3 === 0) untouched.push(account.domain);
      },
      (done) => done % 200_000 === 0 && log(`  ${fmt(done)} accounts loaded`),
    );
    log(
      `  loaded in ${fmt(loaded.seconds, 0)} s (${won.length} won); training through POST /v1/models (the job scores the universe after)…`,
    );

    const train = await fetch(`${bench.url}/v1/models`, {
      method: 'POST',
      headers: { ...ws.auth, 'content-type': 'application/json' },
      body: '{}',
    });
    if (train.status !== 202) throw new Error(`POST /v1/models answered ${train.status}: ${await train.text()}`);
    const trainJob = await waitForJob(pool, (await train.json()).job.id);
    if (trainJob.status !== 'completed') throw new Error(`training failed: ${trainJob.error}`);
    const scoring = (trainJob.result as { scoringJob: { id: string } | null }).scoringJob;
    const scoreJob = scoring ? await waitForJob(pool, scoring.id) : null;
    if (scoreJob && scoreJob.status !== 'completed') throw new Error(`scoring failed: ${scoreJob.error}`);
    log(`  training job ${fmt(trainJob.seconds ?? NaN, 1)} s, scoring job ${fmt(scoreJob?.seconds ?? NaN, 1)} s`);
    const copied = copies > 1 ? await timed(() => copyUniverse(pool, ws.id, copies)) : null;
    if (copied) log(`  copied to ${fmt(accounts)} accounts in ${fmt(copied.seconds, 0)} s`);
    const hnsw = pagesOnly ? null : await timed(() => ensureVectorIndex(bench.service.db));
    if (hnsw) log(`  ensureVectorIndex: ${hnsw.result} in ${fmt(hnsw.seconds, 1)} s`);

    // Request mixes: first pages (no cursor), seed sets and fit domains, rotated per request.
    const lookalikeBodies = (seeds: number) =>
      rotate(won, SEED_SETS, seeds, seeds).map((seedDomains) => JSON.stringify({ seedDomains, limit: 100 }));
    const page = (query: string) => ({ paths: [`/v1/prospects?limit=100${query ? `&${query}` : ''}`] });
    // [name, request, also under load]
    const scenarios: [string, LoadRequest, boolean][] = [
      [UNFILTERED, page(''), true],
      [TYPICAL_FILTERED, page('tier=A,B&country=US'), true],
      ...FILTER_PAIRS.map((q): [string, LoadRequest, boolean] => [`prospects limit=100&${q}`, page(q), false]),
      ...(pagesOnly
        ? []
        : ([
            ['lookalikes, 10 seeds, limit 100', { method: 'POST', paths: ['/v1/lookalikes'], bodies: lookalikeBodies(10) }, true],
            ['lookalikes, 100 seeds, limit 100', { method: 'POST', paths: ['/v1/lookalikes'], bodies: lookalikeBodies(100) }, true],
            ['fit of one account', { paths: untouched.slice(0, 500).map((d) => `/v1/accounts/${d}/fit`) }, true],
          ] as [string, LoadRequest, boolean][])),
    ];
    const results: Scenario[] = [];
    for (const [name, request, underLoad] of scenarios) {
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
      // The ceiling: the same bytes from memory, for the unfiltered page.
      const ceilingServer = name === UNFILTERED && underLoad ? await staticServer(await pageBytes(bench.url, req)) : null;
      const lone: LoadResult[] = [];
      const loadedRuns: LoadResult[] = [];
      const costs: PageCost[] = [];
      const ceilingRuns: LoadResult[] = [];
      const ceilingCosts: PageCost[] = [];
      try {
        for (let r = 0; r < runs; r++) {
          lone.push(
            await runLoad(bench.url, req, {
              connections: 1,
              durationSeconds: underLoad ? durationSeconds : Math.ceil(durationSeconds / 2),
            }),
          );
          if (!underLoad) continue;
          if (ceilingServer) {
            const ceiling = await loadWithCost(ceilingServer.url, req, { connections, durationSeconds }, null);
            ceilingRuns.push(ceiling.result);
            ceilingCosts.push(ceiling.cost);
          }
          const api = await loadWithCost(bench.url, req, { connections, durationSeconds }, backend === 'postgres' ? bench : null);
          loadedRuns.push(api.result);
          costs.push(api.cost);
        }
      } finally {
        await ceilingServer?.close();
      }
      for (const r of [...lone, ...loadedRuns, ...ceilingRuns])
        if (r.non2xx || r.errors || r.timeouts) throw new Error(`${name}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
      const medianCost = (list: PageCost[]): PageCost => ({
        apiCpuMs: median(list.map((c) => c.apiCpuMs)),
        databaseCpuMs: backend === 'postgres' && list[0]?.databaseCpuMs != null ? median(list.map((c) => c.databaseCpuMs!)) : null,
        loadGeneratorCpuMs: median(list.map((c) => c.loadGeneratorCpuMs)),
        bytesPerPage: median(list.map((c) => c.bytesPerPage)),
      });
      const scenario: Scenario = {
        name,
        lone: medianLoad(lone),
        loaded: underLoad ? medianLoad(loadedRuns) : null,
        runs: { lone, loaded: loadedRuns },
        cost: underLoad ? medianCost(costs) : null,
        ceiling:
          ceilingRuns.length > 0
            ? {
                loaded: medianLoad(ceilingRuns),
                cost: medianCost(ceilingCosts),
                ratio: round(median(loadedRuns.map((api, i) => api.requestsPerSecond / ceilingRuns[i].requestsPerSecond)), 3),
                serviceMs: round(await serviceCallMs(pool, ws.id), 2),
              }
            : null,
      };
      log(`  ${describeScenario(scenario)} (load average ${machineInfo().loadAverage.join(' / ')})`);
      results.push(scenario);
    }

    const recall: QueryRun['recall'] = [];
    if (!pagesOnly) {
      log('  recall@100 of the lookalike search against exact search…');
      const exactDb = exactDatabase(bench.service.db);
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
        log(
          `    ${seeds} seeds: recall@100 median ${median(values).toFixed(3)} (min ${Math.min(...values).toFixed(3)}, mean ${mean(values).toFixed(3)}); in-process ${fmt(median(apiMs), 0)} ms with the index, ${fmt(median(exactMs), 0)} ms exact`,
        );
      }
    }
    return {
      backend,
      accounts,
      copies,
      setup: {
        loadSeconds: round(loaded.seconds, 1),
        trainJobSeconds: trainJob.seconds === null ? null : round(trainJob.seconds, 1),
        scoreJobSeconds: scoreJob?.seconds == null ? null : round(scoreJob.seconds, 1),
        copySeconds: copied ? round(copied.seconds, 1) : null,
        hnswBuildSeconds: hnsw ? round(hnsw.seconds, 1) : null,
        search: hnsw?.result ?? null,
      },
      scenarios: results,
      recall,
    };
  } finally {
    await bench.close();
  }
}

function describeScenario(s: Scenario): string {
  const lone = `1 conn: p50 ${fmt(s.lone.latencyMs.p50, 0)} ms, p99 ${fmt(s.lone.latencyMs.p99, 0)} ms, ${fmt(s.lone.requestsPerSecond, 0)} req/s`;
  if (!s.loaded) return `${s.name.padEnd(58)} ${lone}`;
  const loaded = `${s.loaded.connections} conn: p50 ${fmt(s.loaded.latencyMs.p50, 0)} ms, p99 ${fmt(s.loaded.latencyMs.p99, 0)} ms, ${fmt(s.loaded.requestsPerSecond, 0)} req/s`;
  const cost = s.cost
    ? `; CPU per request: API ${fmt(s.cost.apiCpuMs, 1)} ms${s.cost.databaseCpuMs === null ? '' : `, PostgreSQL ${fmt(s.cost.databaseCpuMs, 1)} ms`}, load generator ${fmt(s.cost.loadGeneratorCpuMs, 1)} ms; ${fmt(s.cost.bytesPerPage / 1024, 0)} KB each`
    : '';
  const c = s.ceiling;
  const ceiling = c
    ? `\n${' '.repeat(6)}HTTP ceiling (the same ${fmt(c.cost.bytesPerPage / 1024, 0)} KB from memory, alternated): ${fmt(c.loaded.requestsPerSecond, 0)} req/s, ` +
      `p99 ${fmt(c.loaded.latencyMs.p99, 0)} ms; CPU per request: API ${fmt(c.cost.apiCpuMs, 2)} ms, load generator ${fmt(c.cost.loadGeneratorCpuMs, 2)} ms. ` +
      `Ratio API / ceiling ${c.ratio.toFixed(3)}; service call in-process ${fmt(c.serviceMs, 2)} ms a page`
    : '';
  return `${s.name.padEnd(58)} ${lone} | ${loaded}${cost}${ceiling}`;
}

export async function runQueryBench(options: QueryOptions = {}): Promise<QueryResult> {
  const quick = options.quick ?? false;
  const runs = options.runs ?? 3;
  const durationSeconds = options.durationSeconds ?? (quick ? 5 : 10);
  const connections = options.connections ?? 20;
  const backendList = options.backends ?? selectBackends(parseArgs([]));
  const results: QueryRun[] = [];
  for (const backend of backendList) {
    const copies = options.copies ?? (backend === 'postgres' && !quick ? 10 : 1);
    results.push(
      await queryRun(backend, options.size ?? 100_000, {
        copies,
        pagesOnly: options.pagesOnly ?? false,
        runs,
        durationSeconds,
        connections,
      }),
    );
  }
  const targets: TargetCheck[] = [];
  for (const r of results) {
    const at = `${r.backend} ${fmt(r.accounts)}`;
    const s = (name: string) => r.scenarios.find((x) => x.name === name)!;
    const unfiltered = s(UNFILTERED);
    targets.push(target(`prospect page p50, 1 connection, ${at} (ms)`, unfiltered.lone.latencyMs.p50, 20, 'lower'));
    targets.push(target(`prospect page p99, 1 connection, ${at} (ms)`, unfiltered.lone.latencyMs.p99, 50, 'lower'));
    targets.push(
      target(`prospect pages per second, ${connections} connections, ${at}`, unfiltered.loaded!.requestsPerSecond, 1000, 'higher'),
    );
    if (unfiltered.ceiling) {
      targets.push(
        target(
          `prospect pages / the HTTP ceiling of their bytes, ${connections} connections, ${at}`,
          unfiltered.ceiling.ratio,
          0.25,
          'higher',
        ),
      );
      targets.push(target(`prospect page p99, ${connections} connections, ${at} (ms)`, unfiltered.loaded!.latencyMs.p99, 200, 'lower'));
    }
    const filtered = r.scenarios.filter((x) => x.name === TYPICAL_FILTERED || FILTER_PAIRS.some((q) => x.name.endsWith(`&${q}`)));
    const worst = filtered.reduce((a, b) => (b.lone.latencyMs.p99 > a.lone.latencyMs.p99 ? b : a));
    const limit = r.backend === 'postgres' ? 100 : 200;
    targets.push(
      target(
        `two-filter pages, worst p99 of ${filtered.length} (${worst.name.replace('prospects limit=100&', '')}), 1 connection, ${at} (ms)`,
        worst.lone.latencyMs.p99,
        limit,
        'lower',
      ),
    );
    for (const name of ['lookalikes, 10 seeds, limit 100', 'lookalikes, 100 seeds, limit 100']) {
      const x = r.scenarios.find((y) => y.name === name);
      if (!x) continue;
      targets.push(target(`${name} p99, 1 connection, ${at} (ms)`, x.lone.latencyMs.p99, 100, 'lower'));
      targets.push(target(`${name} p99, ${x.loaded!.connections} connections, ${at} (ms)`, x.loaded!.latencyMs.p99, 100, 'lower'));
    }
    for (const rc of r.recall)
      targets.push(
        target(`lookalike recall@100, ${rc.seeds} seeds, ${at} (median of ${rc.sets} seed sets)`, rc.medianRecall, 0.95, 'higher'),
      );
  }
  return {
    bench: 'query',
    note: SHARED_MACHINE_NOTE,
    conditions: `autocannon in a separate process on the same 2 cores, ${durationSeconds} s per run (filtered pages: ${Math.ceil(durationSeconds / 2)} s), 1 and ${connections} connections, loopback, medians of ${runs} runs`,
    runs: results,
    targets,
  };
}

export function printQuery(result: QueryResult) {
  console.log(`\nQuery (${result.conditions})`);
  for (const r of result.runs) {
    console.log(
      `  ${r.backend}, ${fmt(r.accounts)} accounts${r.copies > 1 ? ` (${fmt(r.accounts / r.copies)} × ${r.copies} copies)` : ''} (setup: load ${fmt(r.setup.loadSeconds, 0)} s, ` +
        `training job ${fmt(r.setup.trainJobSeconds ?? NaN, 0)} s, scoring job ${fmt(r.setup.scoreJobSeconds ?? NaN, 0)} s` +
        `${r.setup.copySeconds === null ? '' : `, copies ${fmt(r.setup.copySeconds, 0)} s`}${r.setup.search === null ? '' : `, vector index ${r.setup.search} in ${fmt(r.setup.hnswBuildSeconds ?? NaN, 0)} s`})`,
    );
    for (const s of r.scenarios) console.log(`    ${describeScenario(s)}`);
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
  const number = (name: string) => (args.values.has(name) ? Number(args.values.get(name)) : undefined);
  const result = await runQueryBench({
    quick: args.quick,
    backends: selectBackends(args),
    size: args.sizes?.[0],
    copies: number('copies'),
    pagesOnly: args.flags.has('pages'),
    runs: number('runs'),
    durationSeconds: number('duration'),
    connections: number('connections'),
  });
  printQuery(result);
}
