import { z } from 'zod';
import { MAX_INT32 } from '../accounts/normalise.ts';
import { CountryFilter, IndustryFilter } from '../accounts/filters.ts';
import { Account } from '../accounts/schema.ts';
import { DataCoverage } from '../coverage/schema.ts';
import { Tier } from '../model/schema.ts';

export const Reason = z
  .object({
    feature: z.string().meta({ example: 'tech:snowflake' }),
    label: z.string().meta({ example: 'Uses Snowflake — 7 of 9 won accounts do, 4% of the universe does' }),
    direction: z.enum(['positive', 'negative']),
    weight: z.number().meta({ description: 'Size of the effect (fit: probability points; intent: decayed evidence; similarity: cosine)' }),
  })
  .meta({ id: 'Reason' });

export const SimilarAccount = z.object({ domain: z.string(), similarity: z.number() }).meta({ id: 'SimilarAccount' });

export const Subscores = z
  .object({
    fit: z.number().nullable().meta({ description: "The model's fit probability (null without a forest: cold start)" }),
    similarity: z.number().meta({ description: 'Mean cosine similarity to the nearest won accounts' }),
    intent: z.number().meta({ description: 'Recency-weighted intent and trigger signals' }),
    criteria: z.number().nullable().meta({ description: 'Share of your declared ICP criteria met (cold start only; null otherwise)' }),
  })
  .meta({ id: 'Subscores' });

export const Prospect = z
  .object({
    domain: z.string(),
    name: z.string().nullable(),
    score: z.number().meta({ description: '0–1', example: 0.82 }),
    tier: Tier,
    subscores: Subscores,
    reasons: z.array(Reason),
    similarTo: z.array(SimilarAccount).meta({ description: 'Nearest won accounts' }),
    account: Account,
    dataCoverage: DataCoverage,
  })
  .meta({ id: 'Prospect' });
export type Prospect = z.infer<typeof Prospect>;

export const Confidence = z.enum(['high', 'medium', 'low']);

export const ModelRef = z
  .object({
    id: z.uuid(),
    version: z.number().int(),
    kind: z.enum(['forest', 'similarity']),
    confidence: Confidence,
    active: z.boolean().meta({
      description:
        'false while a newer model is being scored: its previous run is served until the new run completes (GET /v1/models/{id} shows its scoring)',
    }),
    runId: z.uuid().nullable().meta({ description: 'The scoring run the scores come from (null: computed now)' }),
    scoredAt: z.iso.datetime().nullable().meta({ description: 'When that run completed' }),
  })
  .meta({ id: 'ModelRef' });

/** A tier in any case ("a" is A), or a 400 naming the tiers. */
const TierFilter = z.preprocess(
  (v) => (typeof v === 'string' ? v.toUpperCase() : v),
  z.enum(Tier.options, { error: () => `a tier is one of ${Tier.options.join(', ')} (any case)` }),
);

const csvList = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v) =>
      typeof v === 'string'
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : v,
    z.array(item),
  );

export const ProspectQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(100)
    .meta({ description: 'Prospects per page, 1–1000 (default 100); ignored for CSV, which has them all', example: 50 }),
  cursor: z
    .string()
    .optional()
    .meta({ description: 'nextCursor of the previous page; it pins the scoring run, so pages never overlap', example: 'eyJydW4iOiI…' }),
  tier: csvList(TierFilter).optional().meta({ description: 'One or more tiers, comma-separated, any case', example: 'A,B' }),
  industry: IndustryFilter.optional().meta({ description: 'Only this industry (case-insensitive)', example: 'software' }),
  country: CountryFilter.optional().meta({
    description: 'Only this country: ISO 3166-1 alpha-2 or alpha-3 code or English name, any case',
    example: 'US',
  }),
  minEmployees: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_INT32)
    .optional()
    .meta({ description: 'At least this many employees (accounts of unknown size are left out)', example: 200 }),
  maxEmployees: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_INT32)
    .optional()
    .meta({ description: 'At most this many employees (accounts of unknown size are left out)', example: 2000 }),
  technology: z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .meta({ description: 'Only accounts that use this technology (case-insensitive)', example: 'snowflake' }),
  keyword: z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .meta({ description: 'Only accounts with this keyword (category, specialty or tag; case-insensitive)', example: 'data warehouse' }),
  minScore: z.coerce.number().min(0).max(1).optional().meta({ description: 'Only prospects scoring at least this (0–1)', example: 0.5 }),
  format: z
    .enum(['json', 'csv'])
    .optional()
    .meta({ description: 'csv = the whole filtered list as a CSV download (same as Accept: text/csv)', example: 'csv' }),
  bom: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true')
    .meta({
      description: 'CSV only: start with a UTF-8 byte order mark, so spreadsheets detect the encoding (default true)',
      example: 'false',
    }),
});
export type ProspectQuery = z.infer<typeof ProspectQuery>;

export const ProspectPage = z.object({
  data: z.array(Prospect),
  nextCursor: z.string().nullable(),
  model: ModelRef,
  confidence: Confidence.meta({
    description: 'low in cold start (too few won accounts for a forest) or when the model barely beats chance',
  }),
});

export const LookalikeFilters = z
  .object({
    industry: IndustryFilter.optional(),
    country: CountryFilter.optional(),
    minEmployees: z.number().int().min(0).max(MAX_INT32).optional(),
    maxEmployees: z.number().int().min(0).max(MAX_INT32).optional(),
    technology: z.string().trim().toLowerCase().optional(),
    keyword: z.string().trim().toLowerCase().optional(),
  })
  .meta({ id: 'AccountFilters' });

export const LookalikeBody = z
  .object({
    seedDomains: z
      .array(z.string())
      .min(1)
      .max(500)
      .meta({ example: ['acme.com', 'globex.io'] }),
    limit: z.number().int().min(1).max(1000).default(50),
    filters: LookalikeFilters.default({}),
    includeCustomers: z.boolean().default(false).meta({ description: 'Also return accounts with a won, lost, churned or open outcome' }),
  })
  .meta({ id: 'LookalikeRequest' });

export const Lookalike = z
  .object({
    domain: z.string(),
    name: z.string().nullable(),
    similarity: z.number().meta({ description: 'Mean cosine similarity to its nearest seeds' }),
    resembles: z.array(
      z.object({
        domain: z.string(),
        similarity: z.number(),
        shared: z
          .array(z.string())
          .meta({ description: 'What it shares with this seed', example: ['Industry: Software', 'Uses Snowflake'] }),
      }),
    ),
    account: Account,
  })
  .meta({ id: 'Lookalike' });

export const LookalikeResponse = z.object({
  data: z.array(Lookalike),
  unknownSeeds: z.array(z.string()).meta({ description: 'Seed domains not in the universe (ignored)' }),
  search: z.enum(['hnsw', 'exact']).meta({ description: 'How the nearest neighbours were found' }),
});

export const Fit = z
  .object({
    domain: z.string(),
    score: z.number(),
    tier: Tier,
    subscores: Subscores,
    reasons: z.array(Reason),
    similarTo: z.array(SimilarAccount),
    model: ModelRef,
    confidence: Confidence.meta({
      description:
        "The model's confidence, lowered one step when dataCoverage.share < 0.5 and to low when < 0.25 (a score computed mostly from missing data)",
    }),
    dataCoverage: DataCoverage,
    outcome: z.string().nullable().meta({ description: 'The account’s CRM outcome, if any (such accounts are never prospects)' }),
  })
  .meta({ id: 'Fit' });
