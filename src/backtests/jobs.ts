/**
 * The backtest snapshot of a completed scoring run as a job: 'backtests.snapshot', scheduled when a run
 * completes (the composition root wires it to the scoring job's end), so a run's prospects are served
 * as soon as they are scored, and copying them for backtests and notifying webhooks come after.
 */
import { z } from 'zod';
import type { Enqueue, JobHandlers } from '../jobs/queue.ts';
import { snapshotScoreRun } from './service.ts';

const BacktestsSnapshot = z.object({ runId: z.uuid() });

declare module '../jobs/types.ts' {
  interface JobPayloads {
    'backtests.snapshot': z.infer<typeof BacktestsSnapshot>;
  }
}

/** `retentionRuns`: snapshots kept per workspace (the configuration's BACKTEST_RETENTION_RUNS). */
export const backtestJobs = (retentionRuns: number): Pick<JobHandlers, 'backtests.snapshot'> => ({
  'backtests.snapshot': {
    payload: BacktestsSnapshot,
    queue: 'scoring',
    process: ({ pool, job, enqueue, log }) => snapshotScoreRun(pool, retentionRuns, job.payload.runId, log, enqueue),
  },
});

/** Schedules the snapshot of a run that has just completed. */
export const scheduleSnapshot = (enqueue: Enqueue, workspaceId: string, runId: string) =>
  enqueue(workspaceId, 'backtests.snapshot', { runId });
