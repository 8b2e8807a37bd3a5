import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import {
  accountsWithDecidedOutcomes,
  countAccounts,
  toAccount,
  undecidedAccountSample,
  type AccountOutcomeRow,
} from '../accounts/repository.ts';
import type { Account } from '../accounts/schema.ts';
import { sizeBand } from '../accounts/normalise.ts';
import { withTransaction, type Queryable } from '../db/pool.ts';
import { refreshVectors, storedVocabulary } from '../features/service.ts';
import {
  accountVectors,
  describeFeatures,
  FEATURE_SPEC_VERSION,
  modelFeatureCount,
  NUMERIC_FEATURE_COUNT,
  type FeatureInfo,
} from '../features/spec.ts';
import type { Vocabulary } from '../features/vocabulary.ts';
import type { OutcomeStatus } from '../outcomes/schema.ts';
import { DEFAULT_LOOKALIKE_PARAMS, GROW_LOOKALIKE, outcomeExample, type LookalikeParams, type TrainingExample } from './forest.ts';
import { runTask } from '../compute/thread.ts';
import { TRAIN_LINEAR } from './linear.ts';
import { finiteOrNull, median } from '../lib/stats.ts';
import { CROSS_VALIDATE, compareModels, type crossValidate, featureImportances, topImportances } from './metrics.ts';
import { blendWeights, rankingConfidence } from './ranking.ts';
import { MIN_WON_FOR_MODEL } from '../icp/schema.ts';
import type { ReasonEvidence } from './reasons.ts';
import { activateModel } from './activation.ts';
import {
  deleteModel,
  failModel,
  abandonQueuedModel,
  insertModel,
  lockTrainingRequests,
  markModelTraining,
  modelToTrain,
  otherActiveModel,
  pinnedNote,
  queuedModel,
  saveTrainedModel,
  setModelJob,
  type ModelArtifact,
} from './repository.ts';
import type { TrainModelBody } from './schema.ts';
import type { Enqueue } from '../jobs/queue.ts';
import { getJob } from '../jobs/repository.ts';
import { DomainError, publicMessage } from '../lib/errors.ts';
import { hasWonOutcome } from '../outcomes/repository.ts';
import { computeIcpAttributes } from '../icp/attributes.ts';
import { getCriteria } from '../icp/repository.ts';

export const DEFAULT_SEED = 42;
/** Unlabelled accounts drawn (deterministically, by seed) as the pool PU bagging samples from. */
export const UNLABELLED_POOL = 20_000;

type LabelledRow = AccountOutcomeRow & { status: OutcomeStatus | null };

interface TrainingSet {
  examples: TrainingExample[];
  accounts: Map<string, Account>;
  statuses: Map<string, OutcomeStatus>;
  universe: number;
}

/** Every account with an outcome, plus a seeded sample of the rest as unlabelled. */
async function loadTrainingSet(db: Queryable, workspaceId: string, vocabulary: Vocabulary, seed: number, now: Date): Promise<TrainingSet> {
  const labelled = (await accountsWithDecidedOutcomes(db, workspaceId)) as LabelledRow[];
  const unlabelled = (await undecidedAccountSample(db, workspaceId, seed, UNLABELLED_POOL)) as LabelledRow[];
  const universe = await countAccounts(db, workspaceId);

  // An amount that is no finite number (stored before values were checked) is no amount: weights stay finite.
  const amountOf = (r: LabelledRow) => finiteOrNull(r.amount);
  const wonAmounts = labelled.flatMap((r) => {
    const amount = amountOf(r);
    return r.status === 'won' && amount !== null && amount > 0 ? [amount] : [];
  });
  const medianWonAmount = median(wonAmounts);
  const examples: TrainingExample[] = [];
  const accounts = new Map<string, Account>();
  const statuses = new Map<string, OutcomeStatus>();
  for (const row of [...labelled, ...unlabelled]) {
    const account = toAccount(row);
    const { label, weight } = outcomeExample(
      { status: row.status, amount: amountOf(row), closedAt: row.closed_at },
      { medianWonAmount, now },
    );
    const { features, similarity } = accountVectors(account, vocabulary);
    examples.push({ id: row.id, features, similarity, label, weight });
    accounts.set(row.id, account);
    if (row.status) statuses.set(row.id, row.status);
  }
  return { examples, accounts, statuses, universe };
}

function fingerprint(set: TrainingSet, vocabularyVersion: number, seed: number, params: object): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ spec: FEATURE_SPEC_VERSION, vocabularyVersion, seed, params }));
  for (const e of set.examples.slice().sort((a, b) => (a.id < b.id ? -1 : 1))) hash.update(`${e.id}:${e.label}:${e.weight ?? 1};`);
  return hash.digest('hex').slice(0, 32);
}

/** Universe share of every token, from the vocabulary's document frequencies, for the reasons' evidence. */
function universeShares(vocabulary: Vocabulary): Record<string, number> {
  const share: Record<string, number> = {};
  if (vocabulary.universeSize > 0) for (const t of vocabulary.tokens) share[t.token] = t.count / vocabulary.universeSize;
  return share;
}

function wonEvidence(set: TrainingSet, features: FeatureInfo[]): Omit<ReasonEvidence, 'universeShare'> {
  const wonIds = [...set.statuses].filter(([, s]) => s === 'won').map(([id]) => id);
  const wonWith: Record<string, number> = {};
  const vectors = new Map(set.examples.map((e) => [e.id, e.features]));
  for (const id of wonIds) {
    for (const i of vectors.get(id)!.index) {
      const f = features[i];
      if (f.term !== null) wonWith[f.key] = (wonWith[f.key] ?? 0) + 1;
    }
  }
  const byBand: Record<string, { won: number; lost: number }> = {};
  let won = 0;
  let lost = 0;
  for (const [id, status] of set.statuses) {
    if (status !== 'won' && status !== 'lost') continue;
    const a = set.accounts.get(id)!;
    const band = sizeBand(a.employees, null);
    if (status === 'won') won++;
    else lost++;
    if (!band) continue;
    byBand[band] ??= { won: 0, lost: 0 };
    byBand[band][status]++;
  }
  const wonAccounts = wonIds.map((id) => set.accounts.get(id)!);
  const medianOf = (values: (number | null)[]) => median(values.filter((v): v is number => v !== null)) ?? undefined;
  return {
    wonCount: wonIds.length,
    wonWith,
    winRateBySizeBand: Object.fromEntries(Object.entries(byBand).map(([band, c]) => [band, c.won / (c.won + c.lost)])),
    overallWinRate: won + lost > 0 ? won / (won + lost) : undefined,
    wonMedian: {
      employees: medianOf(wonAccounts.map((a) => a.employees)),
      revenue: medianOf(wonAccounts.map((a) => a.revenue)),
      foundedYear: medianOf(wonAccounts.map((a) => a.foundedYear)),
      technologies: medianOf(wonAccounts.map((a) => a.technologies.length)),
    },
  };
}

export interface TrainOutcome {
  modelId: string;
  activated: boolean;
  kind: 'forest' | 'similarity';
  note: string;
}

/**
 * The training job: vectors up to date, labelled set from outcomes (+ an unlabelled sample), PU-bagged
 * forest with cross-validated metrics — or, with fewer than MIN_WON_FOR_MODEL won accounts, a
 * similarity-only model with low confidence. Activates it unless it is clearly worse than the active
 * model on the same folds. Idempotent: a model that is already ready is left as it is.
 */
export async function trainModel(
  pool: pg.Pool,
  modelId: string,
  progress: (p: Record<string, unknown>) => Promise<void>,
  // Retention weights age with the calendar; by the day, so retraining the same data the same day gives the same model.
  now = new Date(new Date().toISOString().slice(0, 10)),
): Promise<TrainOutcome> {
  const model = await modelToTrain(pool, modelId);
  if (!model) throw new Error(`model ${modelId} does not exist`);
  if (model.status === 'ready') return { modelId, activated: model.active, kind: model.kind, note: model.activation_note };
  const started = Date.now();
  const workspaceId = model.workspace_id;
  await markModelTraining(pool, modelId);
  const enter = stepTimer(progress, started);
  try {
    const data = await trainingData(pool, model, now, progress, enter);
    const fitted = await fitModel(pool, workspaceId, data, enter);
    const { kind, metrics } = fitted;
    const decision = await activationDecision(
      pool,
      { workspaceId, modelId, kind, metrics, params: data.params, won: data.counts.won },
      data.fold,
      enter,
    );
    await enter('saving');
    const outcome = await saveTraining(pool, { modelId, workspaceId, seed: model.seed, started }, data, fitted, decision);
    await enter('done');
    return outcome;
  } catch (err) {
    // The model's `error` is read by clients: our own words, never a database's (the job's log line has those).
    await failModel(
      pool,
      modelId,
      publicMessage(err, 'Training stopped on an internal error; the service log has the details under its job id'),
      Date.now() - started,
    );
    throw err;
  }
}

type ModelToTrain = NonNullable<Awaited<ReturnType<typeof modelToTrain>>>;

/** Vectors brought up to date, then the labelled set, its counts and the examples and shape the forests are grown on. */
async function trainingData(
  pool: pg.Pool,
  model: ModelToTrain,
  now: Date,
  progress: (p: Record<string, unknown>) => Promise<void>,
  enter: EnterStep,
) {
  const workspaceId = model.workspace_id;
  await enter('vectorising');
  const { vocabularyVersion } = await refreshVectors(pool, workspaceId, (done) =>
    progress({ step: 'vectorising', accountsDone: done, stepSeconds: enter.seconds }),
  );
  const { vocabulary } = (await storedVocabulary(pool, workspaceId))!;
  await enter('loading training set');
  const set = await loadTrainingSet(pool, workspaceId, vocabulary, model.seed, now);
  const features = describeFeatures(vocabulary);
  const counts = labelCounts(set);
  if (counts.won === 0) throw new NoWonAccounts();
  const params = { ...DEFAULT_LOOKALIKE_PARAMS, ...model.params };
  const fold: Fold = {
    examples: set.examples,
    seed: model.seed,
    numericFeatures: NUMERIC_FEATURE_COUNT,
    featureDim: modelFeatureCount(vocabulary),
  };
  return { vocabulary, vocabularyVersion, set, features, counts, params, fold };
}
type TrainingData = Awaited<ReturnType<typeof trainingData>>;

/**
 * The forest (none with fewer than MIN_WON_FOR_MODEL won accounts: a similarity model), the artifact
 * scoring reads, and the ICP profile behind this version.
 */
async function fitModel(pool: pg.Pool, workspaceId: string, data: TrainingData, enter: EnterStep) {
  const { vocabulary, set, features, counts, params, fold } = data;
  const grown = counts.won >= MIN_WON_FOR_MODEL ? await growForest(fold, params, workspaceId, enter) : null;
  const kind: 'forest' | 'similarity' = grown ? 'forest' : 'similarity';
  const metrics = grown?.metrics ?? null;
  const confidence = rankingConfidence({ wonCount: counts.won, cvAuc: metrics?.auc ?? null });
  await enter('profiling the ICP');
  const { criteria } = await getCriteria(pool, workspaceId);
  const blend = metrics ? blendWeights(metrics.blend.similarity) : null;
  const artifact: ModelArtifact = {
    vocabulary,
    forest: grown?.forest ?? null,
    linear: grown?.linear ?? null,
    won: wonVectors(set),
    evidence: { ...wonEvidence(set, features), universeShare: universeShares(vocabulary) },
    criteria,
    blend,
    calibration: metrics?.blend.calibration ?? null,
  };
  // The profile behind this version, so GET /v1/icp can show how the ICP drifted between models.
  const icpProfile = await computeIcpAttributes(pool, workspaceId);
  return { kind, grown, metrics, confidence, blend, artifact, icpProfile };
}

/** Saves the trained version, activated as decided unless a model activated by hand holds the pin; what the job reports. */
async function saveTraining(
  pool: pg.Pool,
  training: { modelId: string; workspaceId: string; seed: number; started: number },
  data: TrainingData,
  fitted: Awaited<ReturnType<typeof fitModel>>,
  decision: { activate: boolean; note: string },
): Promise<TrainOutcome> {
  const { modelId, workspaceId } = training;
  const { kind, grown, metrics, blend } = fitted;
  let { activate, note } = decision;
  await withTransaction(pool, async (client) => {
    const activation = activate ? await activateModel(client, workspaceId, modelId, 'training') : null;
    if (activation && !activation.activated) {
      activate = false;
      note = pinnedNote(activation.pinned);
    }
    await saveTrainedModel(client, modelId, {
      kind,
      confidence: fitted.confidence,
      specVersion: FEATURE_SPEC_VERSION,
      vocabularyVersion: data.vocabularyVersion,
      fingerprint: fingerprint(data.set, data.vocabularyVersion, training.seed, data.params),
      counts: data.counts,
      metrics: metrics && { ...metrics, blend: { ...metrics.blend, weights: blend } },
      importances: grown ? topImportances(featureImportances(grown.forest), data.features, 20) : null,
      artifact: fitted.artifact,
      note,
      durationMs: Date.now() - training.started,
      params: data.params,
      icpProfile: fitted.icpProfile,
    });
  });
  return { modelId, activated: activate, kind, note };
}

/** Enters a named step of a training, reporting it with the seconds each step before took (GET /v1/jobs/{id}). */
function stepTimer(progress: (p: Record<string, unknown>) => Promise<void>, started: number) {
  const seconds: Record<string, number> = {};
  let step = { name: '', start: started };
  const enter = async (name: string, extra: Record<string, unknown> = {}) => {
    if (step.name) seconds[step.name] = Math.round(Date.now() - step.start) / 1000;
    step = { name, start: Date.now() };
    await progress({ step: name, ...extra, stepSeconds: seconds });
  };
  return Object.assign(enter, { seconds });
}
type EnterStep = ReturnType<typeof stepTimer>;

/** The labelled examples by outcome, the unlabelled sample and the universe they were drawn from. */
function labelCounts(set: TrainingSet) {
  const count = (s: OutcomeStatus) => [...set.statuses.values()].filter((v) => v === s).length;
  return {
    won: count('won'),
    competitorCustomers: count('competitor_customer'),
    lost: count('lost'),
    churned: count('churned'),
    unlabelledSample: set.examples.filter((e) => e.label === 'unlabelled').length,
    universe: set.universe,
  };
}

/** Every won account's similarity vector: what similarity to the won accounts is measured against. */
function wonVectors(set: TrainingSet) {
  const vectors = new Map(set.examples.map((e) => [e.id, e.similarity!]));
  return [...set.statuses]
    .filter(([, s]) => s === 'won')
    .map(([id]) => ({ id, domain: set.accounts.get(id)!.domain, vector: vectors.get(id)! }));
}

/** The examples and shape every forest of one training is grown on (the candidate's, and the active model's settings'). */
type Fold = Omit<Parameters<typeof crossValidate>[0], 'params'>;

/**
 * The forest, its 5-fold cross-validation (which also chooses the linear model's share of the fit) and
 * the linear model when it has a share, on the compute thread: a tree at a time, taking turns with
 * other workspaces' trainings (src/compute/thread.ts).
 */
async function growForest(fold: Fold, params: LookalikeParams, workspaceId: string, enter: EnterStep) {
  await enter('training', { examples: fold.examples.length });
  const forest = await runTask(GROW_LOOKALIKE, { ...fold, params }, workspaceId);
  await enter('cross-validating');
  const metrics = await runTask(CROSS_VALIDATE, { ...fold, params }, workspaceId);
  const share = metrics.blend.linear;
  const linear = share > 0 ? { share, model: await runTask(TRAIN_LINEAR, { ...fold, params }, workspaceId) } : null;
  return { forest, metrics, linear };
}

/**
 * Whether the new version should replace the active model, and the note that says why: not when it is
 * clearly worse on the same folds (same data, same seed), nor a similarity model replacing a forest.
 * The pin rule is applied when it is saved (./activation.ts).
 */
async function activationDecision(
  pool: pg.Pool,
  candidate: {
    workspaceId: string;
    modelId: string;
    kind: 'forest' | 'similarity';
    metrics: ReturnType<typeof crossValidate> | null;
    params: LookalikeParams;
    won: number;
  },
  fold: Fold,
  enter: EnterStep,
): Promise<{ activate: boolean; note: string }> {
  const { workspaceId, modelId, kind, metrics, params, won } = candidate;
  const active = await otherActiveModel(pool, workspaceId, modelId);
  if (kind === 'similarity') {
    if (active?.kind === 'forest')
      return { activate: false, note: `Not activated: ${won} won accounts is too few for a forest, and the active model has one.` };
    return {
      activate: true,
      note: `Cold start: ${won} won accounts is fewer than ${MIN_WON_FOR_MODEL}, too few for a forest; prospects are ranked by similarity to the won accounts and declared ICP criteria (PUT /v1/icp/criteria), with low confidence.`,
    };
  }
  if (!active || !metrics || active.kind !== 'forest') return { activate: true, note: 'Activated: the newest ready model.' };
  const activeParams = { ...DEFAULT_LOOKALIKE_PARAMS, ...active.params };
  if (JSON.stringify(activeParams) === JSON.stringify(params)) {
    return { activate: true, note: 'Activated: same settings as the active model, retrained on the current outcomes.' };
  }
  await enter('comparing with the active model');
  const activeMetrics = await runTask(CROSS_VALIDATE, { ...fold, params: activeParams }, workspaceId);
  const comparison = compareModels(metrics, activeMetrics);
  return comparison.clearlyWorse
    ? { activate: false, note: `Not activated, clearly worse than the active model: ${comparison.reason}.` }
    : { activate: true, note: `Activated: ${comparison.reason}.` };
}

/** The day a training starts: retention weights age by the day, so the same data the same day gives the same model. */
export const trainingDay = () => new Date(new Date().toISOString().slice(0, 10));

/**
 * The training fingerprint a training with this seed and these settings would get on the workspace's data
 * now (vectors are brought up to date first, as the training does): retrains reuse a ready model that has it.
 */
export async function currentFingerprint(
  pool: pg.Pool,
  workspaceId: string,
  seed = DEFAULT_SEED,
  params: Partial<LookalikeParams> = {},
  now = trainingDay(),
): Promise<string> {
  const { vocabularyVersion } = await refreshVectors(pool, workspaceId);
  const { vocabulary } = (await storedVocabulary(pool, workspaceId))!;
  const set = await loadTrainingSet(pool, workspaceId, vocabulary, seed, now);
  return fingerprint(set, vocabularyVersion, seed, { ...DEFAULT_LOOKALIKE_PARAMS, ...params });
}

/** Nothing to learn from: no won account in the workspace. */
export class NoWonAccounts extends DomainError {
  constructor() {
    super('invalid', 'no_won_accounts', 'Training needs at least one won account: record outcomes with POST /v1/outcomes first');
  }
}

/** A queued model without a training job this old never got one (its request died between the two). */
const JOBLESS_MODEL_MS = 60_000;
/** How often, and how long at most, a request waits for a queued model another request is still recording. */
const WAIT_FOR_JOB_MS = 50;
const WAIT_FOR_JOB_TIMES = 100;

export interface TrainingRequest {
  modelId: string;
  job: { id: string };
  /** The workspace's queued model answered the request (at most one is queued at a time); false: a new one was queued. */
  alreadyQueued: boolean;
}

/**
 * A workspace has at most one model queued for training. A request while one is queued is answered with
 * it (its training reads the data when it starts, so it covers this request's data too), provided it asks
 * for the same seed and parameters (`anyParams`: whatever they are, as retrains want); else it is a 409.
 * Otherwise a queued model version and its training job are created: the one path for API calls and
 * retrain triggers.
 */
/** The version queued for training whose job is still to run (or running), if any. */
export async function liveQueuedModel(pool: pg.Pool, workspaceId: string): Promise<{ id: string; jobId: string } | null> {
  const queued = await queuedModel(pool, workspaceId);
  if (!queued?.jobId) return null;
  const job = await getJob(pool, workspaceId, queued.jobId);
  return job?.status === 'queued' || job?.status === 'running' ? { id: queued.id, jobId: queued.jobId } : null;
}

export async function requestTraining(
  pool: pg.Pool,
  enqueue: Enqueue,
  workspaceId: string,
  body: TrainModelBody,
  options: { anyParams?: boolean } = {},
): Promise<TrainingRequest> {
  if (!(await hasWonOutcome(pool, workspaceId))) throw new NoWonAccounts();
  const seed = body.seed ?? DEFAULT_SEED;
  const params = body.params ?? {};
  for (let waited = 0; ; waited++) {
    const found = await withTransaction(pool, async (client) => {
      await lockTrainingRequests(client, workspaceId);
      const queued = await queuedModel(client, workspaceId);
      return queued ?? { created: await insertModel(client, workspaceId, seed, params) };
    });
    if ('created' in found) return { ...(await queueTraining(pool, enqueue, workspaceId, found.created)), alreadyQueued: false };
    if (found.jobId) {
      const job = await getJob(pool, workspaceId, found.jobId);
      if (job?.status === 'queued' || job?.status === 'running') {
        const same = found.seed === seed && sameParams(found.params, params);
        if (same || options.anyParams) return { modelId: found.id, job: { id: found.jobId }, alreadyQueued: true };
        throw new DomainError(
          'conflict',
          'training_already_queued',
          `Model ${found.id} is queued for training with other settings; a workspace has one queued training at a time. ` +
            'Wait until it starts (GET /v1/jobs/{id}), then request this one again',
          { model: { id: found.id }, job: { id: found.jobId } },
        );
      }
      // Its job ended without training it (it failed before it started): it never will be.
      await abandonQueuedModel(pool, found.id, 'Its training job ended before training started; a later request replaced it.');
    } else if (found.ageMs > JOBLESS_MODEL_MS) {
      await abandonQueuedModel(pool, found.id, 'Its training job was never recorded; a later request replaced it.');
    } else if (waited >= WAIT_FOR_JOB_TIMES) {
      throw new DomainError(
        'unavailable',
        'training_request_pending',
        'Another training request of this workspace is still being queued; retry in a moment',
      );
    } else {
      // Another request is recording its job right now.
      await sleep(WAIT_FOR_JOB_MS);
    }
  }
}

const sameParams = (a: Partial<LookalikeParams>, b: Partial<LookalikeParams>) =>
  JSON.stringify({ ...DEFAULT_LOOKALIKE_PARAMS, ...a }) === JSON.stringify({ ...DEFAULT_LOOKALIKE_PARAMS, ...b });

/** Records the training job of a model just created; a model whose job could not be queued is removed. */
async function queueTraining(pool: pg.Pool, enqueue: Enqueue, workspaceId: string, modelId: string) {
  let job: { id: string };
  try {
    job = await enqueue(workspaceId, 'model.train', { modelId });
  } catch (err) {
    // Not queued (e.g. Redis unreachable): no version without a job to train it.
    await deleteModel(pool, modelId);
    throw err;
  }
  await setModelJob(pool, modelId, job.id);
  return { modelId, job };
}
