import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MigrationError, migrate, pendingMigrations } from '../../src/db/migrate.ts';
import type { Database } from '../../src/db/pool.ts';
import { openTestDatabase } from '../support/db.ts';

describe('migrations', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db.close());

  it('applies every file once; running again is a no-op', async () => {
    expect(await pendingMigrations(db.pool)).toEqual([]);
    const before = await db.pool.query('SELECT name, applied_at FROM schema_migrations ORDER BY name');
    expect(before.rows.length).toBeGreaterThan(0);
    expect(await migrate(db.pool)).toEqual([]);
    const after = await db.pool.query('SELECT name, applied_at FROM schema_migrations ORDER BY name');
    expect(after.rows).toEqual(before.rows);
  });

  it('creates the vector extension and parses vectors into arrays', async () => {
    const { rows } = await db.pool.query("SELECT '[1,2,3]'::vector AS v");
    expect(rows[0].v).toEqual([1, 2, 3]);
  });

  it('fails loudly on a bad migration, naming the file and the SQL error, and records nothing of it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'migrations-'));
    await writeFile(path.join(dir, '001_good.sql'), 'CREATE TABLE migration_probe_good (id int);');
    await writeFile(path.join(dir, '002_bad.sql'), 'CREATE TABLE migration_probe_bad (id int); SELEC oops;');
    const failure = await migrate(db.pool, dir).catch((err) => err);
    expect(failure).toBeInstanceOf(MigrationError);
    expect(failure.message).toContain('002_bad.sql');
    expect(failure.message).toMatch(/syntax error/);
    const names = (await db.pool.query('SELECT name FROM schema_migrations')).rows.map((r) => r.name);
    expect(names).toContain('001_good.sql');
    expect(names).not.toContain('002_bad.sql');
    // The failed file's own statements were rolled back with it.
    const bad = await db.pool.query("SELECT to_regclass('migration_probe_bad') AS t");
    expect(bad.rows[0].t).toBeNull();
  });
});
