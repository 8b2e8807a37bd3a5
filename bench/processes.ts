// API processes benchmark: prospect pages per second with 1 and with 2 API
// processes (`WEB_CONCURRENCY`, node:cluster, src/main.ts) in production mode, PostgreSQL only.
//
//   DATABASE_URL=… npx tsx bench/processes.ts              100k accounts, 1 then 2 processes
//   flags: --size 20k, --processes 1,2, --duration S (default 10), --connections N (default 10)
//
// How: a universe is loaded, trained and scored in a private schema on DATABASE_URL through the bench
// service (as bench/query.ts does); that service is then stopped and `src/main.ts` is started as a
// child process with WEB_CONCURRENCY=n on the same schema (REDIS_URL, default redis://127.0.0.1:6379,
// as production mode requires for n > 1). Load comes from autocannon in another process: first pages
// (limit 100), unfiltered and filtered, with 1 connection and with N. Every process shares the same 2
// cores with PostgreSQL and the load generator, so the ratio, not the absolute rate, is the finding.
import { freePort } from '../test/support/ports.ts';
import {
  describeMachine,
  fmt,
  isMain,
  loadUniverseStreaming,
  log,
  machineInfo,
  parseArgs,
  round,
  runLoad,
  SHARED_MACHINE_NOTE,
  startApiProcess,
  startBenchService,
  today,
  waitForJob,
  type LoadResult,
} from './lib.ts';

export interface ProcessesOptions {
  size?: number;
  processes?: number[];
  durationSeconds?: number;
  connections?: number;
  redisUrl?: string;
}

export interface ProcessesRun {
  processes: number;
  scenarios: { name: string; lone: LoadResult; loaded: LoadResult }[];
}

export interface ProcessesResult {
  bench: 'processes';
  note: string;
  conditions: string;
  accounts: number;
  runs: ProcessesRun[];
  /** Pages per second under load, most processes / 1 process, per scenario. */
  speedup: Record<string, number>;
}

const SCENARIOS: [string, string][] = [
  ['prospects limit=100', '/v1/prospects?limit=100'],
  ['prospects limit=100&country=US&technology=slack', '/v1/prospects?limit=100&country=US&technology=slack'],
];

export async function runProcessesBench(options: ProcessesOptions = {}): Promise<ProcessesResult> {
  const size = options.size ?? 100_000;
  const counts = options.processes ?? [1, 2];
  const durationSeconds = options.durationSeconds ?? 10;
  const connections = options.connections ?? 10;
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const bench = await startBenchService('postgres', `processes_${size}`);
  let stopped = false;
  try {
    const pool = bench.service.db.pool;
    const ws = await bench.newWorkspace('Processes bench');
    log(`postgres ${fmt(size)}: loading, training and scoring…`);
    await loadUniverseStreaming(pool, ws.id, { seed: 13, count: size, now: today() });
    const train = await fetch(`${bench.url}/v1/models`, {
      method: 'POST',
      headers: { ...ws.auth, 'content-type': 'application/json' },
      body: '{}',
    });
    if (train.status !== 202) throw new Error(`POST /v1/models answered ${train.status}: ${await train.text()}`);
    const trainJob = await waitForJob(pool, (await train.json()).job.id);
    const scoring = (trainJob.result as { scoringJob: { id: string } | null } | null)?.scoringJob;
    if (trainJob.status !== 'completed' || !scoring || (await waitForJob(pool, scoring.id)).status !== 'completed')
      throw new Error('training or scoring failed');
    await bench.service.stop();
    stopped = true;

    const runs: ProcessesRun[] = [];
    for (const n of counts) {
      const port = await freePort();
      const api = await startApiProcess(
        {
          HOST: '127.0.0.1',
          DATABASE_URL: bench.place.databaseUrl!,
          REDIS_URL: redisUrl,
          ADMIN_TOKEN: bench.adminToken,
          DATA_DIR: bench.place.dataDir,
          DEMO: 'false',
          LOG_LEVEL: 'warn',
          RATE_LIMIT_PER_MINUTE: '100000000',
          WEB_CONCURRENCY: String(n),
        },
        port,
      );
      try {
        const url = `http://127.0.0.1:${port}`;
        const scenarios: ProcessesRun['scenarios'] = [];
        for (const [name, path] of SCENARIOS) {
          // Warm-up: every process loads the model and plans the query once, not measured.
          await runLoad(url, { paths: [path], headers: ws.auth }, { connections: n * 2, durationSeconds: 2 });
          const lone = await runLoad(url, { paths: [path], headers: ws.auth }, { connections: 1, durationSeconds });
          const loaded = await runLoad(url, { paths: [path], headers: ws.auth }, { connections, durationSeconds });
          for (const r of [lone, loaded])
            if (r.non2xx || r.errors || r.timeouts)
              throw new Error(`${name}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
          log(
            `  ${n} process${n > 1 ? 'es' : ''}, ${name}: 1 conn p50 ${lone.latencyMs.p50} ms p99 ${lone.latencyMs.p99} ms ${fmt(lone.requestsPerSecond, 0)} pages/s; ` +
              `${connections} conn p50 ${loaded.latencyMs.p50} ms p99 ${loaded.latencyMs.p99} ms ${fmt(loaded.requestsPerSecond, 0)} pages/s`,
          );
          scenarios.push({ name, lone, loaded });
        }
        runs.push({ processes: n, scenarios });
      } finally {
        await api.stop();
      }
    }
    const one = runs.find((r) => r.processes === 1);
    const most = runs.reduce((a, b) => (b.processes > a.processes ? b : a));
    const speedup: Record<string, number> = {};
    if (one && most !== one)
      for (const s of most.scenarios)
        speedup[s.name] = round(s.loaded.requestsPerSecond / one.scenarios.find((x) => x.name === s.name)!.loaded.requestsPerSecond, 2);
    return {
      bench: 'processes',
      note: SHARED_MACHINE_NOTE,
      conditions: `${describeMachine(machineInfo())}; PostgreSQL (private schema), Redis ${redisUrl}; autocannon in a separate process, ${durationSeconds} s per run, 1 and ${connections} connections`,
      accounts: size,
      runs,
      speedup,
    };
  } finally {
    if (!stopped) await bench.service.stop().catch(() => {});
    await bench.place.cleanup();
  }
}

export function printProcesses(result: ProcessesResult) {
  console.log(`\nAPI processes (${result.conditions})`);
  console.log(`  ${fmt(result.accounts)} accounts`);
  for (const r of result.runs)
    for (const s of r.scenarios)
      console.log(
        `  ${r.processes} process${r.processes > 1 ? 'es' : ''}  ${s.name.padEnd(50)} 1 conn: p50 ${s.lone.latencyMs.p50} ms, p99 ${s.lone.latencyMs.p99} ms, ${fmt(s.lone.requestsPerSecond, 0)}/s | ` +
          `${s.loaded.connections} conn: p50 ${s.loaded.latencyMs.p50} ms, p99 ${s.loaded.latencyMs.p99} ms, ${fmt(s.loaded.requestsPerSecond, 0)} pages/s`,
      );
  for (const [name, x] of Object.entries(result.speedup)) console.log(`  speed-up, ${name}: ${fmt(x, 2)}×`);
  console.log(`  ${result.note}`);
}

if (isMain(import.meta.url)) {
  if (!process.env.DATABASE_URL)
    throw new Error('bench/processes.ts needs DATABASE_URL (several API processes are a production-mode setup)');
  const args = parseArgs();
  console.log(`Machine: ${describeMachine(machineInfo())}`);
  const result = await runProcessesBench({
    size: args.sizes?.[0],
    processes: args.values.get('processes')?.split(',').map(Number),
    durationSeconds: args.values.has('duration') ? Number(args.values.get('duration')) : undefined,
    connections: args.values.has('connections') ? Number(args.values.get('connections')) : undefined,
  });
  printProcesses(result);
}
