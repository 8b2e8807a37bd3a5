import { z } from 'zod';
import { JobRef } from '../jobs/schema.ts';

export const Tier = z.enum(['A', 'B', 'C', 'D']);

export const MODEL_STATUSES = ['queued', 'training', 'ready', 'failed'] as const;

export const TrainModelBody = z
  .object({
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional()
      .meta({ description: 'Same data + same seed = the same model. Default 42.' }),
    params: z
      .object({
        bags: z.number().int().min(1).max(100),
        treesPerBag: z.number().int().min(1).max(100),
        maxDepth: z.number().int().min(1).max(20),
        minNumSamples: z.number().int().min(1).max(100),
        maxFeatures: z.union([z.literal('sqrt'), z.literal('log2'), z.number().gt(0).lte(1)]).meta({
          description: "Candidate features at every split: 'sqrt' (default) or 'log2' of the features that vary, or a share of them",
        }),
        unlabelledRatio: z.number().positive().max(50),
        maxLinearShare: z.number().min(0).max(1).meta({
          description:
            'The largest share of the fit cross-validation may give the linear model stacked with the forest (default 1; 0 = the forest alone)',
        }),
      })
      .partial()
      .optional()
      .meta({ description: 'Model settings; defaults suit tens to hundreds of won accounts' }),
  })
  .default({})
  .meta({ id: 'TrainModelRequest' });
export type TrainModelBody = z.infer<typeof TrainModelBody>;

/**
 * The cost budget of one training: trees grown (bags × treesPerBag, default 200) and unlabelled
 * draws (bags × unlabelledRatio, default 80: each bag samples that many unlabelled per positive).
 * Each parameter alone is within its range; together they could hold a worker for hours.
 */
export const TRAINING_BUDGET = { trees: 1_000, unlabelledDraws: 200 } as const;

/** The first budget `params` (missing ones at their defaults) exceeds, or null when within budget. */
export function trainingBudgetExceeded(
  params: TrainModelBody['params'],
  defaults: { bags: number; treesPerBag: number; unlabelledRatio: number },
): { limit: keyof typeof TRAINING_BUDGET; value: number; max: number; message: string } | null {
  const bags = params?.bags ?? defaults.bags;
  const trees = bags * (params?.treesPerBag ?? defaults.treesPerBag);
  if (trees > TRAINING_BUDGET.trees) {
    return {
      limit: 'trees',
      value: trees,
      max: TRAINING_BUDGET.trees,
      message: `bags × treesPerBag is ${trees}; at most ${TRAINING_BUDGET.trees} trees per model`,
    };
  }
  const draws = bags * (params?.unlabelledRatio ?? defaults.unlabelledRatio);
  if (draws > TRAINING_BUDGET.unlabelledDraws) {
    return {
      limit: 'unlabelledDraws',
      value: draws,
      max: TRAINING_BUDGET.unlabelledDraws,
      message: `bags × unlabelledRatio is ${draws}; at most ${TRAINING_BUDGET.unlabelledDraws}`,
    };
  }
  return null;
}

const Metrics = z
  .object({
    folds: z.number().int(),
    auc: z.number().meta({ description: 'Cross-validated ROC AUC: held-out won accounts against held-out lost/churned and unlabelled' }),
    foldAuc: z.array(z.number().nullable()),
    topFraction: z.number(),
    k: z.number().int().meta({ description: 'Size of the top of each held-out list, summed over folds' }),
    pool: z.number().int(),
    heldOutPositives: z.number().int(),
    hits: z.number(),
    recallAtK: z.number().meta({ description: 'Share of held-out won accounts ranked in the top k among unlabelled accounts' }),
    precisionAtK: z.number(),
    baseRate: z.number(),
    lift: z.number().meta({ description: 'precision@k over the base rate' }),
    blend: z
      .object({
        similarity: z.number().meta({ description: 'Share of similarity against fit that cross-validation chose (0 = fit alone)' }),
        linear: z.number().optional().meta({
          description: "Share of the linear model in the fit against the forest's, chosen by cross-validation (0 = the forest alone)",
        }),
        grid: z
          .array(z.object({ linear: z.number().optional(), similarity: z.number(), averagePrecision: z.number() }))
          .meta({ description: 'Cross-validated average precision of every pair of shares tried' }),
        weights: z
          .object({ fit: z.number(), similarity: z.number(), intent: z.number() })
          .nullable()
          .meta({ description: 'The weights the ranking uses' }),
        calibration: z.object({ slope: z.number(), intercept: z.number() }).nullable().optional().meta({
          description:
            "How fit and similarity at these weights are put on one scale (Platt scaling fitted on the cross-validation's held-out accounts): score = (weights.fit + weights.similarity) × σ(slope × logit(blend) + intercept) + weights.intent × intent, where blend is their weighted mean. Null: uncalibrated",
        }),
      })
      .optional()
      .meta({ description: "How the ranking blends fit, similarity and intent, chosen by this model's cross-validation" }),
  })
  .meta({ id: 'ModelMetrics' });

export const SCORING_STATUSES = ['none', 'queued', 'running', 'completed', 'failed'] as const;

export const ModelScoring = z
  .object({
    status: z.enum(SCORING_STATUSES).meta({
      description:
        'none: no scoring run of this model exists (it has not been active since it was trained, or newer runs replaced its run); ' +
        'queued or running: its universe is being scored, and GET /v1/prospects serves the previous run until this one completes; ' +
        'completed: its prospects are served while it is active; failed: error says why',
    }),
    progress: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .meta({ description: 'Share of the universe scored so far (1 once completed; null when unknown)', example: 0.4 }),
    runId: z.uuid().nullable().meta({ description: "The scoring run (a prospect page's model.runId names the run it reads)" }),
    job: JobRef.nullable().meta({ description: 'The scoring job (GET /v1/jobs/{id})' }),
    startedAt: z.iso.datetime().nullable(),
    completedAt: z.iso.datetime().nullable(),
    error: z.string().nullable(),
  })
  .meta({ id: 'ModelScoring' });
export type ModelScoring = z.infer<typeof ModelScoring>;

export const Model = z
  .object({
    id: z.uuid(),
    version: z.number().int(),
    status: z.enum(MODEL_STATUSES),
    active: z.boolean(),
    pinned: z.boolean().meta({
      description:
        'Activated by hand: retrains produce new ready models but do not activate them until you activate another model or unpin this one (POST /v1/models/{id}/unpin)',
    }),
    kind: z.enum(['forest', 'similarity']).nullable().meta({ description: 'similarity = cold start: too few won accounts for a forest' }),
    confidence: z.enum(['high', 'medium', 'low']).nullable(),
    featureSpecVersion: z.number().int().nullable(),
    seed: z.number().int(),
    params: z.record(z.string(), z.unknown()),
    trainingFingerprint: z.string().nullable().meta({ description: 'Hash of the labelled examples, vocabulary, seed and parameters' }),
    counts: z
      .object({
        won: z.number().int(),
        competitorCustomers: z.number().int(),
        lost: z.number().int(),
        churned: z.number().int(),
        unlabelledSample: z.number().int(),
        universe: z.number().int(),
      })
      .nullable(),
    metrics: Metrics.nullable(),
    importances: z.array(z.object({ key: z.string(), label: z.string(), importance: z.number() })).nullable(),
    note: z.string().nullable().meta({ description: 'Why the model is or is not active, or what the numbers mean' }),
    error: z.string().nullable(),
    durationMs: z.number().int().nullable(),
    job: JobRef.nullable(),
    createdAt: z.iso.datetime(),
    trainedAt: z.iso.datetime().nullable(),
    scoring: ModelScoring.meta({ description: 'The scoring of the universe that follows this model once it is active' }),
  })
  .meta({ id: 'Model' });
export type Model = z.infer<typeof Model>;
/** A model as stored (its scoring is the scoring run's, read beside it). */
export type ModelRecord = Omit<Model, 'scoring'>;
