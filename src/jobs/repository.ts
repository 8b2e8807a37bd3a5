import type { Queryable } from '../db/pool.ts';
import type { Job } from './schema.ts';

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
  const { rows } = await db.query<{ id: string }>(
    'INSERT INTO jobs (workspace_id, type, payload) VALUES ($1, $2, $3) RETURNING id',
    [workspaceId, type, JSON.stringify(payload)],
  );
  return rows[0].id;
}

export async function getJob(db: Queryable, workspaceId: string, id: string): Promise<Job | null> {
  const { rows } = await db.query<JobRow>('SELECT * FROM jobs WHERE workspace_id = $1 AND id = $2', [workspaceId, id]);
  return rows[0] ? toJob(rows[0]) : null;
}

export async function listJobs(db: Queryable, workspaceId: string, limit: number): Promise<Job[]> {
  const { rows } = await db.query<JobRow>(
    'SELECT * FROM jobs WHERE workspace_id = $1 ORDER BY created_at DESC, id LIMIT $2',
    [workspaceId, limit],
  );
  return rows.map(toJob);
}

export async function markJobRunning(db: Queryable, id: string): Promise<void> {
  await db.query(
    "UPDATE jobs SET status = 'running', attempts = attempts + 1, started_at = now(), error = NULL WHERE id = $1",
    [id],
  );
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

/** Jobs of these types still queued or running, oldest first: what a restart hands back or ends. */
export async function unfinishedJobs<T extends string>(db: Queryable, types: readonly T[]): Promise<{ id: string; workspaceId: string; type: T; payload: unknown }[]> {
  const { rows } = await db.query<{ id: string; workspace_id: string; type: T; payload: unknown }>(
    `SELECT id, workspace_id, type, payload FROM jobs
     WHERE status IN ('queued', 'running') AND type = ANY($1) ORDER BY created_at, id`,
    [types],
  );
  return rows.map((r) => ({ id: r.id, workspaceId: r.workspace_id, type: r.type, payload: r.payload }));
}
