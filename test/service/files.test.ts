/** Files private by default: the embedded data directory 0700, its files 0600. */
import { chmod, mkdir, mkdtemp, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { makePrivate } from '../../src/files.ts';
import { startService } from '../../src/service.ts';

async function modes(dir: string): Promise<{ file: string; mode: number; dir: boolean }[]> {
  const out = [];
  for (const entry of await readdir(dir, { recursive: true })) {
    const s = await stat(path.join(dir, entry));
    out.push({ file: entry, mode: s.mode & 0o777, dir: s.isDirectory() });
  }
  return out;
}

describe('private files', () => {
  const umask = process.umask();
  afterAll(() => {
    process.umask(umask);
  });

  it('makePrivate changes an existing world-writable tree to 0700/0600', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lookalike-private-'));
    await mkdir(path.join(dir, 'pglite', 'base'), { recursive: true });
    await writeFile(path.join(dir, 'pglite', 'base', '1234'), 'x');
    await writeFile(path.join(dir, 'admin-token'), 'x');
    for (const p of ['pglite', 'pglite/base']) await chmod(path.join(dir, p), 0o777);
    for (const p of ['pglite/base/1234', 'admin-token']) await chmod(path.join(dir, p), 0o666);
    await makePrivate(dir);
    for (const { file, mode, dir: isDir } of await modes(dir)) expect(mode, file).toBe(isDir ? 0o700 : 0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it('the embedded service keeps DATA_DIR (database, admin token) readable by its user only', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'lookalike-datadir-'));
    await chmod(dataDir, 0o777);
    const service = await startService(loadConfig({ DATA_DIR: dataDir, PORT: '0', DEMO: 'false', LOG_LEVEL: 'silent' }));
    try {
      const res = await service.app.inject({ method: 'GET', url: '/health' });
      expect(res.statusCode).toBe(200);
      // While running: no directory another user could enter, so no file another user could reach.
      const running = await modes(dataDir);
      expect(running.filter((f) => f.dir && f.mode !== 0o700)).toEqual([]);
      expect(running.filter((f) => !f.dir && (f.mode & 0o077) !== 0)).toEqual([]);
    } finally {
      await service.stop();
    }
    const all = await modes(dataDir);
    expect(all.length).toBeGreaterThan(100);
    expect(all.filter((f) => (f.mode & 0o077) !== 0)).toEqual([]);
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
  }, 120_000);
});
