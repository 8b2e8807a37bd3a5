/**
 * A background import cut short by SIGKILL ends at the next start: the job is marked failed with a
 * reason (not left `running` for ever), its spooled file is deleted, and sending the file again
 * completes the import.
 */
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountsToCsvLines, generateAccounts } from '../../src/demo/universe.ts';
import { freePort } from '../support/ports.ts';
import { start, waitFor } from '../support/service-process.ts';

const ADMIN_TOKEN = 'interrupted-import-admin-token';

describe('background import interrupted by SIGKILL', () => {
  it('is marked failed at the next start, its spooled file removed, and can be sent again', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'lookalike-kill-'));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', DEMO: 'false', ADMIN_TOKEN };
    const csv = [...accountsToCsvLines(generateAccounts({ seed: 9, count: 60_000 }))].join('');

    const first = start(env);
    try {
      await waitFor(`${base}/health`, 120_000);
      const created = await fetch(`${base}/v1/workspaces`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Kill test' }),
      });
      const auth = { authorization: `Bearer ${(await created.json()).apiKey}` };
      const res = await fetch(`${base}/v1/accounts/import?async=true`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'text/csv' },
        body: csv,
      });
      expect(res.status).toBe(202);
      const jobId = (await res.json()).job.id as string;
      // Wait until the import is under way, then kill the process without warning.
      for (let i = 0; ; i++) {
        const job = (await (await fetch(`${base}/v1/jobs/${jobId}`, { headers: auth })).json()).job;
        if (job.status === 'running' && (job.progress?.rowsDone ?? 0) > 0) break;
        expect(job.status, JSON.stringify(job)).not.toBe('completed'); // too fast to interrupt: make the file larger
        expect(i).toBeLessThan(600);
        await new Promise((r) => setTimeout(r, 100));
      }
      first.killGroup('SIGKILL');
      await first.exited;
      expect((await readdir(path.join(dataDir, 'imports'))).length).toBe(1);

      const second = start(env);
      try {
        await waitFor(`${base}/health`, 120_000);
        let job: { status: string; error?: string } = { status: 'unknown' };
        for (let i = 0; i < 100; i++) {
          job = (await (await fetch(`${base}/v1/jobs/${jobId}`, { headers: auth })).json()).job;
          if (job.status === 'failed') break;
          await new Promise((r) => setTimeout(r, 100));
        }
        expect(job).toMatchObject({ status: 'failed' });
        expect(job.error).toMatch(/^Interrupted: .*send the file again/);
        expect(await readdir(path.join(dataDir, 'imports'))).toEqual([]);

        // Sending the file again stores every row; the ones stored before the kill are unchanged.
        const again = await fetch(`${base}/v1/accounts/import`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'text/csv' },
          body: csv,
        });
        expect(again.status).toBe(200);
        const summary = await again.json();
        expect(summary.inserted + summary.updated + summary.unchanged).toBe(60_000);
        expect(summary.unchanged).toBeGreaterThan(0);
      } finally {
        second.killGroup('SIGTERM');
        await second.exited;
      }
    } finally {
      first.killGroup('SIGKILL');
    }
  }, 300_000);
});
