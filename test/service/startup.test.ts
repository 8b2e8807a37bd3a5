import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/ports.ts';
import { start, waitFor } from '../support/service-process.ts';

describe('npm start (embedded mode)', () => {
  it('serves /health and /docs with no configuration, shuts down cleanly and keeps its data', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'lookalike-start-'));
    // A free port, not a fixed one: a fixed port may be another session's server on this shared machine.
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', DEMO: 'false' };
    const first = start(env);
    expect((await waitFor(`${base}/health`, 120_000)).status).toBe(200);
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
    await waitFor(`${base}/health`, 120_000);
    const keys = await fetch(`${base}/v1/keys`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(keys.status).toBe(200);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  }, 300_000);

  it('stops with a message naming each bad environment variable', async () => {
    const run = start({ PORT: 'not-a-port', LOG_LEVEL: 'chatty' });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('PORT');
    expect(run.output()).toContain('LOG_LEVEL');
  }, 30_000);
});
