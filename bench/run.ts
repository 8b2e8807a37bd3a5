// Runs every benchmark one after the other (they share the machine's 2 cores, so never at once),
// prints a summary, and writes bench/results.json with the date and the machine.
//
//   npm run bench                       ingest, engine, query, then bench/workers.ts if present
//   npm run bench -- --quick            the quick variant of each (skips the 1M parts)
//   npm run bench -- --only ingest,query
//   npm run bench -- --only ingest --size 250k   (ingest sizes)
//
// bench/train-speed.ts runs inside the engine bench (its part (a)). bench/workers.ts, when present, is
// called through its exported run function if it has one (runWorkersBench or the only run*Bench
// export), else run as its own process with its output kept.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { printEngine, runEngineBench, type EngineResult } from './engine.ts';
import { printIngest, runIngestBench, type IngestResult } from './ingest.ts';
import { backends, describeMachine, fmt, isMain, log, machineInfo, parseArgs, ROOT, SHARED_MACHINE_NOTE, type TargetCheck } from './lib.ts';
import { printQuery, runQueryBench, type QueryResult } from './query.ts';

const BENCHES = ['ingest', 'engine', 'query', 'workers'] as const;
type BenchName = (typeof BENCHES)[number];

interface BenchOutcome {
  name: BenchName;
  seconds: number;
  result?: unknown;
  error?: string;
  skipped?: string;
}

async function runWorkers(quick: boolean): Promise<unknown> {
  const file = path.join(ROOT, 'bench', 'workers.ts');
  if (!existsSync(file)) return { skipped: 'bench/workers.ts is absent' };
  const mod = (await import(/* @vite-ignore */ path.join(ROOT, 'bench', 'workers.ts'))) as Record<string, unknown>;
  const runners = Object.entries(mod).filter(([name, value]) => typeof value === 'function' && /^run\w*Bench$/.test(name));
  const runner = (mod.runWorkersBench ?? (runners.length === 1 ? runners[0][1] : undefined)) as
    | ((o?: object) => Promise<unknown>)
    | undefined;
  if (runner) {
    // Its default is a 1M-account universe; --quick scores 100k.
    const result = await runner(quick ? { size: 100_000 } : undefined);
    (mod.printWorkers as ((r: unknown) => void) | undefined)?.(result);
    return result;
  }
  // No run function: its own process, output kept as text.
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', file, ...(quick ? ['--quick'] : [])];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve({ output: out }) : reject(new Error(`bench/workers.ts exited with ${code}`))));
  });
}

export async function runAll(options: { quick?: boolean; only?: BenchName[]; ingestSizes?: number[] } = {}) {
  const quick = options.quick ?? false;
  const only = new Set(options.only ?? BENCHES);
  const machine = machineInfo();
  const started = new Date();
  console.log(
    `Benchmarks${quick ? ' (quick)' : ''}, ${started.toISOString()}\nMachine: ${describeMachine(machine)}\n${SHARED_MACHINE_NOTE}\n`,
  );
  const dbBackends = backends(parseArgs());
  const outcomes: BenchOutcome[] = [];
  const run = async (name: BenchName, work: () => Promise<unknown>, print?: (r: never) => void) => {
    if (!only.has(name)) return;
    log(`=== ${name} ===`);
    const start = performance.now();
    try {
      const result = await work();
      outcomes.push({ name, seconds: Math.round((performance.now() - start) / 1000), result });
      print?.(result as never);
    } catch (err) {
      console.error(`${name} failed:`, err);
      outcomes.push({
        name,
        seconds: Math.round((performance.now() - start) / 1000),
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      });
    }
  };
  await run('ingest', () => runIngestBench({ quick, backends: dbBackends, sizes: options.ingestSizes }), printIngest);
  await run('engine', () => runEngineBench({ quick, backends: dbBackends }), printEngine);
  await run('query', () => runQueryBench({ quick, backends: dbBackends }), printQuery);
  await run('workers', () => runWorkers(quick));

  // With --only, the other benches' results already in bench/results.json are kept (each has its date).
  const file = path.join(ROOT, 'bench', 'results.json');
  const previous =
    options.only && existsSync(file)
      ? ((JSON.parse(await readFile(file, 'utf8')) as { benches?: Record<string, unknown> }).benches ?? {})
      : {};
  const benches: Record<string, unknown> = { ...previous };
  for (const o of outcomes) {
    benches[o.name] = o.error
      ? { date: started.toISOString(), error: o.error, seconds: o.seconds }
      : { date: started.toISOString(), seconds: o.seconds, ...(o.result as object) };
  }
  const targets: (TargetCheck & { bench: string })[] = Object.entries(benches).flatMap(([name, result]) =>
    ((result as { targets?: TargetCheck[] } | undefined)?.targets ?? []).map((t) => ({ bench: name, ...t })),
  );
  console.log('\n================ Summary ================');
  console.log(`${started.toISOString().slice(0, 10)}, ${describeMachine(machine)}`);
  for (const o of outcomes) console.log(`  ${o.name}: ${o.error ? `FAILED (${o.error.split('\n')[0]})` : `done in ${fmt(o.seconds)} s`}`);
  const met = targets.filter((t) => t.met).length;
  console.log(`  targets${options.only ? ' (with the results kept from earlier runs)' : ''}: ${met} of ${targets.length} met`);
  for (const t of targets)
    console.log(`    ${t.met ? 'met   ' : 'MISSED'} [${t.bench}] ${t.label}: ${t.value} (target ${t.target})${t.met ? '' : `, ${t.note}`}`);
  console.log(`  ${SHARED_MACHINE_NOTE}`);

  const results = {
    date: started.toISOString(),
    finished: new Date().toISOString(),
    quick,
    machine,
    note: SHARED_MACHINE_NOTE,
    backends: dbBackends,
    benches,
    targets,
  };
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nWrote ${path.relative(process.cwd(), file)}`);
  return results as { benches: Record<string, EngineResult | IngestResult | QueryResult | unknown> };
}

if (isMain(import.meta.url)) {
  const args = parseArgs();
  const only = args.values
    .get('only')
    ?.split(',')
    .map((s) => s.trim()) as BenchName[] | undefined;
  for (const name of only ?? []) if (!BENCHES.includes(name)) throw new Error(`unknown bench "${name}" (${BENCHES.join(', ')})`);
  await runAll({ quick: args.quick, only, ingestSizes: args.sizes ?? undefined });
}
