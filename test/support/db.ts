import { readFile } from 'node:fs/promises';
import { inject } from 'vitest';
import { migrate } from '../../src/db/migrate.ts';
import { openDatabase, type Database } from '../../src/db/pool.ts';
import { createPrivateSchema } from '../../src/db/private-schema.ts';

let emptyCluster: Promise<Blob> | undefined;

/** The empty embedded database cluster the run's global setup dumped (./global-setup.ts), read once per process. */
function emptyPgliteCluster(): Promise<Blob> {
  const file = inject('emptyPgliteCluster');
  if (!file) throw new Error('no PGlite cluster dump: the global setup makes one when DATABASE_URL is unset');
  emptyCluster ??= readFile(file).then((bytes) => new Blob([bytes]));
  return emptyCluster;
}

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default (started from the run's empty
 * cluster rather than a new initdb), or, when DATABASE_URL is set, a private schema on that server (dropped
 * on close). That switch is the only difference.
 */
export async function openTestDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const db = await openDatabase({ dataDir: 'memory://', loadDataDir: await emptyPgliteCluster() });
    await migrate(db.pool);
    return db;
  }
  const place = await createPrivateSchema(url, 'test');
  const db = await openDatabase({ databaseUrl: place.url, dataDir: 'unused' });
  await migrate(db.pool);
  return {
    ...db,
    async close() {
      await db.close();
      await place.drop();
    },
  };
}

/**
 * A migrated database that several processes (the test, `npm run worker` processes) reach through one
 * URL: with DATABASE_URL, a private schema on that server (its URL selects the schema on every
 * connection); without, an in-memory PGlite served over the wire protocol (DESIGN §5).
 */
export async function openSharedTestDatabase(): Promise<{ url: string; engine: 'postgres' | 'pglite-socket'; stop(): Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const { startPgliteServer } = await import('./pglite-server.ts');
    const server = await startPgliteServer('memory://', await emptyPgliteCluster());
    return { url: server.url, engine: 'pglite-socket', stop: () => server.stop() };
  }
  const place = await createPrivateSchema(url, 'test');
  const db = await openDatabase({ databaseUrl: place.url, dataDir: 'unused', maxConnections: 1 });
  try {
    await migrate(db.pool);
  } finally {
    await db.close();
  }
  return { url: place.url, engine: 'postgres', stop: () => place.drop() };
}
