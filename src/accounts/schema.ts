import { z } from 'zod';

export const BUSINESS_MODELS = ['b2b', 'b2c', 'b2b2c', 'marketplace', 'nonprofit', 'government'] as const;
export const SIZE_BANDS = ['smb', 'mid_market', 'enterprise'] as const;

export const BusinessModel = z.enum(BUSINESS_MODELS);
export type BusinessModel = z.infer<typeof BusinessModel>;
export type SizeBand = (typeof SIZE_BANDS)[number];

/** An account after normalisation: what we store and what the API returns. */
export const Account = z
  .object({
    domain: z.string().meta({ example: 'acme.com' }),
    name: z.string().nullable(),
    industry: z.string().nullable().meta({ example: 'software' }),
    employees: z.number().int().nullable().meta({ example: 1200 }),
    revenue: z.number().nullable().meta({ description: 'Annual revenue in USD', example: 150000000 }),
    country: z.string().length(2).nullable().meta({ description: 'ISO 3166-1 alpha-2', example: 'US' }),
    region: z.string().nullable(),
    city: z.string().nullable(),
    foundedYear: z.number().int().nullable(),
    businessModel: BusinessModel.nullable(),
    stage: z.string().nullable().meta({ example: 'series_b' }),
    technologies: z.array(z.string()).meta({ example: ['salesforce', 'snowflake'] }),
    keywords: z.array(z.string()).meta({ example: ['fintech', 'payments'] }),
    description: z.string().nullable(),
  })
  .meta({ id: 'Account' });
export type Account = z.infer<typeof Account>;

/**
 * An account with its industry as imported, when that spelling has capitals ("IT and Cybersecurity"):
 * `industry` holds it normalised ("it and cybersecurity"), which is what matching, counts and
 * exclusions compare, and what the API shows; labels show the spelling most accounts carry.
 */
export type SpelledAccount = Account & { industrySpelling?: string | null };
