import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { freePort } from './ports.ts';

/** The Redis the BullMQ tests use (override with TEST_REDIS_URL). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function ping(url: string): Promise<string | null> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 1_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  let cause: string | undefined;
  redis.on('error', (err) => (cause ??= err.message));
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (err) {
    return cause ?? (err instanceof Error ? err.message : String(err));
  } finally {
    redis.disconnect();
  }
}

/**
 * The Redis URL, or null when Redis is unreachable: the caller skips its tests, and the reason is printed.
 * On CI (CI=true) an unreachable Redis is an error instead, so these tests can never be skipped there.
 */
export async function redisForTests(): Promise<string | null> {
  const problem = await ping(TEST_REDIS_URL);
  if (!problem) return TEST_REDIS_URL;
  const reason = `Redis at ${TEST_REDIS_URL} is unreachable (${problem})`;
  if (process.env.CI === 'true') throw new Error(`${reason}: the BullMQ tests must run on CI`);
  console.warn(`SKIPPING BullMQ tests: ${reason}. Start one with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379`);
  return null;
}

/** A key prefix of its own, so runs and test files never see each other's jobs. */
export const testPrefix = (name: string) => `test-${name}-${randomBytes(4).toString('hex')}`;

/** Removes every key under `prefix` (jobs, schedulers, and the meta keys a closing queue may write back). */
export async function obliterateQueues(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 1_000 })) {
      if ((keys as string[]).length > 0) await redis.del(...(keys as string[]));
    }
  } finally {
    redis.disconnect();
  }
}

export interface PrivateRedis {
  url: string;
  /** Starts it (again): an empty Redis, as after a restart without persistence. */
  start(): Promise<void>;
  /** Kills it at once, as a crash would. */
  stop(): Promise<void>;
}

/** A redis-server of the test's own on a free loopback port, so the shared one is never stopped. */
export async function privateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  return {
    url,
    async start() {
      if (child && child.exitCode === null && child.signalCode === null) return;
      child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'],
        {
          stdio: 'ignore',
        },
      );
      for (let i = 0; i < 100 && (await ping(url)); i++) await new Promise((r) => setTimeout(r, 50));
    },
    async stop() {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
