/** Job errors shown to clients (GET /v1/jobs/{id}) are our own words, never a database's text. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertJob } from '../../src/jobs/repository.ts';
import { jobErrorMessage, settleJob } from '../../src/jobs/run.ts';
import { DomainError } from '../../src/lib/errors.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { waitFor } from '../support/jobs.ts';

describe('job errors', () => {
  let t: TestApp;
  let ws: Awaited<ReturnType<TestApp['newWorkspace']>>;
  beforeAll(async () => {
    t = await createTestApp();
    ws = await t.newWorkspace();
  });
  afterAll(() => t?.close());

  const jobError = async (id: string) => (await t.app.inject({ method: 'GET', url: `/v1/jobs/${id}`, headers: ws.auth })).json().job;

  it('keep a database error in the log and tell the client in our words', async () => {
    const id = await insertJob(t.db.pool, ws.id, 'vectors.refresh', {});
    await expect(settleJob(t.db.pool, id, () => t.db.pool.query("SELECT 'x'::int"))).rejects.toMatchObject({ code: '22P02' });
    const job = await jobError(id);
    expect(job).toMatchObject({ status: 'failed', error: jobErrorMessage(new Error('any')) });
    expect(job.error).not.toMatch(/invalid input syntax|integer|22P02/);
  });

  it('show a DomainError’s message, which is written for clients', async () => {
    const id = await insertJob(t.db.pool, ws.id, 'vectors.refresh', {});
    const reason = new DomainError('unprocessable', 'no_won_accounts', 'Training needs at least one won account');
    await expect(settleJob(t.db.pool, id, async () => Promise.reject(reason))).rejects.toBe(reason);
    expect((await jobError(id)).error).toBe('Training needs at least one won account');
  });

  it('of a queued job that fails on its own are ours too', async () => {
    const { id } = await t.jobs.enqueue(ws.id, 'scores.refresh', { runId: '00000000-0000-4000-8000-000000000000' });
    const job = await waitFor('the job to fail', async () => {
      const j = await jobError(id);
      return j.status === 'failed' && j;
    });
    expect(job.error).toBe(jobErrorMessage(new Error('any')));
  });
});
