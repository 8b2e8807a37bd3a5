import { z } from 'zod';

export const JOB_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;

export const Job = z
  .object({
    id: z.uuid(),
    type: z.string().meta({ example: 'accounts.import' }),
    status: z.enum(JOB_STATUSES),
    progress: z
      .record(z.string(), z.unknown())
      .nullable()
      .meta({ description: 'What the job has done so far, e.g. { rowsDone, rowsTotal? }', example: { rowsDone: 50000 } }),
    result: z.unknown().nullable(),
    error: z.string().nullable(),
    attempts: z.number().int(),
    createdAt: z.iso.datetime(),
    startedAt: z.iso.datetime().nullable(),
    finishedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Job' });
export type Job = z.infer<typeof Job>;

export const JobRef = z.object({ id: z.uuid() }).meta({ id: 'JobRef' });
