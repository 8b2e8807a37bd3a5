import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A schema of its own on a PostgreSQL server, for one test file or one bench run. */
export interface PrivateSchema {
  schema: string;
  /**
   * The server's URL with `options=-c search_path=<schema>,public` added: every connection opened
   * with it, by any pool in any process (API, worker processes), lands in the private schema.
   */
  url: string;
  /** The same setting as node-postgres's `options` (pg.Pool({ options })). */
  options: string;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

// pgvector lives in `public` (one extension per database, shared by the private schemas).
const EXTENSION_LOCK_KEY = 7_351_003;

/**
 * Creates a uniquely named schema (`<prefix>_<random hex>`) on the server at `databaseUrl`, and the
 * `vector` extension in that database if it is missing (under an advisory lock: parallel test files
 * may race to create it in a fresh database).
 */
export async function createPrivateSchema(databaseUrl: string, prefix: string): Promise<PrivateSchema> {
  const schema = `${prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 40)}_${randomBytes(6).toString('hex')}`;
  await withClient(databaseUrl, async (client) => {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [EXTENSION_LOCK_KEY]);
    await client.query('CREATE EXTENSION IF NOT EXISTS vector');
    await client.query('COMMIT');
    await client.query(`CREATE SCHEMA ${schema}`);
  });
  const options = `-c search_path=${schema},public`;
  return {
    schema,
    url: withConnectionOptions(databaseUrl, options),
    options,
    drop: () =>
      withClient(databaseUrl, async (client) => {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      }),
  };
}

/**
 * `url` with libpq's `options` parameter set (appended to any options it already has). node-postgres
 * and libpq tools (psql) both read it, so child processes given this URL need nothing else.
 */
export function withConnectionOptions(url: string, options: string): string {
  const parsed = new URL(url);
  const existing = parsed.searchParams.get('options');
  parsed.searchParams.set('options', existing ? `${existing} ${options}` : options);
  // URLSearchParams writes spaces as '+', which libpq does not decode: use %20.
  parsed.search = parsed.searchParams.toString().replace(/\+/g, '%20');
  return parsed.toString();
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
