/**
 * Background work never stalls requests: while a model trains on a universe, or a universe
 * is vectorised (embedded database, in-process jobs: the API, the jobs and PGlite share one process),
 * /health and a prospect page keep answering. The forest grows on the compute thread; what remains on
 * the API's thread are short database statements, each after a turn of the event loop. The bound is
 * loose (a shared, loaded machine); the test prints what it measured.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Readable } from 'node:stream';
import { readCsv } from '../../src/lib/csv.ts';
import { inBackground, PRIORITY_MS, requestStarted, yieldToRequests } from '../../src/lib/priority.ts';
import { loadGeneratedUniverse } from '../../src/demo/load.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

const NOW = new Date('2026-11-01T00:00:00Z');
const p99 = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.ceil(0.99 * xs.length) - 1];

describe('requests while background work runs', () => {
  let t: TestApp;
  let ws: Awaited<ReturnType<TestApp['newWorkspace']>>;

  beforeAll(async () => {
    t = await createTestApp();
    ws = await t.newWorkspace();
    await loadGeneratedUniverse(t.db.pool, ws.id, { seed: 8, count: 8_000, now: NOW });
    // A first model and scores, so prospect pages have something to read during the second training.
    await t.app.inject({ method: 'POST', url: '/v1/models', headers: ws.auth, payload: {} });
    await t.jobs.idle();
  }, 300_000);
  afterAll(() => t.close());

  /**
   * Sends each request in turn, 20 ms apart, until the background work is done; returns their latencies
   * (ms) and how long the work ran. The bounds are shares of that time: a loaded machine slows both.
   */
  async function whileWorking(requests: Record<string, () => Promise<number>>) {
    let working = true;
    const done = t.jobs.idle().then(() => (working = false));
    const started = performance.now();
    const latencies: Record<string, number[]> = Object.fromEntries(Object.keys(requests).map((name) => [name, []]));
    while (working) {
      for (const [name, send] of Object.entries(requests)) {
        const start = performance.now();
        expect(await send()).toBe(200);
        latencies[name].push(performance.now() - start);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    await done;
    return { elapsed: performance.now() - started, latencies };
  }

  it('keeps /health and prospect pages answering while the next model trains and scores', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/models', headers: ws.auth, payload: { seed: 7 } });
    expect(res.statusCode).toBe(202);
    const { elapsed, latencies } = await whileWorking({
      health: async () => (await t.app.inject({ method: 'GET', url: '/health' })).statusCode,
      page: async () => (await t.app.inject({ method: 'GET', url: '/v1/prospects?limit=20', headers: ws.auth })).statusCode,
    });
    const { health, page } = latencies;
    console.log(
      `while training (${(elapsed / 1000).toFixed(1)} s): /health p99 ${p99(health).toFixed(0)} ms (${health.length} requests), prospect page p99 ${p99(page).toFixed(0)} ms`,
    );
    expect(health.length).toBeGreaterThan(20);
    // On the event loop, a training stalled requests for seconds (2.5–16 s for /health): now short
    // statements only (typically 5–10 ms for /health, a few hundred for a page that waits for one).
    expect(p99(health)).toBeLessThan(elapsed / 10);
    expect(p99(page)).toBeLessThan(elapsed / 4);
  }, 300_000);

  it('answers /health over HTTP while a universe is vectorised (statement after statement on the API thread)', async () => {
    const other = await t.newWorkspace();
    await loadGeneratedUniverse(t.db.pool, other.id, { seed: 9, count: 8_000, now: NOW });
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const job = await t.jobs.enqueue(other.id, 'vectors.refresh', {});
    const { elapsed, latencies } = await whileWorking({ health: async () => (await fetch(`${base}/health`)).status });
    const { rows } = await t.db.pool.query("SELECT result FROM jobs WHERE id = $1 AND status = 'completed'", [job.id]);
    expect(rows[0].result).toMatchObject({ vectorised: 8_000 });
    const { health } = latencies;
    console.log(
      `while vectorising (${(elapsed / 1000).toFixed(1)} s): /health p99 ${p99(health).toFixed(0)} ms (${health.length} requests)`,
    );
    // Embedded PGlite answers through promises alone: before each statement yielded a turn of the event
    // loop, the socket waited for the whole job; now for one of its 4 batches at most.
    expect(p99(health)).toBeLessThan(elapsed / 2);
  }, 300_000);
});

describe.skipIf(process.env.DATABASE_URL)("the embedded database's one connection: requests before bulk work", () => {
  let t: TestApp;
  let ws: Awaited<ReturnType<TestApp['newWorkspace']>>;
  beforeAll(async () => {
    t = await createTestApp();
    ws = await t.newWorkspace();
  });
  afterAll(() => t.close());

  it("lets at most the bulk statement under way finish during a request, not one before each of the request's statements", async () => {
    // Bulk work as an import or a job does it: statement after statement, each holding the connection a while.
    let bulkStatements = 0;
    let working = true;
    const bulk = inBackground(async () => {
      while (working) {
        await t.db.pool.query('SELECT count(*) FROM generate_series(1, 300000)');
        bulkStatements++;
      }
    });
    while (bulkStatements === 0) await new Promise((r) => setTimeout(r, 5));
    const during: number[] = [];
    for (let i = 0; i < 5; i++) {
      const before = bulkStatements;
      // No scores yet: the key, the scoring run, the models and the jobs are read to say what is under way.
      const res = await t.app.inject({ method: 'GET', url: '/v1/prospects', headers: ws.auth });
      expect(res.statusCode, res.body).toBe(409);
      during.push(bulkStatements - before);
    }
    working = false;
    await bulk;
    console.log(`bulk statements that finished during each request: ${during.join(', ')}`);
    expect(Math.max(...during)).toBeLessThanOrEqual(1);
  });

  it('a CSV read as bulk work (an import) waits for the requests in flight before each chunk it parses', async () => {
    const requestEnds = requestStarted();
    const records: unknown[] = [];
    const reading = inBackground(async () => {
      for await (const record of readCsv(Readable.from(['domain\na.com\n', 'b.com\n']))) records.push(record);
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(records, 'nothing read while the request is in flight').toEqual([]);
    requestEnds();
    await reading;
    expect(records).toHaveLength(3);
  });

  it(`a request in flight for over ${PRIORITY_MS / 1000} s (a download read slowly) no longer holds bulk work up`, async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const downloadEnds = requestStarted();
      const waits = () => inBackground(async () => yieldToRequests() !== undefined);
      expect(await waits()).toBe(true);
      vi.setSystemTime(Date.now() + PRIORITY_MS + 1);
      expect(await waits(), 'its priority is spent: bulk work goes on beside it').toBe(false);
      const pageEnds = requestStarted();
      expect(await waits(), 'a request that has just started still goes first').toBe(true);
      pageEnds();
      downloadEnds();
    } finally {
      vi.useRealTimers();
    }
  });
});
