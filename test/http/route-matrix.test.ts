/**
 * Every /v1 route of the OpenAPI document, walked as three callers would: no key (401), a read key on a
 * write (403), and a key of another workspace on this workspace's ids (404). The routes come from the
 * document itself, so a new route is in the matrix the day it is added, and one whose path parameter
 * the matrix cannot fill fails here until it can.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import openapi from '../../openapi/openapi.json' with { type: 'json' };
import { loadGeneratedUniverse } from '../../src/demo/load.ts';
import { createTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/app.ts';
import { expectStandardError } from '../support/errors.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
interface Route {
  method: Method;
  path: string;
}

const routes: Route[] = Object.entries(openapi.paths as Record<string, Record<string, unknown>>)
  .filter(([path]) => path.startsWith('/v1/'))
  .flatMap(([path, operations]) => Object.keys(operations).map((method) => ({ method: method.toUpperCase() as Method, path })));
const adminRoute = (route: Route) => route.path.startsWith('/v1/workspaces');
/** What a read key may do: read, and ask for lookalikes (a read with a body). */
const readAllowed = (route: Route) => route.method === 'GET' || (route.method === 'POST' && route.path === '/v1/lookalikes');
const label = (route: Route) => `${route.method} ${route.path}`;

describe('route matrix from the OpenAPI document', () => {
  let t: TestApp;
  let owner: Awaited<ReturnType<TestApp['newWorkspace']>>;
  let other: Awaited<ReturnType<TestApp['newWorkspace']>>;
  let readKey: { authorization: string };
  /** The owner's ids, by path parameter (`{id}` by the collection it names). */
  const ids: Record<string, string> = {};

  const fill = (path: string) =>
    path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const key = name === 'id' ? `${path.split('/')[2]}.id` : name;
      const value = ids[key];
      if (!value) throw new Error(`the route matrix has no ${key} for ${path}: create one in beforeAll`);
      return encodeURIComponent(value);
    });
  const call = (route: Route, headers: Record<string, string>) => {
    const withBody = route.method !== 'GET' && route.method !== 'DELETE';
    return t.app.inject({
      method: route.method,
      url: fill(route.path),
      headers: withBody ? { ...headers, 'content-type': 'application/json' } : headers,
      payload: withBody ? '{}' : undefined,
    });
  };

  beforeAll(async () => {
    t = await createTestApp(undefined, { settings: { webhookAllowPrivate: true } });
    owner = await t.newWorkspace('Owner');
    other = await t.newWorkspace('Other');
    const post = async (url: string, payload: Record<string, unknown>, status = 201) => {
      const res = await t.app.inject({ method: 'POST', url, headers: owner.auth, payload });
      expect(res.statusCode, `${url}: ${res.body}`).toBe(status);
      return res.json();
    };
    await loadGeneratedUniverse(t.db.pool, owner.id, { seed: 3, count: 300, now: new Date(), outcomeScale: 3 });
    const read = await post('/v1/keys', { name: 'reader', scope: 'read' });
    readKey = { authorization: `Bearer ${read.apiKey}` };
    ids['keys.id'] = read.key.id;
    ids['workspaces.id'] = owner.id;
    const { rows } = await t.db.pool.query<{ domain: string }>('SELECT domain FROM accounts WHERE workspace_id = $1 LIMIT 1', [owner.id]);
    ids.domain = rows[0].domain;
    ids['webhooks.id'] = (await post('/v1/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['model.ready'] })).webhook.id;
    const trained = await post('/v1/models', {}, 202);
    ids['models.id'] = trained.model.id;
    ids['jobs.id'] = trained.job.id;
    await t.jobs.idle();
    const backtests = await t.app.inject({ method: 'GET', url: '/v1/backtests', headers: owner.auth });
    ids.runId = backtests.json().data[0].run.id;
  }, 240_000);
  afterAll(() => t?.close());

  it('covers every /v1 route of the document', () => {
    expect(routes.length).toBeGreaterThan(30);
    for (const route of routes) expect(() => fill(route.path), label(route)).not.toThrow();
  });

  it('answers 401 without a key, on every route', async () => {
    for (const route of routes) {
      const res = await call(route, {});
      expectStandardError(res, 401);
    }
  });

  it('answers 401 to a workspace key on the admin routes', async () => {
    for (const route of routes.filter(adminRoute)) expectStandardError(await call(route, owner.auth), 401);
  });

  it('answers 403 insufficient_scope to a read key on every write', async () => {
    const writes = routes.filter((route) => !adminRoute(route) && !readAllowed(route));
    expect(writes.length).toBeGreaterThan(10);
    for (const route of writes) expectStandardError(await call(route, readKey), 403, 'insufficient_scope');
    // And a generated client knows it: every 4xx a read key meets is in the document.
    const paths = openapi.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>;
    const undeclared = writes.filter((route) => !paths[route.path][route.method.toLowerCase()].responses['403']);
    expect(undeclared.map(label)).toEqual([]);
  });

  it("answers 404 to another workspace's key on this workspace's ids, and the ids are real", async () => {
    const withIds = routes.filter((route) => !adminRoute(route) && route.path.includes('{'));
    expect(withIds.length).toBeGreaterThan(10);
    for (const route of withIds) {
      if (route.method === 'GET') {
        const own = await call(route, owner.auth);
        expect(own.statusCode, `${label(route)} for its owner: ${own.body}`).toBe(200);
      }
      const foreign = await call(route, other.auth);
      expect(foreign.statusCode, `${label(route)} for another workspace: ${foreign.body}`).toBe(404);
      expectStandardError(foreign, 404);
    }
    // Nothing the other workspace sent changed the owner's data.
    const account = await t.app.inject({ method: 'GET', url: `/v1/accounts/${ids.domain}`, headers: owner.auth });
    expect(account.statusCode).toBe(200);
    const key = await t.app.inject({ method: 'GET', url: '/v1/keys', headers: owner.auth });
    expect(key.json().data.find((k: { id: string }) => k.id === ids['keys.id']).revokedAt).toBeNull();
  });

  it('accepts the admin token on the admin routes', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/workspaces/${owner.id}/keys`,
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      payload: { name: 'recovery' },
    });
    expect(res.statusCode, res.body).toBe(201);
  });
});
