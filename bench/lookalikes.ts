// Lookalike benchmark: latency of POST /v1/lookalikes (10 and 100 seeds, limit 100, one
// connection) and recall@100 of the served search against exact search, on a generated universe on
// PostgreSQL with its HNSW index. Lookalikes need no model, so nothing is trained: bench/query.ts
// measures lookalikes too, but trains and scores its universe first, which at 1M takes hours here.
//
//   DATABASE_URL=... npx tsx bench/lookalikes.ts                 1,000,000 accounts
//   flags: --size N (default 1M), --runs N (load runs per seed count, default 3), --duration S (default 10),
//          --keep (leave the schema and print its name), --schema NAME (measure on a schema a --keep run
//          left: no loading, vectorising or index build)
//
// How: the real service (startService) on a private schema; the universe (accounts and CRM outcomes, no
// signals: lookalikes do not read them) is loaded through the service layer, vectorised (refreshVectors)
// and indexed (ensureVectorIndex), each timed. Requests rotate over 20 seed sets drawn from the won
// accounts; autocannon sends them from a second process. Recall@100 is measured as in bench/query.ts.
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { withConnectionOptions } from '../src/db/private-schema.ts';
import { refreshVectors } from '../src/features/service.ts';
import { ensureVectorIndex } from '../src/features/vector-index.ts';
import { findLookalikes } from '../src/prospects/lookalikes.ts';
import { createApiKey } from '../src/workspaces/service.ts';
import {
  benchPlace,
  describeMachine,
  fmt,
  isMain,
  loadUniverseStreaming,
  log,
  machineInfo,
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
  type BenchPlace,
  type TargetCheck,
} from './lib.ts';
import { exactDatabase } from './query.ts';

const SEED_SETS = 20;

export interface LookalikeOptions {
  size?: number;
  runs?: number;
  durationSeconds?: number;
  keep?: boolean;
  schema?: string;
}

interface SeedRun {
  seeds: number;
  p50: number[];
  p99: number[];
  requestsPerSecond: number[];
  loadAverage: number[];
}

export interface LookalikeResult {
  bench: 'lookalikes';
  note: string;
  accounts: number;
  setup: { loadSeconds: number | null; vectoriseSeconds: number | null; indexSeconds: number | null; search: string };
  runs: SeedRun[];
  recall: { seeds: number; recallAt100: number[]; medianRecall: number; apiMs: number; exactMs: number }[];
  targets: TargetCheck[];
}

/** A schema a `--keep` run left, reused as it is. */
async function existingPlace(schema: string): Promise<BenchPlace> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('the lookalike bench runs on PostgreSQL: set DATABASE_URL');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'lookalike-bench-lookalikes-'));
  return {
    backend: 'postgres',
    dataDir,
    schema,
    databaseUrl: withConnectionOptions(url, `-c search_path=${schema},public`),
    cleanup: () => rm(dataDir, { recursive: true, force: true }),
  };
}

export async function runLookalikeBench(options: LookalikeOptions = {}): Promise<LookalikeResult> {
  const size = options.size ?? 1_000_000;
  const runs = options.runs ?? 3;
  const durationSeconds = options.durationSeconds ?? 10;
  const place = options.schema ? await existingPlace(options.schema) : await benchPlace('postgres', `lookalikes_${size}`);
  const kept = options.keep || options.schema !== undefined;
  const bench = await startBenchService(
    'postgres',
    'lookalikes',
    kept ? { ...place, cleanup: () => rm(place.dataDir, { recursive: true, force: true }) } : place,
  );
  try {
    const pool = bench.service.db.pool;
    const setup: LookalikeResult['setup'] = { loadSeconds: null, vectoriseSeconds: null, indexSeconds: null, search: '' };
    let workspaceId: string;
    let accounts = size;
    if (options.schema) {
      workspaceId = (await pool.query<{ id: string }>('SELECT id FROM workspaces ORDER BY created_at LIMIT 1')).rows[0].id;
      accounts = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts WHERE workspace_id = $1', [workspaceId])).rows[0]
        .n;
    } else {
      workspaceId = (await bench.newWorkspace('Lookalike bench')).id;
      log(`postgres ${fmt(size)}: loading accounts and outcomes…`);
      const loaded = await loadUniverseStreaming(
        pool,
        workspaceId,
        { seed: 13, count: size, now: today(), signals: false },
        undefined,
        (done) => (done % 200_000 === 0 ? log(`  ${fmt(done)} accounts`) : undefined),
      );
      setup.loadSeconds = round(loaded.seconds, 1);
      log(`  loaded in ${fmt(loaded.seconds, 0)} s; vectorising…`);
      setup.vectoriseSeconds = round((await timed(() => refreshVectors(pool, workspaceId))).seconds, 1);
      log(`  vectorised in ${fmt(setup.vectoriseSeconds, 0)} s; building the HNSW index…`);
    }
    const index = await timed(() => ensureVectorIndex(bench.service.db));
    setup.search = index.result;
    if (!options.schema) setup.indexSeconds = round(index.seconds, 1);
    await pool.query('ANALYZE');
    if (kept) log(`  schema ${place.schema} is kept: measure again with --schema ${place.schema}`);

    const auth = { authorization: `Bearer ${(await createApiKey(pool, workspaceId, 'lookalike bench')).apiKey}` };
    const { rows: wonRows } = await pool.query<{ domain: string }>(
      `SELECT a.domain FROM accounts a JOIN outcomes o ON o.account_id = a.id WHERE a.workspace_id = $1 AND o.status = 'won' ORDER BY a.domain`,
      [workspaceId],
    );
    const won = wonRows.map((r) => r.domain);
    const seedSets = (seeds: number, count: number, offset: number) =>
      Array.from({ length: count }, (_, i) => Array.from({ length: seeds }, (_, j) => won[(offset + i * seeds + j) % won.length]));

    const seedRuns: SeedRun[] = [];
    for (const seeds of [10, 100]) {
      const bodies = seedSets(seeds, SEED_SETS, seeds).map((seedDomains) => JSON.stringify({ seedDomains, limit: 100 }));
      for (const body of bodies.slice(0, 3)) {
        const res = await fetch(`${bench.url}/v1/lookalikes`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body,
        });
        if (res.status !== 200) throw new Error(`lookalikes answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
        await res.arrayBuffer();
      }
      const run: SeedRun = { seeds, p50: [], p99: [], requestsPerSecond: [], loadAverage: [] };
      for (let i = 0; i < runs; i++) {
        run.loadAverage.push(round(os.loadavg()[0], 2));
        const r = await runLoad(
          bench.url,
          { method: 'POST', paths: ['/v1/lookalikes'], bodies, headers: auth },
          { connections: 1, durationSeconds },
        );
        if (r.non2xx || r.errors || r.timeouts)
          throw new Error(`lookalikes: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
        run.p50.push(r.latencyMs.p50);
        run.p99.push(r.latencyMs.p99);
        run.requestsPerSecond.push(r.requestsPerSecond);
        log(
          `  ${seeds} seeds, run ${i + 1}: p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, ${fmt(r.requestsPerSecond, 1)} req/s (load ${run.loadAverage[i]})`,
        );
      }
      seedRuns.push(run);
    }

    log('  recall@100 against exact search…');
    const exact = exactDatabase(bench.service.db);
    const recall: LookalikeResult['recall'] = [];
    for (const seeds of [10, 100]) {
      const values: number[] = [];
      const apiMs: number[] = [];
      const exactMs: number[] = [];
      for (const seedDomains of seedSets(seeds, 5, 7 * seeds)) {
        const request = { seedDomains, limit: 100, filters: {}, includeCustomers: false };
        const served = await timed(() => findLookalikes(bench.service.db, workspaceId, request));
        const truth = await timed(() => findLookalikes(exact, workspaceId, request));
        const expected = new Set(truth.result.data.map((d) => d.domain));
        values.push(served.result.data.filter((d) => expected.has(d.domain)).length / Math.max(1, expected.size));
        apiMs.push(served.seconds * 1000);
        exactMs.push(truth.seconds * 1000);
      }
      recall.push({
        seeds,
        recallAt100: values.map((v) => round(v, 3)),
        medianRecall: round(median(values), 3),
        apiMs: round(median(apiMs), 1),
        exactMs: round(median(exactMs), 1),
      });
      log(
        `    ${seeds} seeds: recall@100 median ${median(values).toFixed(3)}; in-process ${fmt(median(apiMs), 0)} ms served, ${fmt(median(exactMs), 0)} ms exact`,
      );
    }

    const targets: TargetCheck[] = [];
    for (const r of seedRuns)
      targets.push(
        target(
          `lookalikes, ${r.seeds} seeds, p99, 1 connection, ${fmt(accounts)} accounts (ms, median of ${r.p99.length} runs)`,
          median(r.p99),
          100,
          'lower',
        ),
      );
    for (const r of recall)
      targets.push(
        target(`lookalike recall@100, ${r.seeds} seeds (median of ${r.recallAt100.length} seed sets)`, r.medianRecall, 0.95, 'higher'),
      );
    return { bench: 'lookalikes', note: SHARED_MACHINE_NOTE, accounts, setup, runs: seedRuns, recall, targets };
  } finally {
    await bench.close();
  }
}

export function printLookalikes(result: LookalikeResult) {
  const s = result.setup;
  console.log(
    `\nLookalikes, PostgreSQL, ${fmt(result.accounts)} accounts (load ${s.loadSeconds ?? '—'} s, vectorise ${s.vectoriseSeconds ?? '—'} s, ` +
      `index ${s.search} ${s.indexSeconds ?? '(existing)'} s), 1 connection`,
  );
  for (const r of result.runs)
    console.log(
      `  ${String(r.seeds).padStart(3)} seeds: p50 ${fmt(median(r.p50), 0)} ms, p99 ${fmt(median(r.p99), 0)} ms (medians of ${r.p99.length} runs: p99 ${r.p99.join(', ')}; ` +
        `load average ${r.loadAverage.join(', ')})`,
    );
  for (const r of result.recall)
    console.log(
      `  recall@100, ${r.seeds} seeds: median ${r.medianRecall.toFixed(3)} (${r.recallAt100.join(', ')}); in-process ${r.apiMs} ms served, ${r.exactMs} ms exact`,
    );
  printTargets(result.targets);
  console.log(`  ${result.note}`);
}

if (isMain(import.meta.url)) {
  const args = parseArgs();
  console.log(`Machine: ${describeMachine(machineInfo())}`);
  const result = await runLookalikeBench({
    size: args.sizes?.[0],
    runs: args.values.has('runs') ? Number(args.values.get('runs')) : undefined,
    durationSeconds: args.values.has('duration') ? Number(args.values.get('duration')) : undefined,
    keep: args.flags.has('keep'),
    schema: args.values.get('schema'),
  });
  printLookalikes(result);
}
