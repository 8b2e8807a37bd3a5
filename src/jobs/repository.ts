import type { Queryable } from '../db/pool.ts';
import type { Every, JobSchedule } from './queue.ts';
import type { Job } from './schema.ts';
import type { JobType } from './types.ts';

interface JobRow {
  id: string;
  workspace_id: string;
  type: string;
  status: Job['status'];
  payload: unknown;
  progress: Record<string, unknown> | null;
  result: unknown;
  error: string | null;
  attempts: number;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

const toJob = (row: JobRow): Job => ({
  id: row.id,
  type: row.type,
  status: row.status,
  progress: row.progress,
  result: row.result,
  error: row.error,
  attempts: row.attempts,
  createdAt: row.created_at.toISOString(),
  startedAt: row.started_at?.toISOString() ?? null,
  finishedAt: row.finished_at?.toISOString() ?? null,
});

export async function insertJob(db: Queryable, workspaceId: string, type: string, payload: unknown): Promise<string> {
  const { rows } = await db.query<{ id: string }>('INSERT INTO jobs (workspace_id, type, payload) VALUES ($1, $2, $3) RETURNING id', [
    workspaceId,
    type,
    JSON.stringify(payload),
  ]);
  return rows[0].id;
}

export async function getJob(db: Queryable, workspaceId: string, id: string): Promise<Job | null> {
  const { rows } = await db.query<JobRow>('SELECT * FROM jobs WHERE workspace_id = $1 AND id = $2', [workspaceId, id]);
  return rows[0] ? toJob(rows[0]) : null;
}

export async function listJobs(db: Queryable, workspaceId: string, limit: number): Promise<Job[]> {
  const { rows } = await db.query<JobRow>('SELECT * FROM jobs WHERE workspace_id = $1 ORDER BY created_at DESC, id LIMIT $2', [
    workspaceId,
    limit,
  ]);
  return rows.map(toJob);
}

export async function markJobRunning(db: Queryable, id: string): Promise<void> {
  await db.query("UPDATE jobs SET status = 'running', attempts = attempts + 1, started_at = now(), error = NULL WHERE id = $1", [id]);
}

export async function setJobProgress(db: Queryable, id: string, progress: Record<string, unknown>): Promise<void> {
  await db.query('UPDATE jobs SET progress = $2 WHERE id = $1', [id, JSON.stringify(progress)]);
}

export async function completeJob(db: Queryable, id: string, result: unknown): Promise<void> {
  await db.query("UPDATE jobs SET status = 'completed', result = $2, finished_at = now() WHERE id = $1", [
    id,
    JSON.stringify(result ?? null),
  ]);
}

export async function failJob(db: Queryable, id: string, error: string): Promise<void> {
  await db.query("UPDATE jobs SET status = 'failed', error = $2, finished_at = now() WHERE id = $1", [id, error]);
}

export interface UnfinishedJob {
  id: string;
  workspaceId: string;
  type: JobType;
  payload: unknown;
}

/** Jobs of these types still queued or running, oldest first: what a restart hands back or ends. */
export async function unfinishedJobs(db: Queryable, types: readonly JobType[]): Promise<UnfinishedJob[]> {
  const { rows } = await db.query<{ id: string; workspace_id: string; type: JobType; payload: unknown }>(
    `SELECT id, workspace_id, type, payload FROM jobs
     WHERE status IN ('queued', 'running') AND type = ANY($1) ORDER BY created_at, id`,
    [types],
  );
  return rows.map((r) => ({ id: r.id, workspaceId: r.workspace_id, type: r.type, payload: r.payload }));
}

/** How many jobs of these types the workspace has queued or running (or only `running`), other than `exceptId` (if given). */
export async function countUnfinishedJobs(
  db: Queryable,
  workspaceId: string,
  types: readonly JobType[],
  { exceptId = null, statuses = ['queued', 'running'] }: { exceptId?: string | null; statuses?: readonly ('queued' | 'running')[] } = {},
): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM jobs
     WHERE workspace_id = $1 AND type = ANY($2) AND status = ANY($3) AND ($4::uuid IS NULL OR id <> $4)`,
    [workspaceId, types, statuses, exceptId],
  );
  return rows[0].n;
}

/** When a job's row went running (a chunked job's: with its first chunk). */
export async function jobStartedAt(db: Queryable, id: string): Promise<number | null> {
  const { rows } = await db.query<{ started_at: Date | null }>('SELECT started_at FROM jobs WHERE id = $1', [id]);
  return rows[0]?.started_at?.getTime() ?? null;
}

/** Removes the row of a job that never reached the queue. */
export async function discardJob(db: Queryable, id: string): Promise<void> {
  await db.query('DELETE FROM jobs WHERE id = $1', [id]);
}

/** The debounced job of this type still waiting in the workspace, if any. */
export async function pendingJob(db: Queryable, workspaceId: string, type: JobType): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    "SELECT id FROM jobs WHERE workspace_id = $1 AND type = $2 AND status = 'queued' ORDER BY created_at LIMIT 1",
    [workspaceId, type],
  );
  return rows[0]?.id;
}

/** A failed attempt that will be retried: queued again, with the failure as its note. */
export async function requeueJob(db: Queryable, id: string, note: string): Promise<void> {
  await db.query("UPDATE jobs SET status = 'queued', finished_at = NULL, error = $2 WHERE id = $1", [id, note]);
}

/** A chunked job's row goes running with whichever chunk starts first. */
export async function markChunkedJobRunning(db: Queryable, id: string): Promise<void> {
  await db.query("UPDATE jobs SET status = 'running', started_at = now(), attempts = attempts + 1 WHERE id = $1 AND status = 'queued'", [
    id,
  ]);
}

/**
 * Counts `items.length` more under `key` in the job's progress, and keeps the first `kept` items under
 * `listKey` (e.g. the accounts a scoring run skipped, and why). Safe with chunks reporting at once.
 */
export async function tallyInProgress(db: Queryable, id: string, key: string, listKey: string, items: unknown[], kept: number) {
  await db.query(
    `UPDATE jobs SET progress = coalesce(progress, '{}') || jsonb_build_object(
       $2::text, coalesce((progress->>$2)::int, 0) + $4::int,
       $3::text, (SELECT coalesce(jsonb_agg(item), '[]') FROM (
         SELECT item FROM jsonb_array_elements(coalesce(progress->$3, '[]') || $5::jsonb) AS item LIMIT $6) kept))
     WHERE id = $1`,
    [id, key, listKey, items.length, JSON.stringify(items), kept],
  );
}

/** Notes a chunk's failed attempt on its job's row. */
export async function recordChunkError(db: Queryable, id: string, note: string): Promise<void> {
  await db.query(
    `UPDATE jobs SET progress = progress || jsonb_build_object('chunkErrors', coalesce(progress->'chunkErrors', '[]') || to_jsonb($2::text))
     WHERE id = $1`,
    [id, note],
  );
}

/**
 * Counts chunk `index` as done on the job row, once: a repeated chunk (retried, or run again after a
 * crash) is not counted twice. Safe with chunks finishing at once on several workers: the WHERE and SET
 * are re-evaluated on the latest row version.
 */
export async function recordChunkDone(db: Queryable, jobId: string, index: number, accounts: number): Promise<void> {
  await db.query(
    `UPDATE jobs SET progress = progress || jsonb_build_object(
       'chunksDone', (progress->>'chunksDone')::int + 1,
       'accountsDone', (progress->>'accountsDone')::int + $3,
       'doneChunks', (progress->'doneChunks') || to_jsonb($2::int))
     WHERE id = $1 AND NOT (progress->'doneChunks') @> to_jsonb($2::int)`,
    [jobId, index, accounts],
  );
}

/** The time the job's first attempt began, stamped by that attempt and read back by its retries (the database's clock). */
export async function firstAttemptAt(db: Queryable, id: string): Promise<string> {
  const { rows } = await db.query<{ since: string }>(
    `UPDATE jobs SET progress = coalesce(progress, jsonb_build_object('since', now())) WHERE id = $1 RETURNING progress->>'since' AS since`,
    [id],
  );
  return rows[0].since;
}

/** Whether a job of this type whose payload has `key` = `value` failed for good. */
export async function hasFailedJob(db: Queryable, type: JobType, key: string, value: string): Promise<boolean> {
  const { rowCount } = await db.query("SELECT 1 FROM jobs WHERE type = $1 AND payload->>$2 = $3 AND status = 'failed' LIMIT 1", [
    type,
    key,
    value,
  ]);
  return Boolean(rowCount);
}

export async function saveSchedule(
  db: Queryable,
  workspaceId: string,
  type: JobType,
  payload: unknown,
  every: Every | null,
): Promise<void> {
  if (every === null) {
    await db.query('DELETE FROM job_schedules WHERE workspace_id = $1 AND type = $2', [workspaceId, type]);
    return;
  }
  await db.query(
    `INSERT INTO job_schedules (workspace_id, type, payload, every_ms, offset_ms) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (workspace_id, type) DO UPDATE
       SET payload = EXCLUDED.payload, every_ms = EXCLUDED.every_ms, offset_ms = EXCLUDED.offset_ms, updated_at = now()`,
    [workspaceId, type, JSON.stringify(payload), every.everyMs, every.offsetMs],
  );
}

export async function listSchedules(db: Queryable, filter: { workspaceId?: string; type?: JobType } = {}): Promise<JobSchedule[]> {
  const { rows } = await db.query<{ workspace_id: string; type: JobType; payload: unknown; every_ms: string; offset_ms: string }>(
    `SELECT workspace_id, type, payload, every_ms, offset_ms FROM job_schedules
     WHERE ($1::uuid IS NULL OR workspace_id = $1) AND ($2::text IS NULL OR type = $2) ORDER BY workspace_id, type`,
    [filter.workspaceId ?? null, filter.type ?? null],
  );
  return rows.map((r) => ({
    workspaceId: r.workspace_id,
    type: r.type,
    payload: r.payload,
    every: { everyMs: Number(r.every_ms), offsetMs: Number(r.offset_ms) },
  }));
}
