/**
 * One tenant cannot hold up the others' jobs, in either queue mode: while workspace A trains at the
 * maximum budget (both limits of the cost budget: 50 bags × 20 trees, 50 × 4 unlabelled per positive)
 * and its webhook receiver trickles a byte at a time, workspace B's small model is ready within 30 s.
 * Before, in-process jobs of all workspaces ran in one chain and training held the one compute thread:
 * B waited for all of A's training (minutes) and for A's deliveries (each as long as the receiver liked).
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobHandlers } from '../../src/app.ts';
import { stopComputeThread } from '../../src/compute/thread.ts';
import type { Database } from '../../src/db/pool.ts';
import { startWorkers } from '../../src/jobs/worker.ts';
import { emitEvent } from '../../src/webhooks/service.ts';
import { openTestDatabase } from '../support/db.ts';
import { FAST_WORKER_SETTINGS, jobsApp, quietLog, waitFor, type JobsApp } from '../support/jobs.ts';
import { obliterateQueues, redisForTests, testPrefix } from '../support/redis.ts';

/** Both limits of the training cost budget (TRAINING_BUDGET): 1,000 trees, 200 unlabelled draws. */
export const MAX_BUDGET_PARAMS = { bags: 50, treesPerBag: 20, unlabelledRatio: 4 };

/** A receiver that sends its headers at once, then one byte of its body every 2 s. */
export async function tricklingReceiver() {
  const sockets = new Set<Socket>();
  const timers: NodeJS.Timeout[] = [];
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('data', () => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n');
      timers.push(setInterval(() => socket.writable && socket.write('x'), 2_000));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    close() {
      timers.forEach(clearInterval);
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const redisUrl = await redisForTests();

for (const mode of ['in-process', 'bullmq'] as const) {
  describe.skipIf(mode === 'bullmq' && !redisUrl)(`fair background work (${mode})`, () => {
    const prefix = testPrefix('fair');
    let db: Database;
    let t: JobsApp;
    let workers: ReturnType<typeof startWorkers> | undefined;
    let receiver: Awaited<ReturnType<typeof tricklingReceiver>>;
    let a: Awaited<ReturnType<JobsApp['newWorkspace']>>;
    let b: Awaited<ReturnType<JobsApp['newWorkspace']>>;

    beforeAll(async () => {
      db = await openTestDatabase();
      // The trickling receiver listens on 127.0.0.1.
      t = await jobsApp(db, { webhookAllowPrivate: true, ...(mode === 'bullmq' && { redisUrl: redisUrl!, prefix }) });
      if (mode === 'bullmq') {
        workers = startWorkers({
          pool: db.pool,
          handlers: createJobHandlers(db, { webhookAllowPrivate: true }),
          redisUrl: redisUrl!,
          prefix,
          log: quietLog,
          settings: FAST_WORKER_SETTINGS,
        });
      }
      receiver = await tricklingReceiver();
      a = await t.newWorkspace(1_500);
      b = await t.newWorkspace(600);
    }, 300_000);

    afterAll(async () => {
      // A's training need not finish: without its compute thread it fails at once (a new thread serves what follows).
      await stopComputeThread();
      await workers?.close();
      await t?.close();
      if (mode === 'bullmq') await obliterateQueues(redisUrl!, prefix);
      await receiver?.close();
      await db?.close();
    }, 300_000);

    const modelStatus = async (id: string) =>
      (await db.pool.query<{ status: string }>('SELECT status FROM models WHERE id = $1', [id])).rows[0].status;

    it("has another tenant's small model ready within 30 s while one trains at the maximum budget behind a trickling receiver", async () => {
      const hook = await t.app.inject({
        method: 'POST',
        url: '/v1/webhooks',
        headers: a.auth,
        payload: { url: receiver.url, events: ['scoring.completed', 'model.ready'] },
      });
      expect(hook.statusCode, hook.body).toBe(201);
      for (let i = 0; i < 3; i++) {
        await emitEvent(
          db.pool,
          t.jobs.enqueue,
          { workspaceId: a.id, type: 'scoring.completed', dedupeKey: `trickle:${i}`, data: {} },
          console,
        );
      }
      const big = await t.app.inject({ method: 'POST', url: '/v1/models', headers: a.auth, payload: { params: MAX_BUDGET_PARAMS } });
      expect(big.statusCode, big.body).toBe(202);
      const bigModel = big.json().model.id;
      // B asks once A's forest is growing: the compute thread is busy with A from then on.
      await waitFor(
        "A's forest to be growing",
        async () => {
          const { rows } = await db.pool.query("SELECT progress->>'step' AS step FROM jobs WHERE id = $1", [big.json().job.id]);
          return rows[0]?.step === 'training';
        },
        120_000,
      );

      const asked = Date.now();
      const small = await t.app.inject({ method: 'POST', url: '/v1/models', headers: b.auth, payload: {} });
      expect(small.statusCode, small.body).toBe(202);
      await waitFor('B’s model to be ready', async () => (await modelStatus(small.json().model.id)) === 'ready', 120_000);
      const readyAfterMs = Date.now() - asked;
      console.log(
        `${mode}: B's small model ready ${(readyAfterMs / 1000).toFixed(1)} s after it was asked for, beside A's maximum-budget training`,
      );
      expect(readyAfterMs).toBeLessThan(30_000);
      // Beside A's training, not after it.
      expect(await modelStatus(bigModel)).toBe('training');

      // And A's deliveries were cut off at their deadline, not held for as long as the receiver trickled.
      const attempt = await waitFor(
        'a delivery attempt to end',
        async () => {
          const { rows } = await db.pool.query<{ error: string | null; ms: number }>(
            `SELECT a.error, (extract(epoch FROM a.finished_at - a.started_at) * 1000)::float8 AS ms
             FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id JOIN webhooks w ON w.id = d.webhook_id
             WHERE w.workspace_id = $1 LIMIT 1`,
            [a.id],
          );
          return rows[0];
        },
        60_000,
      );
      expect(attempt.error).toBe('no complete response within 10 s');
      expect(attempt.ms).toBeLessThan(15_000);
    }, 400_000);
  });
}
