import { z } from 'zod';
import { Tier } from '../model/schema.ts';

export const Interval = z
  .object({ low: z.number(), high: z.number() })
  .meta({ id: 'Interval', description: '95% interval (Wilson score interval for a share)' });

export const BacktestQuery = z.object({
  since: z.string().optional().meta({
    description: 'A scoring run id (that run and later ones) or an ISO date / date-time (runs finished then or later)',
    example: '2026-03-01',
  }),
  modelId: z.uuid().optional().meta({ description: 'Only runs scored by this model version' }),
});
export type BacktestQuery = z.infer<typeof BacktestQuery>;

const OutcomeCounts = z.object({
  total: z.number().int().meta({ description: 'Accounts of the run with an outcome decided after the run' }),
  won: z.number().int(),
  lost: z.number().int(),
  churned: z.number().int(),
  open: z.number().int(),
  competitorCustomer: z.number().int(),
});

export const TierResult = z.object({
  tier: Tier,
  accounts: z.number().int().meta({ description: 'Prospects in this tier at the run' }),
  outcomes: OutcomeCounts,
  winRate: z
    .number()
    .nullable()
    .meta({ description: 'Won since / accounts in the tier (null until an outcome is recorded after the run)' }),
  winRateInterval: Interval.nullable(),
});

export const AtK = z.object({
  k: z.number().int(),
  won: z.number().int().meta({ description: 'Accounts won since among the run’s top k' }),
  precision: z
    .number()
    .nullable()
    .meta({ description: 'won / k (k capped at the run’s prospects; null until an outcome is recorded after the run)' }),
  precisionInterval: Interval.nullable(),
  recall: z.number().nullable().meta({ description: 'won / all accounts of the run won since' }),
  recallInterval: Interval.nullable(),
});

export const Backtest = z
  .object({
    run: z.object({
      id: z.uuid(),
      model: z.object({ id: z.uuid(), version: z.number().int().nullable() }),
      scoredAt: z.iso.datetime(),
      prospects: z.number().int().meta({ description: 'Unlabelled accounts (prospects) the run ranked: the population followed' }),
    }),
    outcomes: OutcomeCounts,
    overall: z.object({ winRate: z.number().nullable(), winRateInterval: Interval.nullable() }),
    tiers: z.array(TierResult),
    atK: z.array(AtK),
    liftA: z
      .object({
        lift: z.number().meta({ description: 'Win rate of tier A / win rate of all the run’s prospects' }),
        interval: Interval,
        pValue: z.number().meta({ description: "One-sided Fisher's exact test that tier A over-indexes" }),
      })
      .nullable()
      .meta({ description: 'Null while nothing has been won, or with no tier A' }),
    summary: z.string().meta({ example: 'Of the 40 A-tier accounts of 3 March 2026, 9 were won since (23%), against 3% of D-tier.' }),
  })
  .meta({ id: 'Backtest' });
export type Backtest = z.infer<typeof Backtest>;

export const BacktestResponse = z.object({
  data: z.array(Backtest).meta({ description: 'Snapshotted runs, newest first' }),
  retentionRuns: z.number().int().meta({ description: 'Runs kept per workspace (BACKTEST_RETENTION_RUNS)' }),
});

export const TierChange = z
  .object({
    domain: z.string(),
    name: z.string().nullable(),
    from: Tier.nullable().meta({ description: 'Tier at the previous run; null if it was not a prospect then' }),
    to: Tier.nullable().meta({ description: 'Tier at this run; null if it is no longer a prospect (e.g. won, or an open deal)' }),
    score: z.number().nullable(),
    previousScore: z.number().nullable(),
    rank: z.number().int().nullable(),
  })
  .meta({ id: 'TierChange' });
export type TierChange = z.infer<typeof TierChange>;

export const TierChangeCounts = z.object({
  total: z.number().int(),
  entered: z.number().int().meta({ description: 'Into tier A or B from C, D or outside the prospects' }),
  left: z.number().int().meta({ description: 'Out of tiers A and B' }),
  moved: z.number().int().meta({ description: 'Between A and B' }),
});

export const TierChangesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(500),
  offset: z.coerce.number().int().min(0).default(0),
});

export const TierChangesResponse = z.object({
  run: z.object({ id: z.uuid(), scoredAt: z.iso.datetime() }),
  previousRun: z.object({ id: z.uuid(), scoredAt: z.iso.datetime() }).nullable(),
  counts: TierChangeCounts,
  data: z.array(TierChange),
  nextOffset: z.number().int().nullable(),
});
