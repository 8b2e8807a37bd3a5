import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../scripts/demo.ts';
import type { Database } from '../../src/db/pool.ts';
import { createJobQueue } from '../../src/app.ts';
import { workspaceForKey } from '../../src/workspaces/service.ts';
import { openTestDatabase } from '../support/db.ts';
import { quietLog } from '../support/jobs.ts';

// `npm run demo` on any database: the test database is PostgreSQL when DATABASE_URL is set, PGlite otherwise.
describe('npm run demo', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db?.close());

  it('loads the demo workspace, trains and scores its model, and prints a key that works; a second run finds it', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'lookalike-demo-'));
    const lines: string[] = [];
    const log = { ...quietLog, info: (_: object, msg: string) => void lines.push(msg) };
    const jobs = createJobQueue(db, log);
    const key = await loadDemo({ db, jobs, dataDir, baseUrl: 'http://127.0.0.1:3000', log, accounts: 1_500 });
    expect((await readFile(path.join(dataDir, 'demo-api-key'), 'utf8')).trim()).toBe(key);
    const workspaceId = (await workspaceForKey(db.pool, key))!;
    expect(workspaceId).toBeTruthy();
    const models = await db.pool.query('SELECT status, active FROM models WHERE workspace_id = $1', [workspaceId]);
    expect(models.rows).toEqual([{ status: 'ready', active: true }]);
    expect(lines.some((l) => l.includes(`demo workspace API key: ${key}`))).toBe(true);
    expect(lines.every((l) => !l.includes('\n'))).toBe(true);
    expect(lines.some((l) => /^job model\.train done in .* ready \(/.test(l))).toBe(true);
    expect(lines.some((l) => /^job scores\.refresh done in .*: 1,500 accounts scored$/.test(l))).toBe(true);

    lines.length = 0;
    expect(await loadDemo({ db, jobs, dataDir, baseUrl: 'http://127.0.0.1:3000', log, accounts: 1_500 })).toBe(key);
    expect(lines.some((l) => l.startsWith('creating the demo workspace'))).toBe(false);
    await jobs.close();
  }, 180_000);
});
