import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { buildApp } from '../../src/app.ts';
import type { Database } from '../../src/db/pool.ts';
import { loadGeneratedUniverse } from '../../src/demo/load.ts';
import type { WorkerSettings } from '../../src/jobs/worker.ts';
import type { JobQueueOptions } from '../../src/app.ts';
import type { JobQueue } from '../../src/jobs/queue.ts';
import { getJob } from '../../src/jobs/repository.ts';
import type { Job } from '../../src/jobs/schema.ts';
import { createWorkspace } from '../../src/workspaces/service.ts';

/**
 * Lock settings short enough that a killed worker's job is taken over within seconds. The lock must still
 * outlive the longest synchronous stretch of a training on the small test data, on busy shared cores.
 */
export const FAST_WORKER_SETTINGS: WorkerSettings = {
  lockDuration: { training: 10_000, scoring: 10_000, vectors: 10_000, webhooks: 10_000 },
  stalledInterval: 1_000,
  maxStalledCount: 2,
};

export const quietLog = { info: () => {}, warn: () => {}, error: (obj: object, msg: string) => console.error(msg, obj) };

export async function waitFor<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the job is completed; a failed job fails the test with its error. */
export async function jobCompleted(pool: pg.Pool, workspaceId: string, id: string, timeoutMs = 60_000): Promise<Job> {
  return waitFor(
    `job ${id}`,
    async () => {
      const job = (await getJob(pool, workspaceId, id))!;
      if (job.status === 'failed') throw new Error(`job ${id} (${job.type}) failed: ${job.error}`);
      return job.status === 'completed' && job;
    },
    timeoutMs,
  );
}

/**
 * Marks `count` untouched accounts of the workspace lost, one request each (what a CRM sync does),
 * and returns the ids of the retrain jobs those changes scheduled.
 */
export async function loseOutcomesOneByOne(
  app: FastifyInstance,
  pool: pg.Pool,
  ws: { id: string; auth: { authorization: string } },
  count: number,
) {
  const { rows } = await pool.query<{ domain: string }>(
    'SELECT domain FROM accounts a WHERE workspace_id = $1 AND NOT EXISTS (SELECT 1 FROM outcomes o WHERE o.account_id = a.id) ORDER BY id LIMIT $2',
    [ws.id, count],
  );
  for (const { domain } of rows) {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/outcomes',
      headers: ws.auth,
      payload: { outcomes: [{ domain, status: 'lost' }] },
    });
    if (res.json().recorded !== 1) throw new Error(`outcome for ${domain} not recorded: ${res.body}`);
  }
  const retrains = await pool.query<{ id: string }>("SELECT id FROM jobs WHERE workspace_id = $1 AND type = 'model.retrain'", [ws.id]);
  return retrains.rows.map((r) => r.id);
}

export interface JobsApp {
  app: FastifyInstance;
  jobs: JobQueue;
  /** A workspace with a small generated universe (accounts, outcomes, signals). */
  newWorkspace(count?: number): Promise<{ id: string; auth: { authorization: string } }>;
  close(): Promise<void>;
}

/** The real app on `db`, its jobs queued per `options` (BullMQ with a redisUrl, else in-process). */
export async function jobsApp(db: Database, options: JobQueueOptions & { retrainDebounceMs?: number } = {}): Promise<JobsApp> {
  const { retrainDebounceMs, ...queue } = options;
  const { app, jobs } = await buildApp({
    config: { LOG_LEVEL: 'silent' },
    db,
    adminToken: 'unused-admin-token-0123456789',
    jobs: { ...queue, log: quietLog },
    settings: queue,
    spoolDir: path.join(tmpdir(), 'lookalike-test-spool'),
    retrainDebounceMs,
  });
  await app.ready();
  return {
    app,
    jobs,
    async newWorkspace(count = 1_500) {
      const { workspace, apiKey } = await createWorkspace(db.pool, 'Jobs test');
      await loadGeneratedUniverse(db.pool, workspace.id, { seed: 11, count, now: new Date() });
      return { id: workspace.id, auth: { authorization: `Bearer ${apiKey}` } };
    },
    async close() {
      await app.close();
      await jobs.close();
    },
  };
}
