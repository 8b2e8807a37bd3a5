import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { processLog, type JobLog } from '../lib/log.ts';
import { yieldToRequests } from '../lib/priority.ts';
import { retryConflicts } from './retry.ts';

export type DatabaseMode = 'postgres' | 'pglite';

export interface Database {
  pool: pg.Pool;
  mode: DatabaseMode;
  /** The embedded engine, when there is one (served over the wire for worker processes). */
  pglite?: PGlite;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  /** Directory for the embedded database; `memory://` keeps it in memory (tests). */
  dataDir: string;
  /**
   * A data directory dumped by PGlite's dumpDataDir to start the embedded database from, instead of
   * creating one (initdb, the bulk of its start): tests start each of theirs from one empty cluster.
   */
  loadDataDir?: Blob;
  /** Extra connection settings for real Postgres, e.g. a per-test search_path. */
  options?: string;
  maxConnections?: number;
  /** Where a failure of an idle PostgreSQL connection is told (the process's log); JSON lines on stdout by default. */
  log?: Pick<JobLog, 'error'>;
}

/** One pg.Pool for the whole app: real Postgres when a URL is given, embedded PGlite otherwise. */
export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.maxConnections ?? 10,
      options: opts.options,
    });
    const log = opts.log ?? processLog('error', false);
    pool.on('error', (err) => log.error({ err: err.message }, 'idle database client error'));
    // A statement outside a transaction that PostgreSQL aborted for a conflict with another writer did
    // nothing: it runs again (src/db/retry.ts). Statements inside one are retried with their transaction.
    const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
    pool.query = ((...args: unknown[]) =>
      typeof args[args.length - 1] === 'function' ? query(...args) : retryConflicts(() => query(...args))) as typeof pool.query;
    return { pool, mode: 'postgres', close: () => pool.end() };
  }
  const dataDir = opts.dataDir === 'memory://' ? 'memory://' : path.resolve(opts.dataDir, 'pglite');
  if (dataDir !== 'memory://') await mkdir(dataDir, { recursive: true });
  const pglite = await PGlite.create({ dataDir, extensions: { vector }, loadDataDir: opts.loadDataDir });
  // PGlite is a single connection: the pool size stays at 1 and queries queue in the pool.
  // Every pg.Client of the pool shares that one connection, so no client may ever end: ending one
  // (an idle timeout, or pg.Pool discarding a client whose query failed) ends the shared connection
  // under the next client, and the queries after a failed one failed too ("Connection terminated
  // unexpectedly"), e.g. the good rows after a refused one. Idle clients stay; failed queries keep theirs.
  const pool = new pg.Pool({ ...(createPgConfig(pglite) as pg.PoolConfig), idleTimeoutMillis: 0 });
  // PGlite runs each statement on this thread and answers through promises alone, so work that goes
  // from statement to statement (vectorising, an import, a page walk) would never let the event loop
  // turn: every other request, timer and socket of the process would wait for it to end. One turn
  // before each connection is handed out, as the network round trip to PostgreSQL gives.
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  pool.connect = (async () => {
    await nextTurn();
    await yieldToRequests(); // requests' statements before bulk work's (src/lib/priority.ts)
    return connect();
  }) as unknown as typeof pool.connect;
  pool.query = (async (...args: Parameters<pg.PoolClient['query']>) => {
    const client = await pool.connect();
    try {
      return await (client.query as (...a: unknown[]) => Promise<unknown>)(...args);
    } finally {
      client.release();
    }
  }) as typeof pool.query;
  return {
    pool,
    mode: 'pglite',
    pglite,
    async close() {
      await pool.end();
      await pglite.close();
    },
  };
}

/**
 * Runs `work` in one transaction on one connection; rolls back on any error. A transaction PostgreSQL
 * aborts for a conflict with another writer (deadlock, serialisation failure) runs again from the start
 * (src/db/retry.ts), so `work` must not leave effects outside the database before it returns.
 */
export function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return retryConflicts(() => transaction(pool, work));
}

async function transaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;
