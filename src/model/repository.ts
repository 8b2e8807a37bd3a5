import type { Queryable } from '../db/pool.ts';
import type { StoredProfile } from '../icp/drift.ts';
import type { Vocabulary } from '../features/vocabulary.ts';
import type { SparseVector } from '../features/spec.ts';
import type { LookalikeModel, LookalikeParams } from './forest.ts';
import type { StackedLinear } from './linear.ts';
import type { BlendWeights } from './ranking.ts';
import type { ScoreCalibration } from './calibration.ts';
import type { ReasonEvidence } from './reasons.ts';
import type { IcpCriterion } from '../icp/schema.ts';
import type { Model, ModelRecord } from './schema.ts';

/** What scoring, explanations and similarity need from a trained model version. */
export interface ModelArtifact {
  vocabulary: Vocabulary;
  /** Null for a cold-start (similarity-only) model. */
  forest: LookalikeModel | null;
  /** The linear model stacked with the forest and its share of the fit; null (or absent: older versions) when the forest is alone. */
  linear?: StackedLinear | null;
  /** Won accounts with their similarity vectors: the similarity sub-score and the "similar to" list. */
  won: { id: string; domain: string; vector: SparseVector }[];
  evidence: ReasonEvidence;
  /** Declared ICP criteria when the model was trained; blended into the ranking only without a forest. */
  criteria: IcpCriterion[];
  /** Ranking weights chosen by cross-validation; null without a forest. */
  blend: BlendWeights | null;
  /** The combined score's calibration (./calibration.ts); null without a forest, absent in versions trained before it (scored uncalibrated). */
  calibration?: ScoreCalibration | null;
}

interface ModelRow {
  id: string;
  workspace_id: string;
  version: number;
  status: Model['status'];
  active: boolean;
  pinned: boolean;
  kind: Model['kind'];
  confidence: Model['confidence'];
  spec_version: number | null;
  seed: number;
  params: Record<string, unknown>;
  training_fingerprint: string | null;
  counts: Model['counts'];
  metrics: Model['metrics'];
  importances: Model['importances'];
  activation_note: string | null;
  error: string | null;
  duration_ms: number | null;
  job_id: string | null;
  created_at: Date;
  trained_at: Date | null;
}

const COLUMNS = `id, workspace_id, version, status, active, pinned, kind, confidence, spec_version, seed, params, training_fingerprint,
  counts, metrics, importances, activation_note, error, duration_ms, job_id, created_at, trained_at`;

const toModel = (r: ModelRow): ModelRecord => ({
  id: r.id,
  version: r.version,
  status: r.status,
  active: r.active,
  pinned: r.pinned,
  kind: r.kind,
  confidence: r.confidence,
  featureSpecVersion: r.spec_version,
  seed: r.seed,
  params: r.params,
  trainingFingerprint: r.training_fingerprint,
  counts: r.counts,
  metrics: r.metrics,
  importances: r.importances,
  note: r.activation_note,
  error: r.error,
  durationMs: r.duration_ms,
  job: r.job_id ? { id: r.job_id } : null,
  createdAt: r.created_at.toISOString(),
  trainedAt: r.trained_at?.toISOString() ?? null,
});

/** A new version, status queued; the training job fills it in. */
export async function insertModel(db: Queryable, workspaceId: string, seed: number, params: object): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO models (workspace_id, version, seed, params)
     SELECT $1, coalesce(max(version), 0) + 1, $2, $3 FROM models WHERE workspace_id = $1
     RETURNING id`,
    [workspaceId, seed, JSON.stringify(params)],
  );
  return rows[0].id;
}

/**
 * Serialises training requests of one workspace until the transaction ends (a lock on the workspace, not
 * on a row): two at once cannot both find no queued model and queue one each.
 */
export async function lockTrainingRequests(db: Queryable, workspaceId: string): Promise<void> {
  await db.query("SELECT pg_advisory_xact_lock(hashtextextended('model requests ' || $1, 0))", [workspaceId]);
}

/** The workspace's model waiting to be trained (status queued), if any. */
export async function queuedModel(db: Queryable, workspaceId: string) {
  const { rows } = await db.query<{ id: string; seed: number; params: Partial<LookalikeParams>; job_id: string | null; age_ms: number }>(
    `SELECT id, seed, params, job_id, (extract(epoch FROM now() - created_at) * 1000)::float8 AS age_ms
     FROM models WHERE workspace_id = $1 AND status = 'queued' ORDER BY created_at, id LIMIT 1`,
    [workspaceId],
  );
  const r = rows[0];
  return r ? { id: r.id, seed: r.seed, params: r.params, jobId: r.job_id, ageMs: r.age_ms } : null;
}

/** Fails a model that is still queued but will never be trained (its job ended, or it never got one). */
export async function abandonQueuedModel(db: Queryable, modelId: string, error: string): Promise<void> {
  await db.query("UPDATE models SET status = 'failed', error = $2 WHERE id = $1 AND status = 'queued'", [modelId, error]);
}

export async function setModelJob(db: Queryable, modelId: string, jobId: string): Promise<void> {
  await db.query('UPDATE models SET job_id = $2 WHERE id = $1', [modelId, jobId]);
}

export async function getModel(db: Queryable, workspaceId: string, id: string): Promise<ModelRecord | null> {
  const { rows } = await db.query<ModelRow>(`SELECT ${COLUMNS} FROM models WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
  return rows[0] ? toModel(rows[0]) : null;
}

export async function listModels(db: Queryable, workspaceId: string): Promise<ModelRecord[]> {
  const { rows } = await db.query<ModelRow>(`SELECT ${COLUMNS} FROM models WHERE workspace_id = $1 ORDER BY version DESC`, [workspaceId]);
  return rows.map(toModel);
}

/** The workspace's active model's id, whatever its status; null without one. */
export async function activeModelId(db: Queryable, workspaceId: string): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM models WHERE workspace_id = $1 AND active', [workspaceId]);
  return rows[0]?.id ?? null;
}

/** What a page or a fit says of the model behind its scores. */
export interface ModelBrief {
  id: string;
  version: number;
  kind: 'forest' | 'similarity';
  confidence: 'high' | 'medium' | 'low';
  active: boolean;
}

export async function modelBrief(db: Queryable, modelId: string): Promise<ModelBrief> {
  const { rows } = await db.query<ModelBrief>('SELECT id, version, kind, confidence, active FROM models WHERE id = $1', [modelId]);
  return rows[0];
}

/** Whether a version of the workspace is being trained right now. */
export async function trainingUnderWay(db: Queryable, workspaceId: string): Promise<boolean> {
  const { rows } = await db.query("SELECT 1 FROM models WHERE workspace_id = $1 AND status = 'training' LIMIT 1", [workspaceId]);
  return rows.length > 0;
}

/**
 * Workspaces whose ready models were all trained on an older feature spec than `specVersion` (so none is
 * active: they were retired), with no model active, queued or in training: they need a retrain.
 */
export async function workspacesWithRetiredModels(db: Queryable, specVersion: number): Promise<string[]> {
  const { rows } = await db.query<{ workspace_id: string }>(
    `SELECT DISTINCT m.workspace_id FROM models m
     WHERE m.status = 'ready' AND coalesce(m.spec_version, 1) < $1
       AND NOT EXISTS (SELECT 1 FROM models n WHERE n.workspace_id = m.workspace_id
         AND (n.active OR n.status IN ('queued', 'training') OR (n.status = 'ready' AND n.spec_version >= $1)))`,
    [specVersion],
  );
  return rows.map((r) => r.workspace_id);
}

/** The active model's id, version and kind, once it is ready; null without one. */
export async function activeModelRef(
  db: Queryable,
  workspaceId: string,
): Promise<{ id: string; version: number; kind: 'forest' | 'similarity' | null } | null> {
  const { rows } = await db.query<{ id: string; version: number; kind: 'forest' | 'similarity' | null }>(
    "SELECT id, version, kind FROM models WHERE workspace_id = $1 AND active AND status = 'ready'",
    [workspaceId],
  );
  return rows[0] ?? null;
}

/** A model's version number (null for an unknown id). */
export async function modelVersion(db: Queryable, modelId: string): Promise<number | null> {
  const { rows } = await db.query<{ version: number }>('SELECT version FROM models WHERE id = $1', [modelId]);
  return rows[0]?.version ?? null;
}

const toProfile = (row: { id: string; version: number; icp_profile: unknown } | undefined): StoredProfile | null =>
  row ? { id: row.id, version: row.version, profile: row.icp_profile } : null;

export async function activeModelProfile(db: Queryable, workspaceId: string): Promise<StoredProfile | null> {
  const { rows } = await db.query<{ id: string; version: number; icp_profile: unknown }>(
    'SELECT id, version, icp_profile FROM models WHERE workspace_id = $1 AND active',
    [workspaceId],
  );
  return toProfile(rows[0]);
}

/** The newest ready version before `version`. */
export async function previousModelProfile(db: Queryable, workspaceId: string, version: number): Promise<StoredProfile | null> {
  const { rows } = await db.query<{ id: string; version: number; icp_profile: unknown }>(
    `SELECT id, version, icp_profile FROM models
     WHERE workspace_id = $1 AND status = 'ready' AND version < $2 ORDER BY version DESC LIMIT 1`,
    [workspaceId, version],
  );
  return toProfile(rows[0]);
}

/**
 * A ready model's artifact, read from the database each time: callers keep what they derive from it
 * (prospects' scoring models, coverage's reliance), so this is the one copy they start from.
 */
export async function modelArtifact(db: Queryable, modelId: string): Promise<ModelArtifact> {
  const { rows } = await db.query<{ artifact: ModelArtifact | null }>("SELECT artifact FROM models WHERE id = $1 AND status = 'ready'", [
    modelId,
  ]);
  const artifact = rows[0]?.artifact;
  if (!artifact) throw new Error(`model ${modelId} has no artifact`);
  return artifact;
}

/**
 * Makes `modelId` the workspace's only active model; `pin` (activation by hand) pins it, so retrains leave
 * it active. Any other model loses its pin with its activation.
 */
export async function setActiveModel(db: Queryable, workspaceId: string, modelId: string, note: string | null, pin = false): Promise<void> {
  await db.query('UPDATE models SET active = false, pinned = false WHERE workspace_id = $1 AND (active OR pinned) AND id <> $2', [
    workspaceId,
    modelId,
  ]);
  await db.query(
    'UPDATE models SET active = true, pinned = $4, activation_note = coalesce($3, activation_note) WHERE workspace_id = $1 AND id = $2',
    [workspaceId, modelId, note, pin],
  );
}

/** The workspace's pinned model, if any (locked until the transaction ends, when `db` is in one). */
export async function pinnedModel(db: Queryable, workspaceId: string): Promise<{ id: string; version: number } | null> {
  const { rows } = await db.query<{ id: string; version: number }>(
    'SELECT id, version FROM models WHERE workspace_id = $1 AND pinned FOR UPDATE',
    [workspaceId],
  );
  return rows[0] ?? null;
}

/** Unpins the model (it stays active); returns whether it was pinned. */
export async function unpinModel(db: Queryable, workspaceId: string, modelId: string): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE models SET pinned = false WHERE workspace_id = $1 AND id = $2 AND pinned', [
    workspaceId,
    modelId,
  ]);
  return (rowCount ?? 0) > 0;
}

/** What a retrain says when it leaves the pinned model active. */
export const pinnedNote = (pinned: { id: string; version: number }) =>
  `Not activated: the active model (version ${pinned.version}) is pinned because it was activated by hand. ` +
  `Activate this one with POST /v1/models/{id}/activate, or unpin version ${pinned.version} with ` +
  `POST /v1/models/${pinned.id}/unpin so that the next retrain replaces it.`;

/** What the training job reads of the version it trains. */
export async function modelToTrain(db: Queryable, modelId: string) {
  const { rows } = await db.query<{
    workspace_id: string;
    status: string;
    seed: number;
    params: Partial<LookalikeParams>;
    kind: 'forest' | 'similarity';
    active: boolean;
    activation_note: string;
  }>('SELECT workspace_id, status, seed, params, kind, active, activation_note FROM models WHERE id = $1', [modelId]);
  return rows[0] ?? null;
}

/** The workspace's newest model, if any. */
export async function newestModel(db: Queryable, workspaceId: string): Promise<ModelRecord | null> {
  const { rows } = await db.query<ModelRow>(`SELECT ${COLUMNS} FROM models WHERE workspace_id = $1 ORDER BY version DESC LIMIT 1`, [
    workspaceId,
  ]);
  return rows[0] ? toModel(rows[0]) : null;
}

export async function markModelTraining(db: Queryable, modelId: string): Promise<void> {
  await db.query("UPDATE models SET status = 'training', error = NULL WHERE id = $1", [modelId]);
}

/** The workspace's active model other than `modelId`, as training compares with it. */
export async function otherActiveModel(db: Queryable, workspaceId: string, modelId: string) {
  const { rows } = await db.query<{ id: string; kind: string; params: Partial<LookalikeParams> }>(
    'SELECT id, kind, params FROM models WHERE workspace_id = $1 AND active AND id <> $2',
    [workspaceId, modelId],
  );
  return rows[0] ?? null;
}

/** What a finished training stores on its version. */
export interface TrainedModel {
  kind: 'forest' | 'similarity';
  confidence: string;
  specVersion: number;
  vocabularyVersion: number;
  fingerprint: string;
  counts: object;
  metrics: object | null;
  importances: object | null;
  artifact: ModelArtifact;
  note: string;
  durationMs: number;
  params: object;
  icpProfile: object;
}

export async function saveTrainedModel(db: Queryable, modelId: string, m: TrainedModel): Promise<void> {
  await db.query(
    `UPDATE models SET status = 'ready', kind = $2, confidence = $3, spec_version = $4, vocabulary_version = $5,
       training_fingerprint = $6, counts = $7, metrics = $8, importances = $9, artifact = $10, activation_note = $11,
       duration_ms = $12, trained_at = now(), params = $13, icp_profile = $14
     WHERE id = $1`,
    [
      modelId,
      m.kind,
      m.confidence,
      m.specVersion,
      m.vocabularyVersion,
      m.fingerprint,
      JSON.stringify(m.counts),
      JSON.stringify(m.metrics),
      JSON.stringify(m.importances),
      JSON.stringify(m.artifact),
      m.note,
      m.durationMs,
      JSON.stringify(m.params),
      JSON.stringify(m.icpProfile),
    ],
  );
}

export async function failModel(db: Queryable, modelId: string, error: string, durationMs: number): Promise<void> {
  await db.query("UPDATE models SET status = 'failed', error = $2, duration_ms = $3 WHERE id = $1", [modelId, error, durationMs]);
}

/** Removes a version that never got a job to train it. */
export async function deleteModel(db: Queryable, modelId: string): Promise<void> {
  await db.query('DELETE FROM models WHERE id = $1', [modelId]);
}

/** The note of an active model once it is unpinned. */
export async function noteUnpinned(db: Queryable, workspaceId: string, modelId: string): Promise<void> {
  await db.query(
    "UPDATE models SET activation_note = 'Active; unpinned, so the next retrain may replace it.' WHERE workspace_id = $1 AND id = $2 AND active",
    [workspaceId, modelId],
  );
}

/** The first version created in the workspace since `since`, with its training job if recorded. */
export async function firstModelSince(
  db: Queryable,
  workspaceId: string,
  since: string,
): Promise<{ id: string; jobId: string | null } | null> {
  const { rows } = await db.query<{ id: string; job_id: string | null }>(
    'SELECT id, job_id FROM models WHERE workspace_id = $1 AND created_at >= $2 ORDER BY created_at, id LIMIT 1',
    [workspaceId, since],
  );
  return rows[0] ? { id: rows[0].id, jobId: rows[0].job_id } : null;
}

/** Whether the workspace has a ready model with a training fingerprint. */
export async function hasFingerprintedModel(db: Queryable, workspaceId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    "SELECT 1 FROM models WHERE workspace_id = $1 AND status = 'ready' AND training_fingerprint IS NOT NULL LIMIT 1",
    [workspaceId],
  );
  return Boolean(rowCount);
}

/** The newest ready version trained with this fingerprint. */
export async function readyModelWithFingerprint(db: Queryable, workspaceId: string, fingerprint: string) {
  const { rows } = await db.query<{ id: string; version: number; active: boolean }>(
    `SELECT id, version, active FROM models WHERE workspace_id = $1 AND status = 'ready' AND training_fingerprint = $2
     ORDER BY version DESC LIMIT 1`,
    [workspaceId, fingerprint],
  );
  return rows[0] ?? null;
}
