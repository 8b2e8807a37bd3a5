import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import type { Database } from '../../src/db/pool.ts';
import { openTestDatabase } from './db.ts';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestApp {
  app: FastifyInstance;
  db: Database;
  /** Creates a workspace through the API and returns its id and key. */
  newWorkspace(name?: string): Promise<{ id: string; apiKey: string; auth: { authorization: string } }>;
  close(): Promise<void>;
}

/** The real app on a real (test) database; `beforeReady` may add routes, e.g. one that throws. */
export async function createTestApp(beforeReady?: (app: FastifyInstance) => void): Promise<TestApp> {
  const db = await openTestDatabase();
  const app = await buildApp({ config: { LOG_LEVEL: 'silent' }, db, adminToken: TEST_ADMIN_TOKEN, queueMode: 'in-process' });
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
    async close() {
      await app.close();
      await db.close();
    },
  };
}
