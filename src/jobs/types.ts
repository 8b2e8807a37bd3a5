import { z } from 'zod';

/**
 * Job type → payload: the one map the API (producer) and the workers (consumers) share. Payloads
 * carry ids only; the state they refer to lives in Postgres, so a retried job finds it there.
 */
export const JOB_PAYLOADS = {
  /** Train the model version `modelId` (created, status queued, by the API). */
  'model.train': z.object({ modelId: z.uuid() }),
  /** Score the whole universe into run `runId`. */
  'scores.refresh': z.object({ runId: z.uuid() }),
  /** Recompute vectors of accounts that changed since they were vectorised. */
  'vectors.refresh': z.object({}),
} as const;

export type JobType = keyof typeof JOB_PAYLOADS;
export type JobPayload<T extends JobType> = z.infer<(typeof JOB_PAYLOADS)[T]>;
export const JOB_TYPES = Object.keys(JOB_PAYLOADS) as JobType[];
