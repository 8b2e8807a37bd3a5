import { z } from 'zod';

/** Fewer won accounts than this are too few to learn from: no forest (a cold-start model), and no strong ICP attribute. */
export const MIN_WON_FOR_MODEL = 10;

// The evidence an attribute needs to be called strong; below MIN_WON_FOR_MODEL won accounts in all, nothing is.
/** Won accounts that have it. */
export const MIN_WON_SUPPORT = 5;
/** Lift: a significant 1.05× in a huge universe is not a profile. */
export const MIN_STRONG_LIFT = 1.2;
/** Benjamini–Hochberg q-value: the expected share of false discoveries among strong attributes. */
export const FDR = 0.05;

/** Account attributes the profile measures; declared criteria use the same names (plus employee and revenue ranges). */
export const ATTRIBUTE_KINDS = ['businessModel', 'industry', 'sizeBand', 'region', 'country', 'stage', 'technology', 'keyword'] as const;
export const AttributeKind = z.enum(ATTRIBUTE_KINDS);
export type AttributeKind = z.infer<typeof AttributeKind>;

const LiftInterval = z
  .object({ low: z.number(), high: z.number() })
  .meta({ description: '95% Wilson interval of the share among won accounts, divided by the universe share' });

export const IcpAttribute = z
  .object({
    attribute: AttributeKind,
    value: z.string().meta({ description: 'The stored value: industry, size band, region, ISO country code, technology, ...' }),
    label: z.string(),
    strength: z.enum(['strong', 'weak', 'none']).meta({
      description:
        `strong: over-indexes with real evidence (at least ${MIN_WON_SUPPORT} won accounts have it, lift ≥ ${MIN_STRONG_LIFT}, ` +
        `q ≤ ${FDR}, and at least ${MIN_WON_FOR_MODEL} won accounts in all); weak: lift above 1 without that evidence; none: does not over-index`,
    }),
    lift: z.number().meta({ description: 'Share among won accounts / share in the universe' }),
    liftInterval: LiftInterval,
    wonWith: z.number().int().meta({ description: 'Won accounts with this value' }),
    universeWith: z.number().int().meta({ description: 'Universe accounts with this value (won accounts included)' }),
    wonShare: z.number(),
    universeShare: z.number(),
    pValue: z.number().meta({ description: "One-sided Fisher's exact test: won accounts have this value more often than chance" }),
    qValue: z
      .number()
      .nullable()
      .meta({
        description: `Benjamini–Hochberg adjusted p-value over every value held by at least ${MIN_WON_SUPPORT} universe accounts; null for rarer values (never strong)`,
      }),
  })
  .meta({
    id: 'IcpAttribute',
    example: {
      attribute: 'technology',
      value: 'snowflake',
      label: 'Uses Snowflake',
      strength: 'strong',
      lift: 4.97,
      liftInterval: { low: 3.63, high: 6.48 },
      wonWith: 29,
      universeWith: 1060,
      wonShare: 0.2636,
      universeShare: 0.053,
      pValue: 2.1e-11,
      qValue: 4.3e-10,
    },
  });
export type IcpAttribute = z.infer<typeof IcpAttribute>;

const RateFields = {
  won: z.number().int(),
  lost: z.number().int(),
  churned: z.number().int(),
  winRate: z.number().nullable().meta({ description: 'won / (won + lost); null without decided deals' }),
  churnRate: z.number().nullable().meta({ description: 'churned / (won + churned)' }),
  averageDealValue: z.number().nullable().meta({ description: 'Mean outcome amount of won accounts, USD' }),
  untouched: z
    .number()
    .int()
    .meta({ description: 'Accounts with no outcome at all that no exclusion rule removes: the addressable market' }),
};

export const IcpCounts = z
  .object({
    universe: z.number().int(),
    ...RateFields,
    open: z.number().int(),
    competitorCustomer: z.number().int(),
  })
  .meta({ id: 'IcpCounts' });
export type IcpCounts = z.infer<typeof IcpCounts>;

const AttributeValue = z.object({ attribute: AttributeKind, value: z.string(), label: z.string() });

export const IcpSegment = z
  .object({
    values: z.array(AttributeValue),
    label: z.string(),
    matching: z.number().int().meta({ description: 'Universe accounts in the segment' }),
    ...RateFields,
    winRateLift: z.number().nullable().meta({ description: "The segment's win rate / the workspace's" }),
    lift: z.number().meta({ description: 'Share of won accounts in the segment / share of the universe in it' }),
    liftInterval: LiftInterval,
    pValue: z.number(),
  })
  .meta({
    id: 'IcpSegment',
    example: {
      values: [
        { attribute: 'businessModel', value: 'b2b', label: 'B2B' },
        { attribute: 'industry', value: 'software', label: 'Software' },
        { attribute: 'technology', value: 'salesforce', label: 'Uses Salesforce' },
      ],
      label: 'B2B, Software, Uses Salesforce',
      matching: 310,
      won: 41,
      lost: 12,
      churned: 2,
      winRate: 0.7736,
      churnRate: 0.0465,
      averageDealValue: 61200,
      untouched: 236,
      winRateLift: 3.1,
      lift: 24.05,
      liftInterval: { low: 18.4, high: 30.1 },
      pValue: 1.2e-38,
    },
  });
export type IcpSegment = z.infer<typeof IcpSegment>;

// ---------------------------------------------------------------------------------------------
// Declared criteria

export const RANGE_FIELDS = ['employees', 'revenue'] as const;
export type RangeField = (typeof RANGE_FIELDS)[number];
const MAX_CRITERIA = 16;
const MAX_CRITERION_VALUES = 1_000;

const Weight = z.number().positive().max(100).default(1).meta({ description: 'Relative importance (default 1)' });
const ListCriterion = z.object({ field: AttributeKind, values: z.array(z.string()).min(1).max(MAX_CRITERION_VALUES), weight: Weight });
const RangeCriterion = z.object({ field: z.enum(RANGE_FIELDS), min: z.number().nullable(), max: z.number().nullable(), weight: Weight });

/** A stored criterion: values normalised the way account fields are. */
export const IcpCriterion = z.discriminatedUnion('field', [ListCriterion, RangeCriterion]).meta({
  id: 'IcpCriterion',
  description: 'A list criterion matches an account with any of its values; a range criterion one within min..max (inclusive)',
  example: { field: 'industry', values: ['software', 'fintech'], weight: 2 },
});
export type IcpCriterion = z.infer<typeof IcpCriterion>;

const NumberLike = z.union([z.number(), z.string()]).nullish().meta({ description: 'A number, or text such as "1,200" or "$50M"' });

export const IcpCriteriaUpdate = z
  .object({
    criteria: z
      .array(z.discriminatedUnion('field', [ListCriterion, RangeCriterion.extend({ min: NumberLike, max: NumberLike })]))
      .max(MAX_CRITERIA),
  })
  .meta({
    id: 'IcpCriteriaUpdate',
    description:
      'Weighted hypotheses about your ICP, for a cold start. Values are normalised like account fields: "FinTech" → fintech, ' +
      '"United States" → US, "Series B" → series_b, "B2B SaaS" → b2b, "North America" → north_america, "$50M" → 50000000.',
    example: {
      criteria: [
        { field: 'industry', values: ['Software', 'FinTech'], weight: 2 },
        { field: 'employees', min: 200, max: '2,000' },
        { field: 'technology', values: ['Snowflake', 'Salesforce'] },
        { field: 'region', values: ['North America'], weight: 0.5 },
      ],
    },
  });
export type IcpCriteriaUpdate = z.infer<typeof IcpCriteriaUpdate>;

export const IcpCriteria = z
  .object({
    criteria: z.array(IcpCriterion),
    updatedAt: z.iso.datetime().nullable().meta({ description: 'Null when none were ever declared' }),
  })
  .meta({ id: 'IcpCriteria' });
export type IcpCriteria = z.infer<typeof IcpCriteria>;

export const CriterionCheck = z
  .object({
    criterion: IcpCriterion,
    label: z.string(),
    wonWith: z.number().int(),
    universeWith: z.number().int(),
    lift: z.number().nullable().meta({ description: 'Null when no universe account matches' }),
    liftInterval: LiftInterval.nullable(),
    verdict: z.enum(['supported', 'not_supported', 'contradicted', 'not_enough_data']).meta({
      description:
        'supported / contradicted: won accounts match it more / less often than chance (two-sided Fisher test, ' +
        `Benjamini–Hochberg over the criteria, q ≤ ${FDR}) by a lift of at least ${MIN_STRONG_LIFT}× (or 1/${MIN_STRONG_LIFT}); ` +
        `not_supported: neither; not_enough_data: fewer than ${MIN_WON_FOR_MODEL} won accounts, or fewer than ${MIN_WON_SUPPORT} ` +
        'won accounts either match or would be expected to',
    }),
    note: z.string(),
  })
  .meta({ id: 'IcpCriterionCheck' });
export type CriterionCheck = z.infer<typeof CriterionCheck>;

// ---------------------------------------------------------------------------------------------
// Drift between model versions

const ModelProfileRef = z.object({ modelId: z.uuid(), version: z.number().int(), computedAt: z.iso.datetime() });

export const IcpDrift = z
  .object({
    status: z.enum(['compared', 'no_active_model', 'no_earlier_model', 'no_snapshot']),
    message: z.string(),
    current: ModelProfileRef.nullable().meta({ description: 'The profile snapshot of the active model' }),
    previous: ModelProfileRef.nullable().meta({ description: 'The snapshot of the most recent earlier ready model' }),
    changes: z.array(
      z.object({
        attribute: AttributeKind,
        value: z.string(),
        label: z.string(),
        change: z.enum(['appeared', 'disappeared', 'rose', 'fell']).meta({
          description: 'appeared / disappeared: became / stopped being strong; rose / fell: strong in both, lift changed by 25% or more',
        }),
        liftBefore: z.number().nullable(),
        liftAfter: z.number().nullable(),
      }),
    ),
  })
  .meta({ id: 'IcpDrift' });
export type IcpDrift = z.infer<typeof IcpDrift>;

/** What a model version stores in models.icp_profile: the attribute analysis at training time. */
export const IcpSnapshot = z.object({
  computedAt: z.iso.datetime(),
  counts: IcpCounts,
  attributes: z.array(IcpAttribute),
});
export type IcpSnapshot = z.infer<typeof IcpSnapshot>;

// ---------------------------------------------------------------------------------------------
// The profile

export const IcpProfile = z
  .object({
    evidence: z
      .enum(['thin', 'sufficient'])
      .meta({ description: `thin: fewer than ${MIN_WON_FOR_MODEL} won accounts; nothing is marked strong` }),
    evidenceNote: z.string(),
    summary: z.string().meta({ description: 'Plain-language ICP, for a slide' }),
    counts: IcpCounts,
    attributes: z.array(IcpAttribute).meta({ description: 'Every value at least one won account has; strong first, then by p-value' }),
    segments: z.array(IcpSegment).meta({
      description: `Combinations of 2–3 strong attributes with at least ${MIN_WON_SUPPORT} won accounts, most significant first (top 10)`,
    }),
    criteria: z.array(CriterionCheck).meta({ description: 'Your declared criteria, checked against the data' }),
    drift: IcpDrift,
  })
  .meta({ id: 'IcpProfile' });
export type IcpProfile = z.infer<typeof IcpProfile>;

export const IcpQuery = z.object({
  format: z
    .enum(['json', 'csv'])
    .optional()
    .meta({ description: 'csv: the part chosen by `part` as CSV. Default: json, or csv when Accept is text/csv' }),
  part: z.enum(['attributes', 'segments']).default('attributes').meta({ description: 'Which table the CSV holds' }),
});
