import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';

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
  /** Extra connection settings for real Postgres, e.g. a per-test search_path. */
  options?: string;
  maxConnections?: number;
}

/** One pg.Pool for the whole app: real Postgres when a URL is given, embedded PGlite otherwise. */
export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.maxConnections ?? 10,
      options: opts.options,
    });
    pool.on('error', (err) => console.error('idle database client error', err));
    return { pool, mode: 'postgres', close: () => pool.end() };
  }
  const dataDir = opts.dataDir === 'memory://' ? 'memory://' : path.resolve(opts.dataDir, 'pglite');
  if (dataDir !== 'memory://') await mkdir(dataDir, { recursive: true });
  const pglite = await PGlite.create({ dataDir, extensions: { vector } });
  // PGlite is a single connection: the pool size stays at 1 and queries queue in the pool.
  const pool = new pg.Pool(createPgConfig(pglite) as pg.PoolConfig);
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

/** Runs `work` in one transaction on one connection; rolls back on any error. */
export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
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
