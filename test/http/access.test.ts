/**
 * Limits users expect: per-workspace rate limits with RateLimit-* and Retry-After, shared through
 * Redis under the installation's prefix; pages per address; failed authentication that locks out
 * only unknown credentials; TRUST_PROXY; read/write key scopes; the admin route
 * that issues a key for a locked-out workspace; the admin token printed only when generated.
 */
import path from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminTokenNotice } from '../../src/admin-token.ts';
import { Redis } from 'ioredis';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { clientAddress, WindowCounters } from '../../src/http/rate-limit.ts';
import { createTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/app.ts';
import { privateRedis, type PrivateRedis } from '../support/redis.ts';

const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

describe('rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(undefined, { rateLimit: { perMinute: 5, authFailuresPerMinute: 3 } });
  });
  afterAll(() => t.close());

  /** A request from a client address of its own (inject's default is 127.0.0.1). */
  const from = (remoteAddress: string, method: 'GET' | 'POST', url: string, headers: Record<string, string> = {}, payload?: object) =>
    t.app.inject({ method, url, headers, payload, remoteAddress });
  /** Workspaces made from addresses of their own, so making them spends no test's page budget. */
  let made = 0;
  const workspace = async (name: string) => {
    const res = await from(`192.0.2.${++made}`, 'POST', '/v1/workspaces', admin, { name });
    expect(res.statusCode, res.body).toBe(201);
    const { workspace: ws, apiKey } = res.json();
    return { id: ws.id as string, auth: { authorization: `Bearer ${apiKey}` } };
  };

  it('gives each workspace one budget, shared by all its keys, with RateLimit-* headers, then 429 with Retry-After', async () => {
    const a = await workspace('A');
    const b = await workspace('B');
    const second = await t.app.inject({ method: 'POST', url: '/v1/keys', headers: a.auth, payload: { name: 'second' } });
    expect(second.statusCode, second.body).toBe(201);
    expect(second.headers['ratelimit-remaining']).toBe('4');
    const keys = [a.auth, { authorization: `Bearer ${second.json().apiKey}` }];
    for (let i = 2; i <= 5; i++) {
      const res = await t.app.inject({ method: 'GET', url: '/v1/keys', headers: keys[i % 2] });
      expect(res.statusCode).toBe(200);
      expect(res.headers['ratelimit-limit']).toBe('5');
      expect(res.headers['ratelimit-remaining']).toBe(String(5 - i));
      expect(Number(res.headers['ratelimit-reset'])).toBeGreaterThan(0);
    }
    // A new key does not bring a new budget: every key of the workspace is spent.
    for (const auth of keys) {
      const limited = await t.app.inject({ method: 'GET', url: '/v1/keys', headers: auth });
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.json()).toEqual({ error: { code: 'rate_limited', message: expect.stringMatching(/5 requests a minute/) } });
    }
    // A flood of unknown keys from many addresses neither spends nor resets anyone's budget.
    for (let i = 0; i < 300; i++) {
      const guess = await from(`198.51.100.${i % 250}`, 'GET', '/v1/keys', { authorization: `Bearer lak_flood${i}` });
      expect([401, 429]).toContain(guess.statusCode);
    }
    expect((await t.app.inject({ method: 'GET', url: '/v1/keys', headers: a.auth })).statusCode).toBe(429);
    // Another workspace has its own budget; /health is never limited.
    expect((await t.app.inject({ method: 'GET', url: '/v1/keys', headers: b.auth })).statusCode).toBe(200);
    for (let i = 0; i < 8; i++) expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it("refuses an address's unknown credentials after 3 failures, never a valid key or the admin token", async () => {
    const c = await workspace('C');
    const attacker = '203.0.113.7';
    for (let i = 0; i < 3; i++) {
      const res = await from(attacker, 'GET', '/v1/keys', { authorization: `Bearer lak_guess${i}` });
      expect(res.statusCode).toBe(401);
    }
    const locked = await from(attacker, 'GET', '/v1/keys', { authorization: 'Bearer lak_guess-again' });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('too_many_failed_authentications');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // Wrong admin tokens are unknown credentials too.
    const adminGuess = await from(attacker, 'POST', '/v1/workspaces', { authorization: 'Bearer wrong-admin-token-000' }, { name: 'x' });
    expect(adminGuess.statusCode).toBe(429);
    // A valid key this process has never seen, and the admin token, from the very same address (one proxy for everyone).
    expect((await from(attacker, 'GET', '/v1/keys', c.auth)).statusCode).toBe(200);
    expect((await from(attacker, 'POST', '/v1/workspaces', admin, { name: 'D' })).statusCode).toBe(201);
    // The guesses of one address are not held against another.
    expect((await from('203.0.113.8', 'GET', '/v1/keys', { authorization: 'Bearer lak_guess0' })).statusCode).toBe(401);
  });

  it('limits pages and docs per address whatever Bearer value they carry', async () => {
    const reader = '203.0.113.50';
    for (let i = 0; i < 5; i++) {
      const res = await from(reader, 'GET', i % 2 ? '/' : '/report', { authorization: `Bearer anything${i}` });
      expect(res.statusCode).toBe(200);
    }
    const limited = await from(reader, 'GET', '/docs', { authorization: 'Bearer yet-another' });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    expect((await from('203.0.113.51', 'GET', '/')).statusCode).toBe(200);
  });
});

describe('rate-limit counters in memory', () => {
  it('a flood of new names cannot evict a live counter: past capacity, new names share one overflow counter', async () => {
    const counters = new WindowCounters(60_000, 100);
    for (let i = 0; i < 7; i++) await counters.add('exhausted', 1);
    for (let i = 0; i < 5_100; i++) await counters.add(`random-${i}`, 1);
    expect(counters.size).toBe(101);
    expect((await counters.add('exhausted', 0)).count).toBe(7);
    expect((await counters.add('random-5099', 0)).count).toBe(0);
    expect((await counters.add('random-5000', 1)).count).toBe(5_100 - 99 + 1);
  });

  it('expired windows make room', async () => {
    const counters = new WindowCounters(1, 10);
    for (let i = 0; i < 10; i++) await counters.add(`old-${i}`, 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await counters.add('new', 1)).count).toBe(1);
    expect(counters.size).toBe(1);
  });

  it('counts IPv6 clients by their /64, and IPv4-mapped addresses as IPv4', () => {
    expect(clientAddress('2001:db8:1:2:aaaa::1')).toBe(clientAddress('2001:db8:1:2:bbbb::9'));
    expect(clientAddress('2001:db8:1:2::1')).not.toBe(clientAddress('2001:db8:1:3::1'));
    expect(clientAddress('::ffff:192.0.2.1')).toBe('192.0.2.1');
  });
});

describe('TRUST_PROXY', () => {
  it('parses false, true and proxy addresses or ranges, and names a bad entry', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 172.16.0.0/12,::1' }).TRUST_PROXY).toEqual(['10.0.0.1', '172.16.0.0/12', '::1']);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.1,proxy.internal' })).toThrow(/TRUST_PROXY.*"proxy.internal" is not one/);
  });

  it("behind a trusted proxy, each client's X-Forwarded-For address has its own budget; without, they share the proxy's", async () => {
    const t = await createTestApp(undefined, { rateLimit: false });
    const behind = async (trustProxy: string[] | false) => {
      const { app, jobs } = await buildApp({
        config: { LOG_LEVEL: 'silent' },
        db: t.db,
        adminToken: TEST_ADMIN_TOKEN,
        spoolDir: path.join(tmpdir(), 'lookalike-test-spool'),
        rateLimit: { perMinute: 2, authFailuresPerMinute: 3 },
        trustProxy,
      });
      try {
        const statuses = [];
        for (const client of ['198.51.100.1', '198.51.100.1', '198.51.100.2', '198.51.100.2']) {
          const res = await app.inject({ method: 'GET', url: '/', remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': client } });
          statuses.push(res.statusCode);
        }
        return statuses;
      } finally {
        await app.close();
        await jobs.close();
      }
    };
    try {
      expect(await behind(['10.0.0.0/8'])).toEqual([200, 200, 200, 200]);
      expect(await behind(false)).toEqual([200, 200, 429, 429]);
    } finally {
      await t.close();
    }
  });
});

describe('rate limits shared through Redis', () => {
  let t: TestApp;
  let redis: PrivateRedis;
  const apps: Awaited<ReturnType<typeof buildApp>>['app'][] = [];
  const queues: Awaited<ReturnType<typeof buildApp>>['jobs'][] = [];
  beforeAll(async () => {
    redis = await privateRedis();
    await redis.start();
    t = await createTestApp(undefined, { rateLimit: false });
    for (let i = 0; i < 2; i++) {
      const { app, jobs } = await buildApp({
        config: { LOG_LEVEL: 'silent' },
        db: t.db,
        adminToken: TEST_ADMIN_TOKEN,
        spoolDir: path.join(tmpdir(), 'lookalike-test-spool'),
        rateLimit: { perMinute: 4, authFailuresPerMinute: 100, redisUrl: redis.url, prefix: 'lak-install1' },
      });
      await app.ready();
      apps.push(app);
      queues.push(jobs);
    }
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const jobs of queues) await jobs.close();
    await t.close();
    await redis.stop();
  });

  it("two API processes share one budget per workspace, all its keys together, under the installation's prefix", async () => {
    const ws = await t.newWorkspace();
    const second = await apps[0].inject({ method: 'POST', url: '/v1/keys', headers: ws.auth, payload: { name: 'second' } });
    const keys = [ws.auth, { authorization: `Bearer ${second.json().apiKey}` }];
    const statuses = [second.statusCode];
    for (let i = 0; i < 5; i++)
      statuses.push((await apps[i % 2].inject({ method: 'GET', url: '/v1/keys', headers: keys[i % 2] })).statusCode);
    expect(statuses).toEqual([201, 200, 200, 200, 429, 429]);
    const client = new Redis(redis.url);
    try {
      const names = await client.keys('*');
      expect(names.length).toBeGreaterThan(0);
      expect(names.every((name) => name.startsWith('lak-install1:rate-limit:'))).toBe(true);
      expect(names).toContain(`lak-install1:rate-limit:workspace:${ws.id}`);
    } finally {
      client.disconnect();
    }
  });

  it('a Redis outage lets requests through unlimited, never a 5xx', async () => {
    const ws = await t.newWorkspace();
    await redis.stop();
    for (let i = 0; i < 6; i++) {
      const res = await apps[i % 2].inject({ method: 'GET', url: '/v1/keys', headers: ws.auth });
      expect(res.statusCode, res.body).toBe(200);
    }
    expect((await apps[0].inject({ method: 'GET', url: '/' })).statusCode).toBe(200);
  });
});

describe('key scopes and the admin key route', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('a read key reads (prospects, lookalikes, fit, ICP, models, jobs, keys) but cannot change anything: 403 insufficient_scope', async () => {
    const ws = await t.newWorkspace();
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/keys',
      headers: ws.auth,
      payload: { name: 'dashboard', scope: 'read' },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().key.scope).toBe('read');
    const read = { authorization: `Bearer ${created.json().apiKey}` };
    const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
      t.app.inject({ method, url, headers: read, payload });

    for (const url of ['/v1/keys', '/v1/models', '/v1/prospects', '/v1/icp', '/v1/jobs', '/v1/accounts', '/v1/accounts/acme.com/fit']) {
      const res = await call('GET', url);
      expect(res.statusCode, `${url}: ${res.body}`).not.toBe(403);
      expect(res.statusCode, url).toBeLessThan(500);
    }
    const lookalikes = await call('POST', '/v1/lookalikes', { seedDomains: ['acme.com'] });
    expect(lookalikes.statusCode, lookalikes.body).not.toBe(403);

    const writes: ['POST' | 'PUT' | 'DELETE', string, object?][] = [
      ['POST', '/v1/accounts', { accounts: [{ domain: 'acme.com' }] }],
      ['POST', '/v1/signals', { signals: [] }],
      ['POST', '/v1/outcomes', { outcomes: [] }],
      ['POST', '/v1/models', {}],
      ['PUT', '/v1/exclusions', {}],
      ['POST', '/v1/keys', { name: 'escalate', scope: 'write' }],
      ['DELETE', `/v1/keys/${created.json().key.id}`],
    ];
    for (const [method, url, payload] of writes) {
      const res = await call(method, url, payload);
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json().error.code).toBe('insufficient_scope');
    }
    const imported = await t.app.inject({
      method: 'POST',
      url: '/v1/accounts/import',
      headers: { ...read, 'content-type': 'text/csv' },
      payload: 'domain\nacme.com\n',
    });
    expect(imported.statusCode).toBe(403);
    // Keys made before scopes existed, and keys made without one, can write.
    const keys = (await t.app.inject({ method: 'GET', url: '/v1/keys', headers: ws.auth })).json().data;
    expect(keys.map((k: { scope: string }) => k.scope).sort()).toEqual(['read', 'write']);
  });

  it('the admin token issues a key for a workspace whose only key was revoked', async () => {
    const ws = await t.newWorkspace();
    const [key] = (await t.app.inject({ method: 'GET', url: '/v1/keys', headers: ws.auth })).json().data;
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/keys/${key.id}`, headers: ws.auth })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/v1/keys', headers: ws.auth })).statusCode).toBe(401);

    const withApiKey = await t.app.inject({ method: 'POST', url: `/v1/workspaces/${ws.id}/keys`, headers: ws.auth, payload: {} });
    expect(withApiKey.statusCode).toBe(401);
    const issued = await t.app.inject({
      method: 'POST',
      url: `/v1/workspaces/${ws.id}/keys`,
      headers: admin,
      payload: { name: 'recovery' },
    });
    expect(issued.statusCode, issued.body).toBe(201);
    expect(issued.json().key).toMatchObject({ name: 'recovery', scope: 'write', revokedAt: null });
    const res = await t.app.inject({ method: 'GET', url: '/v1/keys', headers: { authorization: `Bearer ${issued.json().apiKey}` } });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toHaveLength(2);

    const unknown = await t.app.inject({
      method: 'POST',
      url: '/v1/workspaces/00000000-0000-4000-8000-000000000000/keys',
      headers: admin,
      payload: {},
    });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('admin token notice at start-up', () => {
  it('prints the token only on the start that generated it', () => {
    expect(adminTokenNotice({ token: 'secret-token', generated: true, file: '/data/admin-token' })).toBe(
      'admin token (kept in /data/admin-token): secret-token',
    );
    const later = adminTokenNotice({ token: 'secret-token', generated: false, file: '/data/admin-token' });
    expect(later).toContain('/data/admin-token');
    expect(later).not.toContain('secret-token');
    expect(adminTokenNotice({ token: 'from-env-token', generated: false })).toBeNull();
  });
});
