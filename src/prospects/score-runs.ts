/** A scoring run's pipeline: the universe read in batches, scored on the compute thread (./score-batch.ts), stored; then the run completed. */
import type pg from 'pg';
import { accountBatchTexts } from '../accounts/repository.ts';
import { runTask } from '../compute/thread.ts';
import type { Queryable } from '../db/pool.ts';
import { tierCutoffs, type TierCutoffs } from '../model/ranking.ts';
import { modelArtifact } from '../model/repository.ts';
import { recentSignalsText } from '../signals/repository.ts';
import { completeScoreRun, countScoredBatch, insertScoreRows, pruneScoreRuns, runScores, scoreRun, vacuumScores } from './repository.ts';
import { SCORE_BATCH_TASK, type ScoreBatchInput, type SkippedAccount } from './score-batch.ts';

/** Accounts scored and written per statement. */
const SCORE_BATCH = 2_000;

/** Scores a batch on the compute thread, sending the model along the first time the thread needs it. */
async function scoreOnComputeThread(db: Queryable, input: Omit<ScoreBatchInput, 'artifact'>) {
  const first = await runTask(SCORE_BATCH_TASK, input);
  if ('rows' in first) return first;
  const again = await runTask(SCORE_BATCH_TASK, {
    ...input,
    artifact: await modelArtifact(db, input.modelId),
  });
  if ('rows' in again) return again;
  throw new Error(`the compute thread could not load model ${input.modelId}`);
}

/** Scores the accounts of one id range (or all) into a run; safe to repeat (rows are upserted). */
export async function scoreAccountRange(
  pool: pg.Pool,
  runId: string,
  range: { fromId?: string; toId?: string } = {},
  /** Told of the accounts a batch left out (see scoreBatch). */
  onSkipped?: (skipped: SkippedAccount[]) => Promise<void>,
): Promise<number> {
  const run = await scoreRun(pool, runId);
  if (!run) throw new Error(`score run ${runId} does not exist`);
  const now = new Date();
  // A two-stage pipeline: the compute thread scores batch n + 1 while this thread stores batch n and
  // reads batch n + 2, so the database and the scoring use both cores instead of taking turns. Batches
  // travel as JSON text both ways (read, scored, stored), which keeps this thread's share small.
  const batches = accountBatchTexts(pool, run.workspace_id, SCORE_BATCH, range);
  const read = async () => {
    const next = await batches.next();
    if (next.done) return null;
    const { afterId, lastId, text } = next.value;
    return { accounts: text, signals: await recentSignalsText(pool, { workspaceId: run.workspace_id, afterId, lastId }) };
  };
  const score = (batch: { accounts: string; signals: string } | null) => {
    if (!batch) return null;
    const rows = scoreOnComputeThread(pool, { modelId: run.model_id, ...batch, now });
    rows.catch(() => {}); // awaited below; not an unhandled rejection while the next batch is read
    return rows;
  };
  let done = 0;
  let scoring = score(await read());
  while (scoring) {
    const following = await read();
    const { rows, skipped } = await scoring;
    scoring = score(following);
    const stored = await insertScoreRows(pool, runId, rows);
    await countScoredBatch(pool, runId, stored);
    done += stored;
    if (skipped.length > 0) await onSkipped?.(skipped);
  }
  return done;
}

/** Runs that cursors handed out recently may still page through; older ones are deleted. */
const KEPT_RUNS = 2;

/**
 * Completes a run: tier cut-offs over its prospects (accounts without a won/lost/churned/open
 * outcome), then it becomes the one prospect pages read. Older runs beyond KEPT_RUNS are dropped.
 */
export async function finishScoreRun(pool: pg.Pool, runId: string): Promise<{ accountsScored: number; cutoffs: TierCutoffs | null }> {
  const { scored, prospectScores } = await runScores(pool, runId);
  const cutoffs = prospectScores.length > 0 ? tierCutoffs(prospectScores) : null;
  const { workspaceId } = await completeScoreRun(pool, runId, scored, cutoffs);
  await pruneScoreRuns(pool, workspaceId, KEPT_RUNS);
  // Statistics and visibility for the new run before pages read it (see vacuumScores).
  await vacuumScores(pool);
  return { accountsScored: scored, cutoffs };
}
