import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/app.ts';

describe('workspaces, API keys and errors', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp((app) => {
      app.get('/v1/test-crash', async () => {
        throw new Error('secret connection string postgres://admin:hunter2@db');
      });
    });
  });
  afterAll(() => t.close());

  it('creates a workspace with the admin token and returns its key once', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/workspaces',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      payload: { name: 'Acme' },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.workspace.name).toBe('Acme');
    expect(body.apiKey).toMatch(/^lak_[A-Za-z0-9_-]{43}$/);
    const stored = await t.db.pool.query('SELECT key_hash FROM api_keys WHERE workspace_id = $1', [body.workspace.id]);
    expect(stored.rows[0].key_hash).not.toContain(body.apiKey);
  });

  it('refuses workspace creation without or with a wrong admin token', async () => {
    const missing = await t.app.inject({ method: 'POST', url: '/v1/workspaces', payload: { name: 'x' } });
    expect(missing.statusCode).toBe(401);
    expect(missing.json().error.code).toBe('missing_admin_token');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/v1/workspaces',
      headers: { authorization: 'Bearer not-the-admin-token' },
      payload: { name: 'x' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('invalid_admin_token');
    // A workspace key is not an admin token.
    const ws = await t.newWorkspace();
    const withKey = await t.app.inject({ method: 'POST', url: '/v1/workspaces', headers: ws.auth, payload: { name: 'x' } });
    expect(withKey.statusCode).toBe(401);
  });

  it('rejects missing, wrong and revoked keys', async () => {
    const missing = await t.app.inject({ method: 'GET', url: '/v1/keys' });
    expect(missing.statusCode).toBe(401);
    expect(missing.json()).toEqual({ error: { code: 'missing_api_key', message: expect.any(String) } });

    const wrong = await t.app.inject({ method: 'GET', url: '/v1/keys', headers: { authorization: 'Bearer lak_nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('invalid_api_key');

    const ws = await t.newWorkspace();
    const created = await t.app.inject({ method: 'POST', url: '/v1/keys', headers: ws.auth, payload: { name: 'second' } });
    expect(created.statusCode).toBe(201);
    const second = created.json();
    const secondAuth = { authorization: `Bearer ${second.apiKey}` };
    expect((await t.app.inject({ method: 'GET', url: '/v1/keys', headers: secondAuth })).statusCode).toBe(200);

    const revoked = await t.app.inject({ method: 'DELETE', url: `/v1/keys/${second.key.id}`, headers: ws.auth });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().key.revokedAt).not.toBeNull();
    const after = await t.app.inject({ method: 'GET', url: '/v1/keys', headers: secondAuth });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('invalid_api_key');
    // The first key still works and lists both keys, without the secrets.
    const list = await t.app.inject({ method: 'GET', url: '/v1/keys', headers: ws.auth });
    expect(list.json().data.map((k: { name: string }) => k.name)).toEqual(['default', 'second']);
    expect(list.body).not.toContain(second.apiKey);
  });

  it("cannot see or revoke another workspace's keys", async () => {
    const a = await t.newWorkspace('A');
    const b = await t.newWorkspace('B');
    const bKeys = (await t.app.inject({ method: 'GET', url: '/v1/keys', headers: b.auth })).json().data;
    const aKeys = (await t.app.inject({ method: 'GET', url: '/v1/keys', headers: a.auth })).json().data;
    expect(aKeys.map((k: { id: string }) => k.id)).not.toContain(bKeys[0].id);
    const res = await t.app.inject({ method: 'DELETE', url: `/v1/keys/${bKeys[0].id}`, headers: a.auth });
    expect(res.statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/v1/keys', headers: b.auth })).statusCode).toBe(200);
  });

  it('answers bad requests with the one error shape (400, 404, 500)', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/v1/workspaces',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      payload: { name: 42 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');
    expect(bad.json().error.details[0].path).toBe('body.name');

    const ws = await t.newWorkspace();
    const badId = await t.app.inject({ method: 'DELETE', url: '/v1/keys/not-a-uuid', headers: ws.auth });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().error.details[0].path).toBe('params.id');

    const unknown = await t.app.inject({ method: 'GET', url: '/v1/nothing-here' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toEqual({ code: 'not_found', message: 'No route GET /v1/nothing-here' });

    const crash = await t.app.inject({ method: 'GET', url: '/v1/test-crash', headers: ws.auth });
    expect(crash.statusCode).toBe(500);
    expect(crash.json().error.code).toBe('internal_error');
    expect(crash.body).not.toContain('hunter2');
    expect(crash.json().error.message).toMatch(/\(request req-\w+\)/);

    const notJson = await t.app.inject({
      method: 'POST',
      url: '/v1/keys',
      headers: { ...ws.auth, 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error.code).toBe('bad_request');
  });

  it('serves health, readiness and the docs', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({
      status: 'ready',
      database: { reachable: true, pendingMigrations: [] },
      queue: { mode: 'in-process' },
    });
    const spec = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(spec.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect((await t.app.inject({ method: 'GET', url: '/docs/' })).statusCode).toBe(200);
  });
});
