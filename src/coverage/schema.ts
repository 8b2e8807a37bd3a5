import { z } from 'zod';

/** Account fields whose coverage is measured: the ones the model's features come from. */
export const COVERAGE_FIELDS = [
  'industry',
  'employees',
  'revenue',
  'country',
  'region',
  'city',
  'foundedYear',
  'businessModel',
  'stage',
  'technologies',
  'keywords',
  'description',
] as const;
export const CoverageField = z.enum(COVERAGE_FIELDS);
export type CoverageField = z.infer<typeof CoverageField>;

export const DataCoverage = z
  .object({
    share: z.number().meta({
      description:
        'Share (0–1) of what the active model relies on that this account has, each field weighted by the model’s reliance on it',
      example: 0.82,
    }),
    missing: z
      .array(
        z.object({
          field: CoverageField,
          reliance: z.number().meta({ description: 'Share of the model’s feature importance on this field' }),
        }),
      )
      .max(3)
      .meta({ description: 'The missing fields the model relies on most (at most 3): what to enrich first' }),
  })
  .meta({ id: 'DataCoverage' });
export type DataCoverage = z.infer<typeof DataCoverage>;

export const FieldCoverage = z
  .object({
    field: CoverageField,
    missing: z.number().int().meta({ description: 'Accounts without a value' }),
    missingShare: z.number(),
    reliance: z
      .number()
      .nullable()
      .meta({ description: 'Share of the active model’s feature importance on this field (null: no active model)' }),
    priority: z
      .number()
      .nullable()
      .meta({ description: 'reliance × missingShare: how much enriching this field would add; the list is sorted by it' }),
  })
  .meta({ id: 'FieldCoverage' });

export const CoverageReport = z.object({
  accounts: z.number().int(),
  model: z.object({ id: z.uuid(), version: z.number().int(), kind: z.enum(['forest', 'similarity']).nullable() }).nullable(),
  fields: z.array(FieldCoverage),
});
