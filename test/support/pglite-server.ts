import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { migrate } from '../../src/db/migrate.ts';
import { openDatabase } from '../../src/db/pool.ts';

/**
 * An in-memory PGlite with pgvector (created, or loaded from a dumped cluster), migrated and served over
 * the Postgres wire protocol on a free loopback port: several processes (API, workers) share it through DATABASE_URL, as they would share
 * PostgreSQL. Every client must connect through `url`, never to the PGlite instance directly.
 */
export async function startPgliteServer(dataDir = 'memory://', loadDataDir?: Blob): Promise<{ url: string; stop(): Promise<void> }> {
  const pglite = await PGlite.create({ dataDir, extensions: { vector }, loadDataDir });
  const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 100 });
  keepExtendedQueriesTogether(server);
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

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  onData(data: Uint8Array): void;
  resolve(bytes: number): void;
  reject(err: unknown): void;
}
interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  processQueue(): Promise<void>;
}

/**
 * pglite-socket (0.2) runs each wire message as it arrives, whichever connection sent it, and keeps
 * connections apart only inside transactions. An extended-protocol query is several messages (Parse,
 * Bind, Execute, …, Sync) sharing the unnamed statement, so two pool connections querying at once can
 * bind one's parameters to the other's statement ("bind message supplies 3 parameters, but prepared
 * statement "" requires 2"). This keeps a connection's messages together until its Sync (or a simple
 * Query), as a real server's per-connection backend does. Test support only: the service never serves
 * the embedded database over the wire (REDIS_URL requires DATABASE_URL).
 */
function keepExtendedQueriesTogether(server: PGLiteSocketServer): void {
  const db = (server as unknown as { db: PGlite }).db;
  const queue = (server as unknown as { queryQueue: QueryQueue }).queryQueue;
  let midQuery: number | null = null; // handler whose extended query has not reached Sync yet
  queue.processQueue = async function processQueue(this: QueryQueue) {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    while (this.queue.length > 0) {
      const owner = midQuery ?? (db.isInTransaction() ? this.lastHandlerId : null);
      const at = owner === null ? 0 : this.queue.findIndex((q) => q.handlerId === owner);
      if (at === -1) break; // wait for the owner's next message
      const [item] = this.queue.splice(at, 1);
      const type = String.fromCharCode(item.message[0]);
      let bytes = 0;
      try {
        await db.runExclusive(() =>
          db.execProtocolRawStream(item.message, {
            onRawData: (d: Uint8Array) => {
              bytes += d.length;
              item.onData(d);
            },
          }),
        );
      } catch (err) {
        item.reject(err);
        midQuery = null;
        continue;
      }
      // Parse, Bind, Describe, Execute, Close, Flush: the query goes on until this connection's Sync.
      midQuery = 'PBDECH'.includes(type) ? item.handlerId : null;
      this.lastHandlerId = item.handlerId;
      item.resolve(bytes);
    }
    this.processing = false;
  };
}
