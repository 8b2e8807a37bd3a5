// Ingest benchmark: rows per second of POST /v1/accounts/import (streamed CSV) for
// 100,000 and 1,000,000 generated accounts through the real HTTP API, the re-import rate (every
// row unchanged), peak RSS of the API process during the import, and, separately, how long the
// vectorising that follows an import takes.
//
//   npx tsx bench/ingest.ts                 100k and 1M on PGlite (+ Postgres when DATABASE_URL is set)
//   npx tsx bench/ingest.ts --quick         100k only
//   npx tsx bench/ingest.ts --size 250k     other sizes (repeatable, comma-separated)
//   npx tsx bench/ingest.ts --no-pglite --size 1m --stages   CSV to a ranked page and to index-backed lookalikes
//   flags: --no-pglite, --no-postgres, --no-vectorise, --vectorise-all (also vectorise sizes > 100k on PGlite),
//          --stages (PostgreSQL: after the import, every stage up to index-backed lookalikes; no re-import),
//          --workers N (with --stages: the scoring stage as the scores.refresh job on BullMQ, REDIS_URL or the local
//          Redis, with N worker processes, as `npm run worker` runs them; default: in this process)
//
// How: the service runs as `npm start` runs it, in a process of its own on a loopback port (temporary
// DATA_DIR, DEMO=false; on Postgres a private schema on DATABASE_URL), so its memory and CPU are the
// API's alone (/proc), not this process's (which generates the CSV and sends it). The CSV is generated
// first into a temporary file, then streamed to the API with fetch and a ReadableStream body
// (duplex: 'half'), never held in memory. The import request is timed from the first byte sent to the
// parsed summary.
//
// The import schedules a vectors.refresh job once it has answered, debounced. So that it cannot overlap
// the re-import (or keep the bench's stop waiting for a 1M vectorising and an HNSW build), the bench's
// service waits a day after the last change (VECTOR_REFRESH_DEBOUNCE_MS) and is stopped before then;
// the vectorising itself (refreshVectors, what that job runs before it checks the HNSW index) is timed
// on its own, in this process, on the database the stopped API leaves. The HNSW build is measured by bench/query.ts and bench/lookalikes.ts.
//
// --stages times what follows an import, one stage after the other, in this process on the database the
// stopped API leaves: a scoring run of the whole universe (scoreAccountRange + finishScoreRun, what the
// scores.refresh job runs with one worker; the model is trained on 20,000 other accounts and copied,
// not timed) and the first prospect page (limit 100); then vectorising as the vectors.refresh job does it
// (a bulk write, the HNSW index built after: ensureVectorIndex), and the first lookalike request (10
// seeds, limit 100) answered through the index, with recall@100 against exact search over 5 seed sets.
// "CSV to a first ranked page" is import + scoring + page; "to index-backed lookalikes" adds the rest.
// With --workers N the worker processes also run the vectors.refresh job the import queued, beside the
// scoring job, as production does after an import: then the scoring stage lasts until they stop (their
// start-up, and their stop after the HNSW build, are the bench's), and the two ends are the import plus
// each job's own time from its start to its end (scores.refresh; vectors.refresh, the build included).
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import { finished } from 'node:stream/promises';
import { accountsToCsvLines, generateAccounts } from '../src/demo/universe.ts';
import { openDatabase, type Database } from '../src/db/pool.ts';
import { currentVocabulary, refreshVectors, writeStaleVectors } from '../src/features/service.ts';
import { dropVectorIndexForBulkWrite, ensureVectorIndex } from '../src/features/vector-index.ts';
import { findLookalikes } from '../src/prospects/lookalikes.ts';
import { createScoreRun } from '../src/prospects/repository.ts';
import { ProspectQuery } from '../src/prospects/schema.ts';
import { finishScoreRun, scoreAccountRange } from '../src/prospects/score-runs.ts';
import { prospectPageText } from '../src/prospects/service.ts';
import { freePort } from '../test/support/ports.ts';
import { exactDatabase } from './query.ts';
import { DEFAULT_REDIS_URL, type ScoringTarget, withScoringQueue } from './workers.ts';
import {
  backendCpuSampler,
  benchPlace,
  backends as selectBackends,
  copiedModel,
  describeMachine,
  fmt,
  isMain,
  log,
  machineInfo,
  median,
  parseArgs,
  printTargets,
  round,
  processCpuSeconds,
  sampleRss,
  SHARED_MACHINE_NOTE,
  startApiProcess,
  target,
  timed,
  type Backend,
  type TargetCheck,
} from './lib.ts';

export const INGEST_SEED = 7;
const DEFAULT_SIZES = [100_000, 1_000_000];
/** PGlite vectorises ≈ a few thousand accounts/s: above this size it is skipped unless asked. */
const PGLITE_VECTORISE_MAX = 100_000;

export interface IngestOptions {
  sizes?: number[];
  quick?: boolean;
  backends?: Backend[];
  /** Imports per size ≤ 100k (default 3; 1 with quick). */
  repeats?: number;
  /** Time refreshVectors after the import (default: sizes ≤ 100k on PGlite, every size on Postgres). */
  vectorise?: 'default' | 'none' | 'all';
  /** PostgreSQL: every stage from the import to index-backed lookalikes (see PipelineStages), instead of the re-import and the vectorising alone. */
  stages?: boolean;
  /** --stages: the scoring stage as the scores.refresh job on BullMQ with this many worker processes (0: in this process). */
  stageWorkers?: number;
}

/** Seconds of each stage after the import, one after the other (--stages). */
export interface PipelineStages {
  modelSeconds: number;
  scoringSeconds: number;
  firstPageSeconds: number;
  vectoriseSeconds: number;
  indexSeconds: number;
  firstLookalikeSeconds: number;
  /** Import + scoring + the first page. */
  toFirstPageSeconds: number;
  /** The same + vectorising + the index build + the first index-backed lookalike request. */
  toLookalikesSeconds: number;
  lookalikeSearch: string;
  /**
   * CPU seconds of each stage (import: the API process; the others: this process, both its threads) and
   * of the PostgreSQL backends serving it, parallel build workers included: what the stage costs
   * whatever the load, and on 2 cores at best half of it in wall time.
   */
  cpuSeconds: Record<'import' | 'scoring' | 'vectorise' | 'index', { client: number; postgres: number }>;
  /** Recall@100 of the index-backed lookalikes against exact search (5 sets of 10 seeds). */
  recallAt100: number[];
  loadAverage: number[];
  /**
   * --workers: the worker processes; the scoring job's own seconds, and the seconds from the import's end
   * to the end of the vectorising job (its debounce, its pauses for the scoring and the index build
   * included); else null.
   */
  queued: { workers: number; scoringJobSeconds: number; vectorsDoneSeconds: number } | null;
}

export interface ImportRun {
  seconds: number;
  /** When the import answered (epoch ms). */
  endedAt: number;
  rowsPerSecond: number;
  megabytesPerSecond: number;
  summary: { rows: number; inserted: number; updated: number; unchanged: number; rejectedCount: number; duplicateCount: number };
  /** Of the API process. */
  rss: ReturnType<ReturnType<typeof sampleRss>['stop']>;
  /** CPU time of the API process (with PGlite when embedded) per row: less load-dependent than rows/s. */
  cpuMicrosPerRow: number;
  /** PostgreSQL: CPU seconds of the backends serving the import (null on PGlite). */
  postgresCpuSeconds: number | null;
}

export interface IngestRun {
  backend: Backend;
  size: number;
  csv: { bytes: number; generateSeconds: number };
  import: ImportRun;
  reimport: ImportRun | null;
  vectorise: { seconds: number; accountsPerSecond: number; vectorised: number } | { skipped: string };
  stages: PipelineStages | null;
}

export interface IngestSummary {
  backend: Backend;
  size: number;
  repeats: number;
  importRowsPerSecond: number[];
  reimportRowsPerSecond: number[];
  medianImportRowsPerSecond: number;
  medianReimportRowsPerSecond: number;
  peakRssMB: number;
}

export interface IngestResult {
  bench: 'ingest';
  note: string;
  runs: IngestRun[];
  /** Medians per backend and size (sizes up to 100k are imported REPEATS times, each into a fresh service). */
  summary: IngestSummary[];
  targets: TargetCheck[];
}

/** Imports per size up to 100k (each into a fresh service and data dir); larger sizes run once. */
const REPEATS = 3;

/** Writes the CSV of `count` generated accounts to `file`, streamed (the file never sits in memory). */
async function writeCsv(file: string, count: number): Promise<{ bytes: number; seconds: number }> {
  const { seconds } = await timed(async () => {
    const out = createWriteStream(file, { highWaterMark: 1 << 20 });
    let chunk = '';
    for (const line of accountsToCsvLines(generateAccounts({ seed: INGEST_SEED, count }))) {
      chunk += line;
      if (chunk.length >= 1 << 16) {
        if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
        chunk = '';
      }
    }
    out.end(chunk);
    await finished(out);
  });
  return { bytes: (await stat(file)).size, seconds };
}

// Node's fetch (undici) gives up waiting for response headers after 300 s by default; a 1M import
// on PGlite answers once the whole file is stored. An agent without those timeouts, built from the
// class of the global dispatcher (Node bundles undici but does not export it).
let patientDispatcher: unknown;
async function dispatcherWithoutTimeouts(baseUrl: string): Promise<unknown> {
  if (patientDispatcher) return patientDispatcher;
  await fetch(`${baseUrl}/health`).then((r) => r.arrayBuffer());
  const global = (globalThis as Record<symbol, unknown>)[Symbol.for('undici.globalDispatcher.1')] as object | undefined;
  const Agent = global ? (Object.getPrototypeOf(global).constructor as new (opts: object) => unknown) : undefined;
  patientDispatcher = Agent ? new Agent({ headersTimeout: 0, bodyTimeout: 0 }) : undefined;
  return patientDispatcher;
}

/** POSTs the file to /v1/accounts/import as a stream; times the request and samples the API process's RSS and CPU. */
async function importFile(
  api: { url: string; pid: number },
  auth: Record<string, string>,
  file: string,
  bytes: number,
  postgresCpu: (() => Promise<number>) | null,
): Promise<ImportRun> {
  const dispatcher = await dispatcherWithoutTimeouts(api.url);
  const rss = sampleRss(api.pid, 100);
  const cpu = processCpuSeconds(api.pid);
  const postgresBefore = await postgresCpu?.();
  const { seconds, result } = await timed(async () => {
    const body = Readable.toWeb(createReadStream(file, { highWaterMark: 256 * 1024 })) as ReadableStream<Uint8Array>;
    const res = await fetch(`${api.url}/v1/accounts/import`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'text/csv' },
      body,
      duplex: 'half',
      ...(dispatcher ? { dispatcher } : {}),
    } as RequestInit);
    const text = await res.text();
    if (res.status !== 200) throw new Error(`import answered ${res.status}: ${text.slice(0, 500)}`);
    return JSON.parse(text) as ImportRun['summary'];
  });
  const endedAt = Date.now();
  const memory = rss.stop();
  const { rows, inserted, updated, unchanged, rejectedCount, duplicateCount } = result;
  return {
    seconds: round(seconds, 2),
    endedAt,
    rowsPerSecond: Math.round(rows / seconds),
    megabytesPerSecond: round(bytes / 1e6 / seconds, 2),
    summary: { rows, inserted, updated, unchanged, rejectedCount, duplicateCount },
    rss: memory,
    cpuMicrosPerRow: round(((processCpuSeconds(api.pid) - cpu) * 1e6) / rows, 1),
    postgresCpuSeconds: postgresCpu ? round((await postgresCpu()) - postgresBefore!, 1) : null,
  };
}

async function ingestOnce(
  backend: Backend,
  size: number,
  vectorise: IngestOptions['vectorise'],
  csvFile: string,
  csv: IngestRun['csv'],
  stages = false,
  stageWorkers = 0,
): Promise<IngestRun> {
  const place = await benchPlace(backend, `ingest-${size}`);
  const postgresCpu = place.schema ? postgresCpuOf(place.schema) : null;
  try {
    const adminToken = `bench-admin-${randomBytes(12).toString('hex')}`;
    const port = await freePort();
    const api = await startApiProcess(
      {
        HOST: '127.0.0.1',
        DATA_DIR: place.dataDir,
        DATABASE_URL: place.databaseUrl ?? '', // empty: embedded, whatever this process was given
        REDIS_URL: '',
        DEMO: 'false',
        LOG_LEVEL: 'warn',
        ADMIN_TOKEN: adminToken,
        RATE_LIMIT_PER_MINUTE: '100000000',
        VECTOR_REFRESH_DEBOUNCE_MS: String(24 * 3600 * 1000),
      },
      port,
    );
    const served = { url: `http://127.0.0.1:${port}`, pid: api.pid };
    let workspaceId: string;
    let first: ImportRun;
    let again: ImportRun | null = null;
    try {
      const created = await fetch(`${served.url}/v1/workspaces`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Ingest bench' }),
      });
      if (created.status !== 201) throw new Error(`POST /v1/workspaces answered ${created.status}: ${await created.text()}`);
      const { workspace, apiKey } = (await created.json()) as { workspace: { id: string }; apiKey: string };
      workspaceId = workspace.id;
      const auth = { authorization: `Bearer ${apiKey}` };
      log(`${backend} ${fmt(size)}: importing (${fmt(csv.bytes / 1e6, 1)} MB)…`);
      first = await importFile(served, auth, csvFile, csv.bytes, postgresCpu?.seconds ?? null);
      if (first.summary.inserted !== size || first.summary.rejectedCount !== 0)
        throw new Error(`import stored ${JSON.stringify(first.summary)}, expected ${size} inserted`);
      log(
        `  import: ${fmt(first.seconds, 1)} s, ${fmt(first.rowsPerSecond)} rows/s, ${first.cpuMicrosPerRow} µs of the API's CPU per row, API peak RSS ${first.rss.peakMB} MB (load ${os.loadavg()[0].toFixed(1)})`,
      );

      if (!stages) {
        log(`${backend} ${fmt(size)}: re-importing (every row unchanged)…`);
        again = await importFile(served, auth, csvFile, csv.bytes, postgresCpu?.seconds ?? null);
        if (again.summary.unchanged !== size)
          throw new Error(`re-import reported ${JSON.stringify(again.summary)}, expected ${size} unchanged`);
        log(
          `  re-import: ${fmt(again.seconds, 1)} s, ${fmt(again.rowsPerSecond)} rows/s, ${again.cpuMicrosPerRow} µs CPU per row, API peak RSS ${again.rss.peakMB} MB (load ${os.loadavg()[0].toFixed(1)})`,
        );
      }
    } finally {
      await api.stop();
    }

    if (stages) {
      const db = await openDatabase({ databaseUrl: place.databaseUrl, dataDir: place.dataDir });
      try {
        const queued = { databaseUrl: place.databaseUrl!, schema: place.schema!, workers: stageWorkers };
        const measured = await pipelineStages(db, workspaceId, first, postgresCpu!.seconds, queued);
        return { backend, size, csv, import: first, reimport: null, vectorise: { skipped: 'in the stages' }, stages: measured };
      } finally {
        await db.close();
      }
    }

    let vectorised: IngestRun['vectorise'];
    const wanted = vectorise === 'all' || (vectorise !== 'none' && (backend === 'postgres' || size <= PGLITE_VECTORISE_MAX));
    if (wanted) {
      log(`${backend} ${fmt(size)}: vectorising (refreshVectors, what the vectors.refresh job runs)…`);
      const db = await openDatabase({ databaseUrl: place.databaseUrl, dataDir: place.dataDir });
      try {
        const { seconds, result } = await timed(() => refreshVectors(db.pool, workspaceId));
        vectorised = {
          seconds: round(seconds, 2),
          accountsPerSecond: Math.round(result.vectorised / seconds),
          vectorised: result.vectorised,
        };
        log(`  vectorise: ${fmt(seconds, 1)} s, ${fmt(vectorised.accountsPerSecond)} accounts/s`);
      } finally {
        await db.close();
      }
    } else {
      vectorised = {
        skipped:
          vectorise === 'none'
            ? 'not measured (a repeat, or --no-vectorise)'
            : `skipped above ${fmt(PGLITE_VECTORISE_MAX)} accounts on PGlite (--vectorise-all to include)`,
      };
    }
    return { backend, size, csv, import: first, reimport: again, vectorise: vectorised, stages: null };
  } finally {
    await postgresCpu?.close();
    await place.cleanup();
  }
}

/**
 * CPU seconds of the PostgreSQL backends whose connections carry the place's schema as their name
 * (sampled, so a closed one keeps its last reading), read through a connection of its own.
 */
function postgresCpuOf(schema: string) {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1, application_name: 'ingest bench cpu' });
  const sampler = backendCpuSampler(pool, schema);
  return {
    seconds: async () => [...(await sampler.totals()).values()].reduce((a, b) => a + b, 0),
    close: async () => {
      sampler.stop();
      await pool.end();
    },
  };
}

/** Recall@100 of the served lookalikes against exact search. */
async function recallAt100Of(db: Database, workspaceId: string, request: Parameters<typeof findLookalikes>[2]) {
  const served = await findLookalikes(db, workspaceId, request);
  const expected = new Set((await findLookalikes(exactDatabase(db), workspaceId, request)).data.map((d) => d.domain));
  return round(served.data.filter((d) => expected.has(d.domain)).length / Math.max(1, expected.size), 3);
}

async function logSizes(pool: pg.Pool) {
  const sizes = await pool.query<{ name: string; size: string }>(
    `SELECT relname AS name, pg_size_pretty(pg_total_relation_size(oid)) AS size FROM pg_class
     WHERE oid IN (to_regclass('accounts'), to_regclass('account_scores'), to_regclass('account_vectors'), to_regclass('account_vectors_hnsw'))`,
  );
  log(`  sizes with their indexes: ${sizes.rows.map((r) => `${r.name} ${r.size}`).join(', ')}`);
}

/**
 * The workspace's completed scoring job's own seconds, and the seconds from `importEndedAt` (epoch ms) to
 * the end of its vectorising job (the import queued it; the server's clock is this machine's).
 */
async function queuedJobSeconds(pool: pg.Pool, workspaceId: string, importEndedAt: number) {
  const { rows } = await pool.query<{ type: string; seconds: number; ended_at: number }>(
    `SELECT type, extract(epoch FROM finished_at - started_at)::float8 AS seconds, extract(epoch FROM finished_at)::float8 * 1000 AS ended_at
     FROM jobs WHERE workspace_id = $1 AND type IN ('scores.refresh', 'vectors.refresh') AND status = 'completed'`,
    [workspaceId],
  );
  const of = (type: string) => rows.find((r) => r.type === type) ?? { seconds: Number.NaN, ended_at: Number.NaN };
  return {
    scoringJobSeconds: round(of('scores.refresh').seconds, 1),
    vectorsDoneSeconds: round((of('vectors.refresh').ended_at - importEndedAt) / 1000, 1),
  };
}

/**
 * A scoring run of the universe: in this process (scoreAccountRange + finishScoreRun, what the
 * scores.refresh job runs with one worker), or as that job on BullMQ with `queued.workers` processes.
 */
async function scoreUniverse(pool: pg.Pool, target: ScoringTarget, queued: { databaseUrl: string; schema: string; workers: number }) {
  if (queued.workers === 0) {
    const runId = await createScoreRun(pool, target.workspaceId, target.modelId);
    await scoreAccountRange(pool, runId);
    return { ...(await finishScoreRun(pool, runId)), workerCpuSeconds: 0 };
  }
  const run = await withScoringQueue({ ...queued, databaseCpuSeconds: () => 0 }, DEFAULT_REDIS_URL, (score) =>
    score(target, queued.workers),
  );
  return { accountsScored: target.accounts, workerCpuSeconds: run.cpuSeconds.workers.reduce((a, b) => a + b, 0) };
}

const processCpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** The stages from an imported universe to a ranked page and to index-backed lookalikes (see the header). */
async function pipelineStages(
  db: Database,
  workspaceId: string,
  imported: ImportRun,
  postgresCpu: () => Promise<number>,
  queued: { databaseUrl: string; schema: string; workers: number },
): Promise<PipelineStages> {
  const pool = db.pool;
  const loadAverage = [round(os.loadavg()[0], 2)];
  const cpuSeconds = {
    import: { client: round((imported.cpuMicrosPerRow * imported.summary.rows) / 1e6, 1), postgres: imported.postgresCpuSeconds ?? 0 },
  } as PipelineStages['cpuSeconds'];
  const stage = async <T>(name: string, work: () => Promise<T>, cpu?: keyof PipelineStages['cpuSeconds']) => {
    const before = { client: processCpu(), postgres: await postgresCpu() };
    const { seconds, result } = await timed(work);
    const used = { client: round(processCpu() - before.client, 1), postgres: round((await postgresCpu()) - before.postgres, 1) };
    if (cpu) cpuSeconds[cpu] = used;
    loadAverage.push(round(os.loadavg()[0], 2));
    const spent = cpu ? `, CPU ${used.client} s here + ${used.postgres} s PostgreSQL` : '';
    log(`  ${name}: ${fmt(seconds, seconds < 10 ? 2 : 1)} s (load ${os.loadavg()[0].toFixed(1)}${spent})`);
    return { seconds, result };
  };
  log('  training a model on 20,000 other accounts to copy (not timed as a stage)…');
  const model = await copiedModel(pool, workspaceId);
  const scoring = await stage(
    queued.workers > 0 ? `scoring the universe (the scores.refresh job, ${queued.workers} worker processes)` : 'scoring the universe',
    () => scoreUniverse(pool, { workspaceId, modelId: model.modelId, accounts: imported.summary.rows }, queued),
    'scoring',
  );
  // Worker processes' CPU is theirs, not this process's: counted with it as the stage's client CPU.
  cpuSeconds.scoring.client = round(cpuSeconds.scoring.client + scoring.result.workerCpuSeconds, 1);
  const page = await stage('first prospect page', async () =>
    JSON.parse((await prospectPageText(pool, workspaceId, ProspectQuery.parse({ limit: 100 }))).text),
  );
  if (page.result.data.length !== 100) throw new Error(`the first page has ${page.result.data.length} prospects`);
  const vectorise = await stage(
    'vectorising (the vectors.refresh job)',
    async () => {
      const vocabulary = await currentVocabulary(pool, workspaceId);
      await dropVectorIndexForBulkWrite(db, workspaceId, vocabulary.version);
      return writeStaleVectors(pool, workspaceId, vocabulary);
    },
    'vectorise',
  );
  const index = await stage('HNSW index build', () => ensureVectorIndex(db), 'index');
  const { rows } = await pool.query<{ domain: string }>('SELECT domain FROM accounts WHERE workspace_id = $1 ORDER BY id LIMIT 60', [
    workspaceId,
  ]);
  const seedSets = Array.from({ length: 6 }, (_, i) => rows.slice(i * 10, i * 10 + 10).map((r) => r.domain));
  const request = (seedDomains: string[]) => ({ seedDomains, limit: 100, filters: {}, includeCustomers: false });
  const lookalike = await stage('first lookalike request', () => findLookalikes(db, workspaceId, request(seedSets[0])));
  const recallAt100: number[] = [];
  for (const seeds of seedSets.slice(1)) recallAt100.push(await recallAt100Of(db, workspaceId, request(seeds)));
  log(
    `  recall@100 against exact search: ${recallAt100.join(', ')} (scored ${fmt(scoring.result.accountsScored)}, vectorised ${fmt(vectorise.result.vectorised)})`,
  );
  await logSizes(pool);
  // With workers, the vectors.refresh job the import queued runs in them beside the scoring job, as in
  // production: each end is its job's own time (the workers' start-up and stop are the bench's).
  const jobs = queued.workers > 0 ? await queuedJobSeconds(pool, workspaceId, imported.endedAt) : null;
  const toFirstPageSeconds = imported.seconds + (jobs?.scoringJobSeconds ?? scoring.seconds) + page.seconds;
  const toIndex = jobs?.vectorsDoneSeconds ?? toFirstPageSeconds - imported.seconds + vectorise.seconds + index.seconds;
  if (jobs) log(`  the jobs in the workers: ${JSON.stringify(jobs)}`);
  return {
    modelSeconds: round(model.seconds, 1),
    scoringSeconds: round(scoring.seconds, 1),
    firstPageSeconds: round(page.seconds, 3),
    vectoriseSeconds: round(vectorise.seconds, 1),
    indexSeconds: round(index.seconds, 1),
    firstLookalikeSeconds: round(lookalike.seconds, 3),
    toFirstPageSeconds: round(toFirstPageSeconds, 1),
    toLookalikesSeconds: round(imported.seconds + toIndex + lookalike.seconds, 1),
    lookalikeSearch: lookalike.result.search,
    cpuSeconds,
    recallAt100,
    loadAverage,
    queued: jobs ? { workers: queued.workers, ...jobs } : null,
  };
}

export async function runIngestBench(options: IngestOptions = {}): Promise<IngestResult> {
  // Largest first: RSS is sampled for the whole process, and every service started in it leaves some
  // heap behind (PGlite's WASM memory), so the big import is measured in the freshest process.
  const sizes = (options.sizes ?? (options.quick ? DEFAULT_SIZES.filter((s) => s <= 100_000) : DEFAULT_SIZES))
    .slice()
    .sort((a, b) => b - a);
  const backendList = options.backends ?? selectBackends(parseArgs([]));
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'lookalike-bench-csv-'));
  const runs: IngestRun[] = [];
  try {
    for (const size of sizes) {
      const file = path.join(workDir, `accounts-${size}.csv`);
      log(`generating ${fmt(size)} accounts as CSV into a temporary file…`);
      const generated = await writeCsv(file, size);
      const csv = { bytes: generated.bytes, generateSeconds: round(generated.seconds, 2) };
      const repeats = size <= 100_000 ? (options.repeats ?? (options.quick ? 1 : REPEATS)) : 1;
      for (const backend of backendList) {
        for (let i = 0; i < repeats; i++)
          runs.push(
            await ingestOnce(
              backend,
              size,
              i === 0 ? (options.vectorise ?? 'default') : 'none',
              file,
              csv,
              options.stages === true && backend === 'postgres',
              options.stageWorkers,
            ),
          );
      }
      await rm(file, { force: true });
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  const summary: IngestSummary[] = [];
  for (const r of runs) {
    if (summary.some((x) => x.backend === r.backend && x.size === r.size)) continue;
    const same = runs.filter((x) => x.backend === r.backend && x.size === r.size);
    summary.push({
      backend: r.backend,
      size: r.size,
      repeats: same.length,
      importRowsPerSecond: same.map((x) => x.import.rowsPerSecond),
      reimportRowsPerSecond: same.flatMap((x) => (x.reimport ? [x.reimport.rowsPerSecond] : [])),
      medianImportRowsPerSecond: Math.round(median(same.map((x) => x.import.rowsPerSecond))),
      medianReimportRowsPerSecond: Math.round(median(same.flatMap((x) => (x.reimport ? [x.reimport.rowsPerSecond] : [])))),
      peakRssMB: Math.max(...same.map((x) => x.import.rss.peakMB)),
    });
  }
  const targets: TargetCheck[] = [];
  for (const r of runs) {
    if (!r.stages) continue;
    targets.push(target(`CSV to a first ranked page, ${fmt(r.size)} accounts (s)`, r.stages.toFirstPageSeconds, 300, 'lower'));
    targets.push(target(`CSV to index-backed lookalikes, ${fmt(r.size)} accounts (s)`, r.stages.toLookalikesSeconds, 600, 'lower'));
  }
  for (const x of summary) {
    const minRate = x.backend === 'postgres' ? 20_000 : 5_000;
    targets.push(
      target(`import ${fmt(x.size)} rows on ${x.backend} (rows/s, median of ${x.repeats})`, x.medianImportRowsPerSecond, minRate, 'higher'),
    );
    if (x.size >= 1_000_000)
      targets.push(target(`peak RSS during the ${fmt(x.size)}-row import on ${x.backend} (MB)`, x.peakRssMB, 500, 'lower'));
  }
  return { bench: 'ingest', note: SHARED_MACHINE_NOTE, runs, summary, targets };
}

export function printIngest(result: IngestResult) {
  console.log('\nIngest: POST /v1/accounts/import, streamed CSV through HTTP (loopback)');
  for (const r of result.runs) {
    const v =
      'seconds' in r.vectorise
        ? `${fmt(r.vectorise.seconds, 1)} s (${fmt(r.vectorise.accountsPerSecond)} accounts/s)`
        : r.vectorise.skipped;
    console.log(
      `  ${r.backend.padEnd(8)} ${fmt(r.size).padStart(9)} rows (${fmt(r.csv.bytes / 1e6, 0)} MB): ` +
        `import ${fmt(r.import.seconds, 1)} s = ${fmt(r.import.rowsPerSecond)} rows/s (${fmt(r.import.megabytesPerSecond, 1)} MB/s, ${r.import.cpuMicrosPerRow} µs CPU/row), ` +
        `peak RSS ${r.import.rss.peakMB} MB (${r.import.rss.startMB} MB before it, +${r.import.rss.peakMB - r.import.rss.startMB} MB); ` +
        (r.reimport
          ? `re-import (unchanged) ${fmt(r.reimport.seconds, 1)} s = ${fmt(r.reimport.rowsPerSecond)} rows/s, peak RSS ${r.reimport.rss.peakMB} MB; `
          : '') +
        `vectorising afterwards: ${v}`,
    );
    const st = r.stages;
    if (!st) continue;
    console.log(st.queued ? queuedStagesLine(r.import.seconds, st, st.queued) : sequentialStagesLine(r.import.seconds, st));
    // With --workers the scoring stage lasts until the workers stop: their vectorising and build are in it.
    const name = (stage: string) => (st.queued && stage === 'scoring' ? 'workers (scoring, vectorising, build)' : stage);
    const cpu = Object.entries(st.cpuSeconds).map(([stage, c]) => ({ name: name(stage), stage, total: c.client + c.postgres, ...c }));
    const toPage = cpu.filter((c) => c.stage === 'import' || c.stage === 'scoring').reduce((t, c) => t + c.total, 0);
    const all = cpu.reduce((t, c) => t + c.total, 0);
    const cores = os.cpus().length;
    console.log(
      `    CPU seconds (client + PostgreSQL): ${cpu.map((c) => `${c.name} ${fmt(c.client, 0)} + ${fmt(c.postgres, 0)}`).join(', ')}; ` +
        `on ${cores} cores at best ${st.queued ? '' : `${fmt(toPage / cores, 0)} s to a first page and `}${fmt(all / cores, 0)} s to lookalikes`,
    );
  }
  for (const x of result.summary)
    if (x.repeats > 1)
      console.log(
        `  ${x.backend} ${fmt(x.size)}: median of ${x.repeats} imports ${fmt(x.medianImportRowsPerSecond)} rows/s (${x.importRowsPerSecond.map((v) => fmt(v)).join(', ')}), ` +
          (x.reimportRowsPerSecond.length > 0
            ? `re-import ${fmt(x.medianReimportRowsPerSecond)} rows/s (${x.reimportRowsPerSecond.map((v) => fmt(v)).join(', ')})`
            : ''),
      );
  printTargets(result.targets);
  console.log(`  ${result.note}`);
}

/** The stages run one after the other in this process (no --workers). */
function sequentialStagesLine(importSeconds: number, st: PipelineStages): string {
  return (
    `    stages, one after the other: import ${fmt(importSeconds, 1)} s, scoring ${fmt(st.scoringSeconds, 1)} s, first page ${fmt(st.firstPageSeconds * 1000)} ms ` +
    `→ CSV to a first ranked page ${fmt(st.toFirstPageSeconds, 1)} s; vectorising ${fmt(st.vectoriseSeconds, 1)} s, HNSW build ${fmt(st.indexSeconds, 1)} s, ` +
    `first lookalike (${st.lookalikeSearch}) ${fmt(st.firstLookalikeSeconds * 1000)} ms → to index-backed lookalikes ${fmt(st.toLookalikesSeconds, 1)} s; ` +
    `recall@100 ${st.recallAt100.join(', ')}; model copied in ${fmt(st.modelSeconds, 0)} s (not a stage); load ${st.loadAverage.join(', ')}`
  );
}

/** --workers: the scoring and the vectorising ran as jobs in the worker processes, side by side as in production. */
function queuedStagesLine(importSeconds: number, st: PipelineStages, queued: NonNullable<PipelineStages['queued']>): string {
  return (
    `    as jobs in ${queued.workers} worker processes: import ${fmt(importSeconds, 1)} s, scores.refresh ${fmt(queued.scoringJobSeconds, 1)} s, ` +
    `first page ${fmt(st.firstPageSeconds * 1000)} ms → CSV to a first ranked page ${fmt(st.toFirstPageSeconds, 1)} s; ` +
    `vectors.refresh (debounce, vectorising, pauses for the scoring, HNSW build) done ${fmt(queued.vectorsDoneSeconds, 1)} s after the import, ` +
    `first lookalike (${st.lookalikeSearch}) ${fmt(st.firstLookalikeSeconds * 1000)} ms → to index-backed lookalikes ${fmt(st.toLookalikesSeconds, 1)} s; ` +
    `recall@100 ${st.recallAt100.join(', ')}; model copied in ${fmt(st.modelSeconds, 0)} s (not part of the first page); load ${st.loadAverage.join(', ')}`
  );
}

if (isMain(import.meta.url)) {
  const args = parseArgs();
  console.log(`Machine: ${describeMachine(machineInfo())}`);
  const result = await runIngestBench({
    sizes: args.sizes ?? undefined,
    quick: args.quick,
    backends: selectBackends(args),
    vectorise: args.flags.has('no-vectorise') ? 'none' : args.flags.has('vectorise-all') ? 'all' : 'default',
    stages: args.flags.has('stages'),
    stageWorkers: Number(args.values.get('workers') ?? 0),
  });
  printIngest(result);
}
