import { z } from 'zod';
import { MAX_INT32 } from '../accounts/normalise.ts';

/** The most industries or countries, and domains, one set of rules holds. */
const MAX_EXCLUDED_VALUES = 1_000;
const MAX_EXCLUDED_DOMAINS = 10_000;

export const ExclusionRules = z
  .object({
    industries: z
      .array(z.string())
      .max(MAX_EXCLUDED_VALUES)
      .default([])
      .meta({ description: 'Industries never to prospect', example: ['gambling'] }),
    countries: z
      .array(z.string())
      .max(MAX_EXCLUDED_VALUES)
      .default([])
      .meta({ description: 'Countries never to prospect (names or ISO codes)', example: ['RU'] }),
    domains: z
      .array(z.string())
      .max(MAX_EXCLUDED_DOMAINS)
      .default([])
      .meta({ description: 'Accounts never to prospect (domains or URLs)', example: ['competitor.com'] }),
    minEmployees: z
      .number()
      .int()
      .nonnegative()
      .max(MAX_INT32)
      .nullable()
      .default(null)
      .meta({ description: 'Smaller accounts are excluded; unknown sizes are kept' }),
    maxEmployees: z
      .number()
      .int()
      .nonnegative()
      .max(MAX_INT32)
      .nullable()
      .default(null)
      .meta({ description: 'Larger accounts are excluded; unknown sizes are kept' }),
  })
  .meta({ id: 'ExclusionRules' });
export type ExclusionRules = z.infer<typeof ExclusionRules>;
