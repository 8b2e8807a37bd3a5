import { z } from 'zod';
import { IsoDateInput } from '../lib/schemas.ts';
import { UnknownDomain } from '../signals/schema.ts';

export const OUTCOME_STATUSES = ['won', 'lost', 'churned', 'open', 'competitor_customer'] as const;
export const OutcomeStatus = z.enum(OUTCOME_STATUSES);
export type OutcomeStatus = z.infer<typeof OutcomeStatus>;

export const MAX_OUTCOMES_PER_REQUEST = 10_000;
/** The largest body POST /v1/outcomes reads: 10,000 outcomes, with room for the Account fields that create accounts. */
export const MAX_OUTCOMES_BODY_BYTES = 16 * 1024 * 1024;

/** Outcome fields; any Account fields alongside them create the account when its domain is unknown. */
export const OutcomeInput = z
  .looseObject({
    domain: z.string().min(1).max(2048).meta({ example: 'acme.com' }),
    status: OutcomeStatus,
    amount: z.number().finite().nonnegative().max(1e13).nullish().meta({ description: 'Deal value (e.g. ACV) in USD', example: 48000 }),
    closedAt: IsoDateInput.nullish(),
    churnedAt: IsoDateInput.nullish(),
  })
  .meta({
    id: 'OutcomeRecord',
    description:
      'Extra Account fields (name, industry, employees, ...) in the same object create the account if it is not in the universe yet.',
  });
export type OutcomeInput = z.infer<typeof OutcomeInput>;
export const OUTCOME_FIELDS = new Set(['domain', 'status', 'amount', 'closedAt', 'churnedAt']);

export const Outcome = z
  .object({
    status: OutcomeStatus,
    amount: z.number().nullable(),
    closedAt: z.iso.datetime().nullable(),
    churnedAt: z.iso.datetime().nullable(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Outcome' });
export type Outcome = z.infer<typeof Outcome>;

export const OutcomesSummary = z.object({
  recorded: z.number().int().meta({ description: 'Outcomes that are new or changed' }),
  unchanged: z.number().int(),
  accountsCreated: z.number().int().meta({ description: 'Unknown domains created from the Account fields sent with them' }),
  unknownDomains: z.array(UnknownDomain).meta({ description: 'Unknown domains sent without Account fields; not stored' }),
  rejected: z
    .array(z.object({ index: z.number().int(), domain: z.string().optional(), errors: z.array(z.string()) }))
    .meta({ description: 'Rows whose Account fields were invalid; not stored' }),
});
