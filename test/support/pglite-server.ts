import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { migrate } from '../../src/db/migrate.ts';
import { openDatabase } from '../../src/db/pool.ts';

/**
 * An in-memory PGlite with pgvector, migrated and served over the Postgres wire protocol on a free
 * loopback port: several processes (API, workers) share it through DATABASE_URL, as they would share
 * PostgreSQL. Every client must connect through `url`, never to the PGlite instance directly.
 */
export async function startPgliteServer(dataDir = 'memory://'): Promise<{ url: string; stop(): Promise<void> }> {
  const pglite = await PGlite.create({ dataDir, extensions: { vector } });
  const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 100 });
  await server.start();
  const url = `postgres://postgres@${server.getServerConn()}/postgres`;
  const db = await openDatabase({ databaseUrl: url, dataDir: 'unused', maxConnections: 1 });
  await migrate(db.pool);
  await db.close();
  return {
    url,
    async stop() {
      await server.stop();
      await pglite.close();
    },
  };
}
