/**
 * Fair background work, piece by piece: the in-process lanes (round robin across workspaces, a
 * workspace's jobs in order) and the compute thread's turns. The end-to-end check (a small model ready
 * while another workspace trains at the maximum budget behind a trickling receiver) is acceptance.test.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runTask, stopComputeThread } from '../../src/compute/thread.ts';
import { FAILING_WORK, STEPPED_WORK, WHOLE_WORK } from '../support/compute-tasks.ts';
import { Lane } from '../../src/jobs/lane.ts';
import { DomainError } from '../../src/lib/errors.ts';

describe('a lane', () => {
  /** A job that records its start and ends when told to. */
  function recorder() {
    const started: string[] = [];
    const enders = new Map<string, () => void>();
    const job = (name: string) => () =>
      new Promise<void>((resolve) => {
        started.push(name);
        enders.set(name, resolve);
      });
    const end = async (name: string) => {
      enders.get(name)!();
      await new Promise((r) => setImmediate(r));
    };
    return { started, job, end };
  }

  it('takes workspaces in turn: one with many jobs queued delays another’s first job by one of its own', async () => {
    const r = recorder();
    const lane = new Lane(1, () => {});
    for (const name of ['a1', 'a2', 'a3', 'a4']) lane.push('A', r.job(name));
    lane.push('B', r.job('b1'));
    lane.push('C', r.job('c1'));
    expect(r.started).toEqual(['a1']);
    for (const name of ['a1', 'b1', 'c1', 'a2', 'a3']) await r.end(name);
    expect(r.started).toEqual(['a1', 'b1', 'c1', 'a2', 'a3', 'a4']);
    await r.end('a4');
    expect(lane.size).toBe(0);
  });

  it('runs jobs of different workspaces side by side, up to its concurrency, and a workspace’s own one after another', async () => {
    const r = recorder();
    const lane = new Lane(2, () => {});
    lane.push('A', r.job('a1'));
    lane.push('A', r.job('a2'));
    lane.push('B', r.job('b1'));
    lane.push('C', r.job('c1'));
    // a2 waits for a1 although a slot is free for it: B takes it.
    expect(r.started).toEqual(['a1', 'b1']);
    await r.end('b1');
    expect(r.started).toEqual(['a1', 'b1', 'c1']);
    await r.end('a1');
    expect(r.started).toEqual(['a1', 'b1', 'c1', 'a2']);
    await r.end('c1');
    await r.end('a2');
    expect(lane.size).toBe(0);
  });
});

describe('the compute thread', () => {
  afterAll(() => stopComputeThread());

  it('gives a small stepped task of one workspace turns beside a long one of another', async () => {
    // Warm: the thread's start (loading tsx) is not what this measures.
    await runTask(WHOLE_WORK, { ms: 1 });
    const longStarted = Date.now();
    const long = runTask(STEPPED_WORK, { steps: 400, stepMs: 10 }, 'workspace-a').then(() => Date.now() - longStarted);
    await new Promise((r) => setTimeout(r, 200));
    const smallStarted = Date.now();
    const small = await runTask(STEPPED_WORK, { steps: 20, stepMs: 10 }, 'workspace-b');
    const smallTook = Date.now() - smallStarted;
    const longTook = await long;
    expect(small).toBe(20);
    // 0.2 s of work sharing the thread with a 4 s task: done long before it (without turns it would wait for all of it).
    expect(smallTook).toBeLessThan(longTook / 2);
    expect(longTook).toBeGreaterThan(smallTook + 1_000);
  });

  it('runs a whole task between two slices of a long stepped one, and passes a DomainError back as one', async () => {
    const started = Date.now();
    const long = runTask(STEPPED_WORK, { steps: 300, stepMs: 10 }, 'workspace-a').then(() => Date.now() - started);
    await new Promise((r) => setTimeout(r, 200));
    const wholeStarted = Date.now();
    expect(await runTask(WHOLE_WORK, { ms: 10 })).toBe(10);
    expect(Date.now() - wholeStarted).toBeLessThan((await long) / 2);
    const failure = runTask(FAILING_WORK, undefined, 'workspace-a');
    await expect(failure).rejects.toBeInstanceOf(DomainError);
    await expect(failure).rejects.toMatchObject({ kind: 'unprocessable', code: 'training_data' });
  });
});
