/** Scoring runs as jobs: the 'scores.refresh' job, and the trigger that schedules one for a newly active model. */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import { hasFailedJob, tallyInProgress } from '../jobs/repository.ts';
import type { Enqueue, JobHandlers } from '../jobs/queue.ts';
import { accountIdRanges } from '../accounts/repository.ts';
import { createScoreRun, failScoreRun, unfailedScoreRuns } from './repository.ts';
import { finishScoreRun, scoreAccountRange } from './score-runs.ts';

/** Score the whole universe into run `runId`, in account id-range chunks. */
const ScoresRefresh = z.object({ runId: z.uuid() });

declare module '../jobs/types.ts' {
  interface JobPayloads {
    'scores.refresh': z.infer<typeof ScoresRefresh>;
  }
}

/** Skipped accounts listed (with their reason) in a scoring job's progress; all of them are counted and logged. */
const SKIPPED_KEPT = 20;

/** Accounts per scoring chunk: with BullMQ each chunk is a child job, so several workers share a universe. */
export const SCORE_CHUNK_ACCOUNTS = 50_000;

export const describeScoring = (result: unknown) =>
  `${Number((result as { accountsScored?: number } | null)?.accountsScored ?? 0).toLocaleString('en-US')} accounts scored`;

export interface ScoringJobOptions {
  scoreChunkAccounts?: number;
  /** What follows a completed run (the composition root schedules its backtest snapshot). */
  onRunCompleted?: (enqueue: Enqueue, workspaceId: string, runId: string) => Promise<unknown>;
}

export function scoringJobs(options: ScoringJobOptions = {}): Pick<JobHandlers, 'scores.refresh'> {
  const chunkAccounts = options.scoreChunkAccounts ?? SCORE_CHUNK_ACCOUNTS;
  return {
    'scores.refresh': {
      payload: ScoresRefresh,
      queue: 'scoring',
      process: {
        chunks: (pool, job) => accountIdRanges(pool, job.workspaceId, chunkAccounts),
        chunk: (pool, job, range, log) =>
          scoreAccountRange(pool, job.payload.runId, range, async (skipped) => {
            for (const { accountId, domain, reason } of skipped) {
              log.warn(
                { jobId: job.id, workspaceId: job.workspaceId, runId: job.payload.runId, accountId, domain, reason },
                `scoring run ${job.payload.runId}: account ${domain} skipped: ${reason}`,
              );
            }
            const examples = skipped.map(({ domain, reason }) => ({ domain, reason }));
            await tallyInProgress(pool, job.id, 'accountsSkipped', 'skipped', examples, SKIPPED_KEPT);
          }),
        finish: async ({ pool, job, enqueue }) => {
          const finished = await finishScoreRun(pool, job.payload.runId);
          await options.onRunCompleted?.(enqueue, job.workspaceId, job.payload.runId);
          return finished;
        },
      },
      describe: describeScoring,
    },
  };
}

/** Schedules scoring of the universe under `modelId`, unless a run for it exists already (retries stay single). */
export async function scheduleScoring(pool: pg.Pool, enqueue: Enqueue, workspaceId: string, modelId: string) {
  // A run blocks a new one unless it failed, or its job failed for good (it would stay 'running' forever).
  for (const runId of await unfailedScoreRuns(pool, modelId)) {
    if (!(await hasFailedJob(pool, 'scores.refresh', 'runId', runId))) return null;
  }
  // The run is created with its job, once the job is recorded and before it can start: a run is never without one.
  const runId = randomUUID();
  try {
    return await enqueue(
      workspaceId,
      'scores.refresh',
      { runId },
      {
        prepare: async (jobId) => {
          await createScoreRun(pool, workspaceId, modelId, { runId, jobId });
        },
      },
    );
  } catch (err) {
    // Not queued (e.g. Redis unreachable): the run must not stop the next attempt from scheduling one.
    await failScoreRun(pool, runId);
    throw err;
  }
}
