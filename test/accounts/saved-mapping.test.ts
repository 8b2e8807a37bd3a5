import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';

describe('a workspace saves its import mapping for next time', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(undefined, { settings: { vectorRefreshDebounceMs: 60 * 60_000 }, retrainDebounceMs: 60 * 60_000 });
  });
  afterAll(() => t.close());

  const call = (auth: Record<string, string>, method: 'GET' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: auth, ...(payload ? { payload } : {}) });
  const importCsv = (auth: Record<string, string>, url: string, body: string) =>
    t.app.inject({ method: 'POST', url, headers: { ...auth, 'content-type': 'text/csv' }, payload: body });

  it('is used by the imports of its kind sent without a mapping, skipping headers a file lacks; a sent mapping wins', async () => {
    const ws = await t.newWorkspace();
    expect((await call(ws.auth, 'GET', '/v1/imports/accounts/mapping')).statusCode).toBe(404);
    const saved = await call(ws.auth, 'PUT', '/v1/imports/accounts/mapping', {
      mapping: { 'Org URL': 'domain', HQ: 'location', 'Old column': null },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().mapping).toEqual({ 'Org URL': 'domain', HQ: 'location', 'Old column': null });

    // The file has no "Old column": a saved mapping serves several exports, so that is no error.
    const res = await importCsv(ws.auth, '/v1/accounts/import', 'Org URL,HQ\nacme.com,"Lyon, France"\n');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().columns).toEqual([
      { header: 'Org URL', field: 'domain', reason: 'named in the mapping' },
      { header: 'HQ', field: 'location', reason: 'named in the mapping' },
    ]);
    const account = (await call(ws.auth, 'GET', '/v1/accounts/acme.com')).json().account;
    expect(account).toMatchObject({ country: 'FR', city: 'Lyon' });

    const sent = await importCsv(
      ws.auth,
      `/v1/accounts/import?dryRun=true&mapping=${encodeURIComponent('{"HQ":null}')}`,
      'Org URL,HQ,domain\nx.com,Paris,globex.com\n',
    );
    expect(sent.json().columns.map((c: { field: string | null }) => c.field)).toEqual([null, null, 'domain']);

    // Outcomes have their own.
    expect((await call(ws.auth, 'GET', '/v1/imports/outcomes/mapping')).statusCode).toBe(404);
    expect((await call(ws.auth, 'DELETE', '/v1/imports/accounts/mapping')).statusCode).toBe(204);
    expect((await call(ws.auth, 'GET', '/v1/imports/accounts/mapping')).statusCode).toBe(404);
  });

  it('refuses a field the import does not fill, naming the ones it does', async () => {
    const ws = await t.newWorkspace();
    const res = await call(ws.auth, 'PUT', '/v1/imports/signals/mapping', { mapping: { Stage: 'status' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toBe(
      '"Stage" → "status": a signals import fills domain, type, occurredAt, value, topic, source (or null to ignore a column)',
    );
    const other = await t.newWorkspace();
    await call(ws.auth, 'PUT', '/v1/imports/signals/mapping', { mapping: { Site: 'domain' } });
    expect((await call(other.auth, 'GET', '/v1/imports/signals/mapping')).statusCode).toBe(404);
  });
});
