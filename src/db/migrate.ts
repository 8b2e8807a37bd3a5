import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import pgvector from 'pgvector';
import { withTransaction } from './pool.ts';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../sql');

export class MigrationError extends Error {
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(`Migration ${file} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

const MIGRATION_FILE = /^(\d{3})_[a-z0-9_]+\.sql$/;
const MIGRATION_LOCK_KEY = 7_351_002;

/** Applies sql/NNN_name.sql files not yet recorded, in order, each in its own transaction. */
export async function migrate(pool: pg.Pool, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = (await readdir(dir)).filter((f) => MIGRATION_FILE.test(f)).sort();
  await pool.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const applied: string[] = [];
  for (const file of files) {
    const sql = await readFile(path.join(dir, file), 'utf8');
    const ran = await withTransaction(pool, async (client) => {
      // The lock serialises concurrent starters (API and workers); the re-check makes the loser a no-op.
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      const done = await client.query('SELECT 1 FROM schema_migrations WHERE name = $1', [file]);
      if (done.rowCount) return false;
      try {
        await client.query(sql);
      } catch (err) {
        throw new MigrationError(file, err);
      }
      await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
      return true;
    });
    if (ran) applied.push(file);
  }
  await registerVectorType(pool);
  return applied;
}

export async function pendingMigrations(pool: pg.Pool, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = (await readdir(dir)).filter((f) => MIGRATION_FILE.test(f)).sort();
  const done = new Set((await pool.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name));
  return files.filter((f) => !done.has(f));
}

/**
 * Parses `vector` columns into number[] on every connection. The type's OID is fixed once the
 * extension exists, so one global parser serves all pooled connections (including PGlite's).
 */
async function registerVectorType(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ oid: number }>("SELECT oid FROM pg_type WHERE typname = 'vector'");
  for (const { oid } of rows) pg.types.setTypeParser(oid, (value: string) => pgvector.fromSql(value));
}
