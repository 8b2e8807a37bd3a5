/**
 * Job type → payload: the one map the API (producer) and the workers (consumers) share. Empty here: each
 * module adds its own job types beside their handlers (`declare module '../jobs/types.ts'`), so the queue
 * knows none of them and `enqueue` stays typed. Payloads carry ids only; the state they refer to lives
 * in Postgres, so a retried job finds it there.
 */
// biome-ignore lint/suspicious/noEmptyInterface: an interface, so that each module can merge its job types into it
export interface JobPayloads {}

export type JobType = keyof JobPayloads;
export type JobPayload<T extends JobType> = JobPayloads[T];
