import { z } from 'zod';

/**
 * Job type → payload: the one map the API (producer) and the workers (consumers) share. Payloads
 * carry ids only; the state they refer to lives in Postgres, so a retried job finds it there.
 */
export const JOB_PAYLOADS = {
  /** Train the model version `modelId` (created, status queued, by the API). */
  'model.train': z.object({ modelId: z.uuid() }),
  /**
   * Request a new model version (then trained by 'model.train'): after outcomes changed (debounced, one
   * pending per workspace) or on the workspace's retraining schedule.
   */
  'model.retrain': z.object({ reason: z.enum(['outcomes', 'schedule']) }),
  /** Score the whole universe into run `runId`, in account id-range chunks. */
  'scores.refresh': z.object({ runId: z.uuid() }),
  /** Recompute vectors of accounts that changed since they were vectorised. */
  'vectors.refresh': z.object({}),
  /** Send the workspace's due webhook deliveries (src/webhooks/service.ts); it reschedules itself for retries. */
  'webhooks.deliver': z.object({}),
} as const;

export type JobType = keyof typeof JOB_PAYLOADS;
export type JobPayload<T extends JobType> = z.infer<(typeof JOB_PAYLOADS)[T]>;
export const JOB_TYPES = Object.keys(JOB_PAYLOADS) as JobType[];
