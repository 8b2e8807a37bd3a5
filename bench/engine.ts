// Engine benchmark: forest training speed (bench/train-speed.ts, when present), end-to-end
// model training on a 20,000-account generated universe through the training job, universe scoring
// throughput (100,000 accounts; 1,000,000 on request), and ranking quality against the generator's
// hidden true ICP next to a random and a centroid-similarity ranking.
//
//   npx tsx bench/engine.ts                 everything but the 1M scoring run
//   npx tsx bench/engine.ts --quick         one quality seed, one 100k scoring run, no train-speed
//   npx tsx bench/engine.ts --scoring-1m    also score a 1,000,000-account universe (PGlite: ≈15 min more)
//   flags: --no-train-speed, --seeds 1,2,3, --scoring-size 100k, --no-postgres / --no-pglite
//
// Definitions (quality):
//   - An account is an ICP account when trueIcpScore(account) >= 0.5 (the generator's hidden fit).
//   - The ranked population is the untouched universe: accounts with no CRM outcome at all.
//   - precision@100: share of ICP accounts among the 100 best-ranked untouched accounts; lift@100 =
//     precision@100 / base rate (the ICP share among all untouched accounts).
//   - Random ranking: its expected precision@k is the base rate exactly (hypergeometric mean), lift 1.
//   - Centroid ranking: cosine similarity of each account's stored similarity vector (TF-IDF sparsevec)
//     to the centroid of the won accounts' vectors (seedCentroid: the normalised mean, as lookalikes use).
import { existsSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { trueIcpScore } from '../src/demo/universe.ts';
import { refreshVectors } from '../src/features/service.ts';
import { parseSparsevec, sparseDot, type SparseVector } from '../src/features/spec.ts';
import { requestTraining } from '../src/model/training.ts';
import { seedCentroid } from '../src/prospects/lookalikes.ts';
import { createScoreRun } from '../src/prospects/repository.ts';
import { finishScoreRun, scoreAccountRange } from '../src/prospects/score-runs.ts';
import {
  backends as selectBackends,
  describeMachine,
  fmt,
  isMain,
  loadUniverseStreaming,
  log,
  machineInfo,
  median,
  openBenchDatabase,
  parseArgs,
  parseSize,
  printTargets,
  ROOT,
  round,
  SHARED_MACHINE_NOTE,
  target,
  timed,
  today,
  waitForJob,
  type Backend,
  type BenchDatabase,
  type TargetCheck,
} from './lib.ts';

export const QUALITY_ACCOUNTS = 20_000;
export const ICP_THRESHOLD = 0.5;
const TOP_K = 100;

export interface EngineOptions {
  quick?: boolean;
  backends?: Backend[];
  trainSpeed?: boolean;
  seeds?: number[];
  scoringSizes?: number[];
  scoringRuns?: number;
}

export interface QualityRun {
  seed: number;
  accounts: number;
  won: number;
  untouched: number;
  icpUntouched: number;
  baseRate: number;
  vectoriseSeconds: number;
  /** The model.train job, started → finished (vectors already up to date). */
  trainJobSeconds: number;
  /** The scores.refresh job the training job scheduled. */
  scoreJobSeconds: number | null;
  cvAuc: number | null;
  model: { precisionAt100: number; liftAt100: number; precisionAt1000: number };
  centroid: { precisionAt100: number; liftAt100: number; precisionAt1000: number };
  random: { precisionAt100: number; liftAt100: number };
}

export interface ScoringRun {
  backend: Backend;
  accounts: number;
  load: { seconds: number; accountsPerSecond: number; outcomes: number; signals: number };
  vectoriseSeconds: number;
  trainJobSeconds: number;
  /** Each full scoring of the universe (the first through the scores.refresh job, the rest with scoreAccountRange + finishScoreRun). */
  scoreSeconds: number[];
  medianScoreSeconds: number;
  accountsPerSecond: number;
}

export interface EngineResult {
  bench: 'engine';
  note: string;
  definitions: string[];
  trainSpeed: unknown;
  quality: { backend: Backend; runs: QualityRun[]; median: Record<string, number> } | null;
  scoring: ScoringRun[];
  scoringNotes: string[];
  targets: TargetCheck[];
}

// ---------------------------------------------------------------------------------------------
// (a) forest training speed, from bench/train-speed.ts

async function trainSpeed(quick: boolean): Promise<unknown> {
  const file = path.join(ROOT, 'bench', 'train-speed.ts');
  if (!existsSync(file)) {
    log('bench/train-speed.ts is not there: forest training speed skipped');
    return { skipped: 'bench/train-speed.ts is absent' };
  }
  const mod = (await import('./train-speed.ts')) as {
    runTrainSpeedBench?: (o?: { patchedRuns?: number; originalRuns?: number }) => unknown;
  };
  if (typeof mod.runTrainSpeedBench !== 'function') return { skipped: 'bench/train-speed.ts does not export runTrainSpeedBench' };
  log('forest training speed (bench/train-speed.ts: patched vs original ml-random-forest)…');
  const { seconds, result } = await timed(async () => mod.runTrainSpeedBench!(quick ? { patchedRuns: 3, originalRuns: 1 } : undefined));
  log(`  done in ${fmt(seconds, 0)} s`);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Ranking quality helpers

function precisionAt(ranked: { icp: boolean }[], k: number): number {
  const top = ranked.slice(0, k);
  return top.length === 0 ? 0 : top.filter((r) => r.icp).length / top.length;
}

/** Stored similarity vectors of a workspace by account id (sparsevec, read as text). */
async function storedVectors(pool: pg.Pool, workspaceId: string): Promise<Map<string, SparseVector>> {
  const { rows } = await pool.query<{ account_id: string; embedding: string }>(
    'SELECT account_id, embedding::text AS embedding FROM account_vectors WHERE workspace_id = $1',
    [workspaceId],
  );
  return new Map(rows.map((r) => [r.account_id, parseSparsevec(r.embedding)]));
}

async function qualityRun(backend: Backend, seed: number, accounts: number): Promise<QualityRun> {
  const bench = await openBenchDatabase(backend, `quality-${seed}`);
  try {
    const pool = bench.db.pool;
    const ws = await bench.newWorkspace(`Quality ${seed}`);
    // Hidden label of every account, and which ones the CRM has touched.
    const label = new Map<string, { icp: boolean; untouched: boolean }>();
    log(`quality seed ${seed}: loading a ${fmt(accounts)}-account universe…`);
    const loaded = await loadUniverseStreaming(pool, ws, { seed, count: accounts, now: today() }, (account, crm) =>
      label.set(account.domain, { icp: trueIcpScore(account) >= ICP_THRESHOLD, untouched: crm.outcome === null }),
    );
    log(`  loaded in ${fmt(loaded.seconds, 1)} s (${loaded.won} won, ${loaded.outcomes} outcomes, ${loaded.signals} signals)`);

    const vectorise = await timed(() => refreshVectors(pool, ws));
    log(`  vectorised in ${fmt(vectorise.seconds, 1)} s; training through the job…`);
    const { modelId, job } = await requestTraining(pool, bench.jobs.enqueue, ws, {});
    const trained = await waitForJob(pool, job.id);
    if (trained.status !== 'completed') throw new Error(`training failed: ${trained.error}`);
    await bench.jobs.idle(); // the scoring job the training job scheduled
    const scoreJob = (
      await pool.query<{ seconds: number }>(
        "SELECT extract(epoch FROM finished_at - started_at)::float8 AS seconds FROM jobs WHERE workspace_id = $1 AND type = 'scores.refresh' AND status = 'completed' ORDER BY created_at DESC LIMIT 1",
        [ws],
      )
    ).rows[0];
    const model = (await pool.query<{ metrics: { auc: number } | null }>('SELECT metrics FROM models WHERE id = $1', [modelId])).rows[0];
    log(
      `  training job ${fmt(trained.seconds ?? NaN, 1)} s, scoring job ${fmt(scoreJob?.seconds ?? NaN, 1)} s, CV AUC ${model.metrics?.auc?.toFixed(3)}`,
    );

    // The model's ranking of the untouched universe, as the prospect list orders it.
    const { rows: scored } = await pool.query<{ id: string; domain: string; score: number }>(
      `SELECT a.id, a.domain, s.score FROM account_scores s JOIN score_runs r ON r.id = s.run_id JOIN accounts a ON a.id = s.account_id
       WHERE r.model_id = $1 ORDER BY s.score DESC, s.account_id DESC`,
      [modelId],
    );
    const untouched = scored.filter((r) => label.get(r.domain)!.untouched).map((r) => ({ ...r, icp: label.get(r.domain)!.icp }));
    const icpUntouched = untouched.filter((r) => r.icp).length;
    const baseRate = icpUntouched / untouched.length;

    // Centroid of the won accounts' stored vectors (unit length, as seedCentroid makes it); untouched
    // accounts ranked by cosine similarity to it (both unit length, so the dot product).
    const vectors = await storedVectors(pool, ws);
    const wonIds = (
      await pool.query<{ account_id: string }>("SELECT account_id FROM outcomes WHERE workspace_id = $1 AND status = 'won'", [ws])
    ).rows.map((r) => r.account_id);
    const centroid = seedCentroid(wonIds.map((id) => vectors.get(id)!));
    const byCentroid = untouched
      .map((r) => ({ icp: r.icp, id: Number(r.id), similarity: sparseDot(vectors.get(r.id)!, centroid) }))
      .sort((a, b) => b.similarity - a.similarity || b.id - a.id);

    const lift = (p: number) => (baseRate > 0 ? p / baseRate : NaN);
    const modelP = precisionAt(untouched, TOP_K);
    const centroidP = precisionAt(byCentroid, TOP_K);
    const run: QualityRun = {
      seed,
      accounts,
      won: loaded.won,
      untouched: untouched.length,
      icpUntouched,
      baseRate: round(baseRate, 4),
      vectoriseSeconds: round(vectorise.seconds, 2),
      trainJobSeconds: round(trained.seconds ?? NaN, 2),
      scoreJobSeconds: scoreJob ? round(scoreJob.seconds, 2) : null,
      cvAuc: model.metrics?.auc ?? null,
      model: { precisionAt100: modelP, liftAt100: round(lift(modelP), 2), precisionAt1000: precisionAt(untouched, 1000) },
      centroid: { precisionAt100: centroidP, liftAt100: round(lift(centroidP), 2), precisionAt1000: precisionAt(byCentroid, 1000) },
      random: { precisionAt100: round(baseRate, 4), liftAt100: 1 },
    };
    log(
      `  precision@100: model ${run.model.precisionAt100.toFixed(2)} (lift ${run.model.liftAt100}), centroid ${run.centroid.precisionAt100.toFixed(2)} ` +
        `(lift ${run.centroid.liftAt100}), random ${run.random.precisionAt100.toFixed(3)} (base rate, lift 1)`,
    );
    return run;
  } finally {
    await bench.close();
  }
}

// ---------------------------------------------------------------------------------------------
// (c) universe scoring throughput

async function scoringRun(bench: BenchDatabase, backend: Backend, accounts: number, runs: number): Promise<ScoringRun> {
  const pool = bench.db.pool;
  const ws = await bench.newWorkspace(`Scoring ${accounts}`);
  log(`scoring ${backend} ${fmt(accounts)}: loading the universe…`);
  const loaded = await loadUniverseStreaming(pool, ws, { seed: 11, count: accounts, now: today() }, undefined, (done) => {
    if (done % 200_000 === 0) log(`  ${fmt(done)} accounts loaded`);
  });
  log(
    `  loaded in ${fmt(loaded.seconds, 0)} s (${fmt(loaded.accounts / loaded.seconds)} accounts/s with outcomes and signals); vectorising…`,
  );
  const vectorise = await timed(() => refreshVectors(pool, ws));
  log(`  vectorised in ${fmt(vectorise.seconds, 0)} s; training through the job (it schedules the scoring job)…`);
  const { modelId, job } = await requestTraining(pool, bench.jobs.enqueue, ws, {});
  const trained = await waitForJob(pool, job.id);
  if (trained.status !== 'completed') throw new Error(`training failed: ${trained.error}`);
  await bench.jobs.idle();
  const scoreJob = (
    await pool.query<{ seconds: number; status: string }>(
      "SELECT status, extract(epoch FROM finished_at - started_at)::float8 AS seconds FROM jobs WHERE workspace_id = $1 AND type = 'scores.refresh' ORDER BY created_at DESC LIMIT 1",
      [ws],
    )
  ).rows[0];
  if (scoreJob?.status !== 'completed') throw new Error('the scoring job did not complete');
  const scoreSeconds = [scoreJob.seconds];
  log(
    `  training job ${fmt(trained.seconds ?? NaN, 1)} s; scoring job ${fmt(scoreJob.seconds, 1)} s (${fmt(accounts / scoreJob.seconds)} accounts/s)`,
  );
  for (let i = 1; i < runs; i++) {
    const runId = await createScoreRun(pool, ws, modelId);
    // What the in-process scoring job does: every account, then the run's cut-offs.
    const { seconds } = await timed(async () => {
      await scoreAccountRange(pool, runId);
      await finishScoreRun(pool, runId);
    });
    scoreSeconds.push(seconds);
    log(`  scored again (scoreAccountRange + finishScoreRun): ${fmt(seconds, 1)} s (${fmt(accounts / seconds)} accounts/s)`);
  }
  const medianScoreSeconds = median(scoreSeconds);
  return {
    backend,
    accounts,
    load: {
      seconds: round(loaded.seconds, 1),
      accountsPerSecond: Math.round(loaded.accounts / loaded.seconds),
      outcomes: loaded.outcomes,
      signals: loaded.signals,
    },
    vectoriseSeconds: round(vectorise.seconds, 1),
    trainJobSeconds: round(trained.seconds ?? NaN, 1),
    scoreSeconds: scoreSeconds.map((s) => round(s, 2)),
    medianScoreSeconds: round(medianScoreSeconds, 2),
    accountsPerSecond: Math.round(accounts / medianScoreSeconds),
  };
}

export async function runEngineBench(options: EngineOptions = {}): Promise<EngineResult> {
  const quick = options.quick ?? false;
  const backendList = options.backends ?? selectBackends(parseArgs([]));
  const seeds = options.seeds ?? (quick ? [1] : [1, 2, 3]);
  const scoringSizes = options.scoringSizes ?? [100_000];
  const scoringRuns = options.scoringRuns ?? (quick ? 1 : 3);

  const trainSpeedResult =
    options.trainSpeed === false || quick ? { skipped: quick ? '--quick' : '--no-train-speed' } : await trainSpeed(quick);

  // (b) + (d): one fresh universe per seed, on the first backend (PGlite by default).
  const qualityBackend = backendList[0];
  const runs: QualityRun[] = [];
  for (const seed of seeds) runs.push(await qualityRun(qualityBackend, seed, QUALITY_ACCOUNTS));
  const med = (pick: (r: QualityRun) => number) => round(median(runs.map(pick)), 4);
  const quality = runs.length
    ? {
        backend: qualityBackend,
        runs,
        median: {
          trainJobSeconds: med((r) => r.trainJobSeconds),
          vectoriseSeconds: med((r) => r.vectoriseSeconds),
          endToEndTrainingSeconds: med((r) => r.trainJobSeconds + r.vectoriseSeconds),
          cvAuc: med((r) => r.cvAuc ?? NaN),
          baseRate: med((r) => r.baseRate),
          modelPrecisionAt100: med((r) => r.model.precisionAt100),
          modelLiftAt100: med((r) => r.model.liftAt100),
          centroidPrecisionAt100: med((r) => r.centroid.precisionAt100),
          centroidLiftAt100: med((r) => r.centroid.liftAt100),
          modelPrecisionAt1000: med((r) => r.model.precisionAt1000),
          centroidPrecisionAt1000: med((r) => r.centroid.precisionAt1000),
        },
      }
    : null;

  // (c): one database per backend; each size in its own workspace.
  const scoring: ScoringRun[] = [];
  const scoringNotes: string[] = [];
  for (const backend of backendList) {
    const bench = await openBenchDatabase(backend, 'scoring');
    try {
      for (const size of scoringSizes) scoring.push(await scoringRun(bench, backend, size, size > 100_000 ? 1 : scoringRuns));
    } finally {
      await bench.close();
    }
  }
  for (const backend of backendList) {
    if (!scoringSizes.some((s) => s >= 1_000_000)) {
      const r = scoring.find((s) => s.backend === backend && s.accounts === 100_000);
      scoringNotes.push(
        `1,000,000 accounts on ${backend} not run by default (loading, vectorising and training a 1M universe on PGlite takes longer than the ~10 minutes allowed; ` +
          `run with --scoring-1m)${r ? `; at the measured 100k rate it would take ≈ ${fmt(1_000_000 / r.accountsPerSecond / 60, 1)} min` : ''}.`,
      );
    }
  }

  const targets: TargetCheck[] = [];
  for (const s of scoring) {
    if (s.accounts === 100_000)
      targets.push(target(`score 100,000 accounts on ${s.backend}, one worker (s)`, s.medianScoreSeconds, 30, 'lower'));
    if (s.accounts === 1_000_000)
      targets.push(target(`score 1,000,000 accounts on ${s.backend}, one worker (s)`, s.medianScoreSeconds, 300, 'lower'));
  }
  return {
    bench: 'engine',
    note: SHARED_MACHINE_NOTE,
    definitions: [
      `ICP account: trueIcpScore(account) >= ${ICP_THRESHOLD} (the generator's hidden fit)`,
      'ranked population: untouched accounts (no CRM outcome at all)',
      'random ranking: expected precision@k = base rate (exact), lift 1',
      "centroid ranking: cosine similarity of the stored TF-IDF similarity vector to the normalised centroid of the won accounts' vectors (seedCentroid)",
      `training: ${fmt(QUALITY_ACCOUNTS)}-account universe per seed; vectorising timed before the model.train job, so the job time is the model itself`,
    ],
    trainSpeed: trainSpeedResult,
    quality,
    scoring,
    scoringNotes,
    targets,
  };
}

export function printEngine(result: EngineResult) {
  console.log('\nEngine');
  type Shape = {
    rows: number;
    columns: number;
    trees: number;
    patchedMedianSeconds: number;
    originalMedianSeconds?: number;
    originalEstimatedSeconds?: number;
    originalTrees?: number;
    speedup: number;
    identicalPredictions?: boolean;
    identicalTrees?: boolean;
  };
  const ts = result.trainSpeed as { skipped?: string; shapes?: Shape[] };
  if (ts?.skipped) console.log(`  (a) forest training speed: skipped (${ts.skipped})`);
  else
    for (const s of ts?.shapes ?? []) {
      const original = s.originalMedianSeconds ?? s.originalEstimatedSeconds ?? NaN;
      const how =
        s.originalEstimatedSeconds !== undefined && s.originalTrees !== undefined ? ` (estimated from ${s.originalTrees} trees)` : '';
      const same = s.identicalPredictions ?? s.identicalTrees;
      console.log(
        `  (a) ml-random-forest ${s.rows} × ${s.columns}, ${s.trees} trees: patched ${fmt(s.patchedMedianSeconds, 2)} s, original ${fmt(original, 1)} s${how} — ` +
          `${fmt(s.speedup, 0)}× faster${same === undefined ? '' : ` (identical ${s.identicalTrees !== undefined ? 'trees' : 'predictions'}: ${same})`}`,
      );
    }
  const q = result.quality;
  if (q) {
    const m = q.median;
    console.log(
      `  (b) training on a ${fmt(QUALITY_ACCOUNTS)}-account universe (${q.backend}), median of ${q.runs.length} seeds: model.train job ${fmt(m.trainJobSeconds, 1)} s ` +
        `+ vectorising ${fmt(m.vectoriseSeconds, 1)} s = ${fmt(m.endToEndTrainingSeconds, 1)} s end to end (per seed: ${q.runs.map((r) => `${fmt(r.trainJobSeconds + r.vectoriseSeconds, 1)} s`).join(', ')})`,
    );
    console.log(
      `  (d) quality, median of seeds ${q.runs.map((r) => r.seed).join(', ')} (untouched accounts; ICP = trueIcpScore >= ${ICP_THRESHOLD}; base rate ${fmt(m.baseRate * 100, 1)} %):`,
    );
    console.log(
      `      model     precision@100 ${fmt(m.modelPrecisionAt100, 2)}, lift ${fmt(m.modelLiftAt100, 1)}; precision@1000 ${fmt(m.modelPrecisionAt1000, 3)}; CV AUC ${fmt(m.cvAuc, 3)}`,
    );
    console.log(
      `      centroid  precision@100 ${fmt(m.centroidPrecisionAt100, 2)}, lift ${fmt(m.centroidLiftAt100, 1)}; precision@1000 ${fmt(m.centroidPrecisionAt1000, 3)}`,
    );
    console.log(`      random    precision@100 ${fmt(m.baseRate, 3)} (expected value = base rate), lift 1.0`);
    for (const r of q.runs)
      console.log(
        `      seed ${r.seed}: base rate ${fmt(r.baseRate * 100, 1)} % of ${fmt(r.untouched)}; model ${r.model.precisionAt100.toFixed(2)} / centroid ${r.centroid.precisionAt100.toFixed(2)}; won ${r.won}`,
      );
  }
  for (const s of result.scoring)
    console.log(
      `  (c) scoring ${fmt(s.accounts)} accounts on ${s.backend}, one worker: median ${fmt(s.medianScoreSeconds, 1)} s = ${fmt(s.accountsPerSecond)} accounts/s ` +
        `(runs ${s.scoreSeconds.map((x) => fmt(x, 1)).join(', ')} s; setup: load ${fmt(s.load.seconds, 0)} s, vectorise ${fmt(s.vectoriseSeconds, 0)} s, training job ${fmt(s.trainJobSeconds, 0)} s)`,
    );
  for (const n of result.scoringNotes) console.log(`  (c) ${n}`);
  printTargets(result.targets);
  console.log(`  ${result.note}`);
}

if (isMain(import.meta.url)) {
  const args = parseArgs();
  console.log(`Machine: ${describeMachine(machineInfo())}`);
  const scoringSizes = args.values.has('scoring-size')
    ? args.values.get('scoring-size')!.split(',').map(parseSize)
    : args.flags.has('scoring-1m')
      ? [100_000, 1_000_000]
      : undefined;
  const result = await runEngineBench({
    quick: args.quick,
    backends: selectBackends(args),
    trainSpeed: !args.flags.has('no-train-speed'),
    seeds: args.values.get('seeds')?.split(',').map(Number),
    scoringSizes,
  });
  printEngine(result);
}
