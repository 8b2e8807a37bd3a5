/**
 * Limits users expect (issue 13, rows 8–10): per-key rate limits with RateLimit-* and Retry-After,
 * shared through Redis; stricter for failed authentication; read/write key scopes; the admin route
 * that issues a key for a locked-out workspace; the admin token printed only when generated.
 */
import path from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminTokenNotice } from '../../src/admin-token.ts';
import { buildApp } from '../../src/app.ts';
import { createTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/app.ts';
import { privateRedis, type PrivateRedis } from '../support/redis.ts';

const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

describe('rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(undefined, { rateLimit: { perMinute: 5, authFailuresPerMinute: 3 } });
  });
  afterAll(() => t.close());

  it('gives each key its budget with RateLimit-* headers, then 429 with Retry-After in the standard shape', async () => {
    const a = await t.newWorkspace('A');
    const b = await t.newWorkspace('B');
    for (let i = 1; i <= 5; i++) {
      const res = await t.app.inject({ method: 'GET', url: '/v1/keys', headers: a.auth });
      expect(res.statusCode).toBe(200);
      expect(res.headers['ratelimit-limit']).toBe('5');
      expect(res.headers['ratelimit-remaining']).toBe(String(5 - i));
      expect(Number(res.headers['ratelimit-reset'])).toBeGreaterThan(0);
    }
    const limited = await t.app.inject({ method: 'GET', url: '/v1/keys', headers: a.auth });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json()).toEqual({ error: { code: 'rate_limited', message: expect.stringMatching(/5 requests a minute/) } });
    // Another key has its own budget; /health is never limited.
    expect((await t.app.inject({ method: 'GET', url: '/v1/keys', headers: b.auth })).statusCode).toBe(200);
    for (let i = 0; i < 8; i++) expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('locks an address out after 3 failed authentications (429 before any lookup); a key it used just before still works', async () => {
    const c = await t.newWorkspace('C');
    expect((await t.app.inject({ method: 'GET', url: '/v1/keys', headers: c.auth })).statusCode).toBe(200);
    for (let i = 0; i < 3; i++) {
      const res = await t.app.inject({ method: 'GET', url: '/v1/keys', headers: { authorization: `Bearer lak_guess${i}` } });
      expect(res.statusCode).toBe(401);
    }
    const locked = await t.app.inject({ method: 'GET', url: '/v1/keys', headers: { authorization: 'Bearer lak_guess-again' } });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('too_many_failed_authentications');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // Wrong admin tokens count against the same address, so the admin route is locked too.
    const adminGuess = await t.app.inject({
      method: 'POST',
      url: '/v1/workspaces',
      headers: { authorization: 'Bearer wrong-admin-token-000' },
      payload: { name: 'x' },
    });
    expect(adminGuess.statusCode).toBe(429);
    expect((await t.app.inject({ method: 'GET', url: '/v1/keys', headers: c.auth })).statusCode).toBe(200);
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
        rateLimit: { perMinute: 4, authFailuresPerMinute: 100, redisUrl: redis.url },
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

  it('two API processes share one budget per key', async () => {
    const ws = await t.newWorkspace();
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await apps[i % 2].inject({ method: 'GET', url: '/v1/keys', headers: ws.auth })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
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
