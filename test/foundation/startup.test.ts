import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/ports.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

function start(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(TSX, ['src/main.ts'], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'info', DATABASE_URL: '', REDIS_URL: '', ...env } });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(url: string, timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fetch(url);
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

describe('npm start (embedded mode)', () => {
  it('serves /health and /docs with no configuration, shuts down cleanly and keeps its data', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'lookalike-start-'));
    // A free port, not a fixed one: a fixed port may be another session's server on this shared machine.
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', DEMO: 'false' };
    const first = start(env);
    expect((await waitFor(`${base}/health`, 30_000)).status).toBe(200);
    expect((await fetch(`${base}/docs/`)).status).toBe(200);
    const token = /admin token \(kept in [^)]+\): (\S+?)"/.exec(first.output())?.[1];
    expect(token, first.output()).toBeTruthy();
    const created = await fetch(`${base}/v1/workspaces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Persisted' }),
    });
    expect(created.status).toBe(201);
    const { apiKey } = await created.json();
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = start(env);
    await waitFor(`${base}/health`, 30_000);
    const keys = await fetch(`${base}/v1/keys`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(keys.status).toBe(200);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  }, 90_000);

  it('stops with a message naming each bad environment variable', async () => {
    const run = start({ PORT: 'not-a-port', LOG_LEVEL: 'chatty' });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('PORT');
    expect(run.output()).toContain('LOG_LEVEL');
  }, 30_000);
});
