import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppDeps } from '../../src/app.ts';
import type { Database } from '../../src/db/pool.ts';
import type { JobQueue } from '../../src/jobs/queue.ts';
import type { RateLimitOptions } from '../../src/http/rate-limit.ts';
import { openTestDatabase } from './db.ts';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestApp {
  app: FastifyInstance;
  db: Database;
  jobs: JobQueue;
  /** Creates a workspace through the API and returns its id and key. */
  newWorkspace(name?: string): Promise<{ id: string; apiKey: string; auth: { authorization: string } }>;
  close(): Promise<void>;
}

/** Budgets high enough that no test meets them, so the rate-limit code still runs on every request. */
export const TEST_RATE_LIMITS: RateLimitOptions = { perMinute: 1_000_000, authFailuresPerMinute: 1_000_000 };

/**
 * The real app on a real (test) database; `beforeReady` may add routes, e.g. one that throws;
 * `deps` overrides app settings such as debounce delays, module settings and request budgets.
 */
export async function createTestApp(
  beforeReady?: (app: FastifyInstance) => void,
  deps: Pick<AppDeps, 'retrainDebounceMs' | 'settings' | 'rateLimit' | 'trustProxy'> = {},
): Promise<TestApp> {
  const db = await openTestDatabase();
  const { app, jobs } = await buildApp({
    config: { LOG_LEVEL: 'silent' },
    db,
    adminToken: TEST_ADMIN_TOKEN,
    jobs: { log: console },
    spoolDir: path.join(tmpdir(), 'lookalike-test-spool'),
    ...deps,
    rateLimit: deps.rateLimit ?? TEST_RATE_LIMITS,
  });
  beforeReady?.(app);
  await app.ready();
  return {
    app,
    db,
    async newWorkspace(name = 'Test workspace') {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/workspaces',
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
        payload: { name },
      });
      if (res.statusCode !== 201) throw new Error(`workspace creation failed: ${res.statusCode} ${res.body}`);
      const { workspace, apiKey } = res.json();
      return { id: workspace.id, apiKey, auth: { authorization: `Bearer ${apiKey}` } };
    },
    jobs,
    async close() {
      await app.close();
      await jobs.close();
      await db.close();
    },
  };
}
