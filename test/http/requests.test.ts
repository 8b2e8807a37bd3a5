/**
 * Every bad request is a 4xx in the standard error shape: oversized
 * bodies, URLs and headers, deep JSON, out-of-range query numbers and forged cursors.
 */
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendFrameworkError } from '../../src/http/errors.ts';
import { jsonShape, MAX_JSON_ARRAY_ITEMS } from '../../src/http/limits.ts';
import { MAX_COLUMNS } from '../../src/lib/csv.ts';
import { DEFAULT_LOOKALIKE_PARAMS } from '../../src/model/forest.ts';
import { trainingBudgetExceeded } from '../../src/model/schema.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { expectStandardError } from '../support/errors.ts';

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe('bad requests are 4xx in the standard error shape', () => {
  let t: TestApp;
  let ws: Awaited<ReturnType<TestApp['newWorkspace']>>;
  beforeAll(async () => {
    t = await createTestApp();
    ws = await t.newWorkspace();
  });
  afterAll(() => t.close());
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: ws.auth });
  const postRaw = (url: string, payload: string) =>
    t.app.inject({ method: 'POST', url, headers: { ...ws.auth, 'content-type': 'application/json' }, payload });

  it.each(['/v1/accounts', '/v1/signals', '/v1/outcomes', '/v1/lookalikes', '/v1/models', '/v1/keys'])(
    '100k-deep JSON to %s → 400 json_too_deep',
    async (url) => {
      const res = await postRaw(url, `{"x":${deep(100_000)}}`);
      expectStandardError(res, 400, 'json_too_deep');
    },
  );

  it.each([
    ['{"name":"k","__proto__":{"admin":true}}', '"__proto__"'],
    ['{"accounts":[{"domain":"a.com","\\u005f_proto__":{"x":1}}]}', '"__proto__"'],
    ['{"name":"k","constructor":{"prototype":{"admin":true}}}', '"constructor" key holding a "prototype" key'],
  ])('a prototype key in a JSON body → 400 prototype_key, saying which: %s', async (payload, named) => {
    const res = await postRaw('/v1/keys', payload);
    expectStandardError(res, 400, 'prototype_key');
    expect(res.json().error.message).toContain(named);
    expect(res.json().error.message).not.toMatch(/secure|forbidden prototype property|FST_/i);
  });

  it('JSON that is not well formed is still "not valid JSON", and a "constructor" holding no prototype is an ordinary key', async () => {
    const broken = await postRaw('/v1/keys', '{"name":"k","__proto__":');
    expectStandardError(broken, 400, 'bad_request');
    expect(broken.json().error.message).toBe('The body is not valid JSON');
    const plain = await postRaw('/v1/keys', '{"name":"k","constructor":{"name":"x"}}');
    expect(plain.statusCode, plain.body).toBe(201);
  });

  it('JSON nested 20 deep still parses (an account with a nested value is a row error, not a parse error)', async () => {
    const res = await postRaw('/v1/accounts', JSON.stringify({ accounts: [{ domain: 'nested.com', name: JSON.parse(deep(20)) }] }));
    expect(res.statusCode, res.body).toBe(422);
  });

  it('jsonShape reads depth and the longest array from the text, without parsing it', () => {
    const limits = { depth: 64, items: 10 };
    expect(jsonShape(deep(200_000), { depth: 1_000_000, items: 10 }).depth).toBe(200_000);
    expect(jsonShape(deep(200_000), limits).depth).toBe(65);
    expect(jsonShape('{"a":[1,{"b":null}]}', limits)).toEqual({ depth: 3, items: 2 });
    expect(jsonShape('7', limits)).toEqual({ depth: 0, items: 0 });
    expect(jsonShape('[ ]', limits)).toEqual({ depth: 1, items: 0 });
    expect(jsonShape('[[1,2,3],[]]', limits)).toEqual({ depth: 2, items: 3 });
    // Commas, brackets and escaped quotes inside strings are text, not structure.
    expect(jsonShape('["a,b,c,[d]", "e\\",\\"]", "f\\\\"]', limits)).toEqual({ depth: 1, items: 3 });
    expect(jsonShape(`[${'{},'.repeat(50)}{}]`, limits).items).toBeGreaterThan(10);
  });

  it.each([
    ['/v1/signals', 'signals', 8],
    ['/v1/outcomes', 'outcomes', 16],
    ['/v1/accounts', 'accounts', 32],
  ])('a body over the limit of %s → 413 payload_too_large, naming the limit, unread', async (url, field, mib) => {
    const res = await postRaw(url, `{"${field}":["${'x'.repeat(mib * 1024 * 1024)}"]}`);
    expectStandardError(res, 413, 'payload_too_large');
    expect(res.json().error.message).toContain(`${mib * 1024 * 1024} bytes`);
  });

  it('every other JSON route reads at most 1 MiB', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/v1/exclusions',
      headers: { ...ws.auth, 'content-type': 'application/json' },
      payload: `{"domains":["${'x'.repeat(1024 * 1024)}"]}`,
    });
    expectStandardError(res, 413, 'payload_too_large');
  });

  it.each(['/v1/signals', '/v1/outcomes'])('5 MB of empty objects to %s → a fast, small 413 before parsing', async (url) => {
    const field = url.slice(4);
    const payload = `{"${field}":[${'{},'.repeat((5 * 1024 * 1024) / 3)}{}]}`;
    const started = performance.now();
    const res = await postRaw(url, payload);
    expect(performance.now() - started).toBeLessThan(1_000);
    expectStandardError(res, 413, 'too_many_items');
    expect(res.body.length).toBeLessThan(500);
  });

  it('50 MB of empty accounts → a fast 413, unread', async () => {
    const payload = `{"accounts":[${'{},'.repeat((50 * 1024 * 1024) / 3)}{}]}`;
    const started = performance.now();
    const res = await postRaw('/v1/accounts', payload);
    expect(performance.now() - started).toBeLessThan(1_000);
    expectStandardError(res, 413, 'payload_too_large');
  });

  it(`${MAX_JSON_ARRAY_ITEMS} empty signals (the most a body holds) → 400 with at most 20 issues and their total`, async () => {
    const res = await postRaw('/v1/signals', `{"signals":[${'{},'.repeat(MAX_JSON_ARRAY_ITEMS - 1)}{}]}`);
    expectStandardError(res, 400, 'validation_failed');
    const { details, message } = res.json().error;
    expect(details).toHaveLength(20);
    expect(details[0]).toEqual({ path: 'body.signals.0.domain', message: expect.any(String) });
    // domain, type and occurredAt are missing from each of the 10,000 signals.
    expect(message).toMatch(/^Invalid body: 30000 problems \(the first 20 in details\)/);
    expect(res.body.length).toBeLessThan(5_000);
  });

  it('one validation issue → its message alone', async () => {
    const res = await postRaw('/v1/signals', '{"signals":[{"domain":"a.com","type":"web_visit"}]}');
    expectStandardError(res, 400, 'validation_failed');
    expect(res.json().error.message).toBe(`Invalid body: body.signals.0.occurredAt ${res.json().error.details[0].message}`);
  });

  it('a 144-character domain can be read, scored and deleted by its path (parameters up to 253 characters)', async () => {
    const domain = `${'a'.repeat(63)}.${'b'.repeat(63)}.cccccexample.com`;
    expect(domain.length).toBe(144);
    const created = await t.app.inject({ method: 'POST', url: '/v1/accounts', headers: ws.auth, payload: { accounts: [{ domain }] } });
    expect(created.statusCode, created.body).toBe(200);
    expect((await get(`/v1/accounts/${domain}`)).statusCode).toBe(200);
    expect([200, 409]).toContain((await get(`/v1/accounts/${domain}/fit`)).statusCode);
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/accounts/${domain}`, headers: ws.auth })).statusCode).toBe(204);
  });

  it('a path parameter over 253 characters → 414 path_parameter_too_long in our shape', async () => {
    expectStandardError(await get(`/v1/accounts/${'a'.repeat(254)}.com`), 414, 'path_parameter_too_long');
  });

  it('a URL with a broken percent-encoding → 400 bad_url in our shape', async () => {
    expectStandardError(await get('/v1/accounts/%E0%A4%A'), 400, 'bad_url');
  });

  it('a body in a media type no route reads → 415 in our shape', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/signals',
      headers: { ...ws.auth, 'content-type': 'application/xml' },
      payload: '<signals/>',
    });
    expectStandardError(res, 415, 'unsupported_media_type');
    expect(res.json().error.message).toMatch(/application\/xml.*application\/json/);
  });

  // Each column is named in the answer: 400,000 one-letter headers (800 kB) were a 45 MB answer.
  it.each(['/v1/accounts/import', '/v1/outcomes/import', '/v1/signals/import'])(
    `a CSV header of more than ${MAX_COLUMNS} columns to %s → 400 too_many_columns, a small answer, nothing stored`,
    async (url) => {
      const wide = await t.newWorkspace();
      // The columns each import needs, then one-letter ones.
      const csv = (columns: number) =>
        `domain,status,type,date${',c'.repeat(columns - 4)}\nwide.example.com,won,web_visit,2026-01-01${','.repeat(columns - 4)}\n`;
      const post = (query: string, payload: string) =>
        t.app.inject({ method: 'POST', url: `${url}${query}`, headers: { ...wide.auth, 'content-type': 'text/csv' }, payload });
      const res = await post('', csv(400_000));
      expectStandardError(res, 400, 'too_many_columns');
      expect(res.body.length).toBeLessThan(500);
      expect(res.json().error.details).toEqual({ columns: 400_000, maxColumns: MAX_COLUMNS });
      const { rows } = await t.db.pool.query(
        `SELECT (SELECT count(*) FROM accounts WHERE workspace_id = $1)::int + (SELECT count(*) FROM outcomes o JOIN accounts a ON a.id = o.account_id
           WHERE a.workspace_id = $1)::int + (SELECT count(*) FROM signals WHERE workspace_id = $1)::int AS stored`,
        [wide.id],
      );
      expect(rows[0].stored).toBe(0);
      // As many columns as an import reads: read.
      const widest = await post('?dryRun=true', csv(MAX_COLUMNS));
      expect(widest.statusCode, widest.body.slice(0, 300)).toBe(200);
    },
  );

  // fetch() sends a string body as text/plain: JSON without its type was read as a string, and the answer
  // said "body.accounts expected array, received undefined" of a body that held accounts.
  it.each([
    ['/v1/accounts', 'text/plain;charset=UTF-8', 'application/json'],
    ['/v1/outcomes', 'text/csv', 'application/json'],
    ['/v1/lookalikes', 'text/plain', 'application/json'],
    ['/v1/accounts/import', 'application/octet-stream', 'text/csv or text/tab-separated-values'],
    ['/v1/signals/import', 'application/vnd.ms-excel', 'text/csv or text/tab-separated-values'],
  ])('a body to %s sent as %s → 415 naming what the route reads', async (url, type, reads) => {
    const payload = JSON.stringify({ accounts: [{ domain: 'typed.example.com' }], outcomes: [], seedDomains: ['a.com'] });
    const res = await t.app.inject({ method: 'POST', url, headers: { ...ws.auth, 'content-type': type }, payload });
    expectStandardError(res, 415, 'unsupported_media_type');
    expect(res.json().error.message).toBe(`This route does not read ${type}; send ${reads}`);
  });

  it('a CSV sent as text/plain is still an import', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/accounts/import?dryRun=true',
      headers: { ...ws.auth, 'content-type': 'text/plain' },
      payload: 'domain,name\nplain.example.com,Plain\n',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().rows).toBe(1);
  });

  // curl -X POST with no -d, and clients that send `content-type: application/json` on every request.
  it.each([
    ['no body', {}],
    ['an empty JSON body', { 'content-type': 'application/json' }],
  ])('a POST whose body is all optional takes %s as its defaults', async (_what, headers) => {
    const key = await t.app.inject({ method: 'POST', url: '/v1/keys', headers: { ...ws.auth, ...headers } });
    expect(key.statusCode, key.body).toBe(201);
    expect(key.json().key).toMatchObject({ name: 'api key', scope: 'write' });
    // Past the body: the workspace has no won account to train on, and no such model to unpin.
    const train = await t.app.inject({ method: 'POST', url: '/v1/models', headers: { ...ws.auth, ...headers } });
    expectStandardError(train, 400, 'no_won_accounts');
    const unpin = await t.app.inject({
      method: 'POST',
      url: '/v1/models/00000000-0000-4000-8000-000000000000/unpin',
      headers: { ...ws.auth, ...headers },
    });
    expectStandardError(unpin, 404);
  });

  it('an empty body where one is required → 400 naming the body', async () => {
    const res = await postRaw('/v1/lookalikes', '');
    expectStandardError(res, 400, 'validation_failed');
    expect(res.json().error.message).toMatch(/body/);
  });

  it("logs fastify's refusals with fastify's code, and answers them in our words", () => {
    const logged: unknown[][] = [];
    const sent: { status?: number; body?: unknown } = {};
    const request = { method: 'GET', url: '/v1/accounts/x', headers: {}, log: { info: (...args: unknown[]) => logged.push(args) } };
    const reply = {
      code(status: number) {
        sent.status = status;
        return this;
      },
      send(body: unknown) {
        sent.body = body;
        return this;
      },
    };
    const err = Object.assign(new Error("'/v1/accounts/x' is exceeding the max param length"), {
      code: 'FST_ERR_MAX_PARAM_LENGTH',
      statusCode: 414,
    });
    sendFrameworkError(err as never, request as never, reply as never);
    expect(sent).toEqual({
      status: 414,
      body: { error: { code: 'path_parameter_too_long', message: expect.stringMatching(/longer than 253/) } },
    });
    expect(logged).toEqual([
      [expect.objectContaining({ code: 'FST_ERR_MAX_PARAM_LENGTH', statusCode: 414 }), expect.stringMatching(/^refused: /)],
    ]);
  });

  it('a 9,000-character URL → 414 uri_too_long', async () => {
    const res = await get(`/v1/prospects?industry=${'a'.repeat(9_000)}`);
    expectStandardError(res, 414, 'uri_too_long');
  });

  it('headers over 16 KiB → 431 headers_too_large, in the standard shape, on a real socket', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const res = await new Promise<{ statusCode: number; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/health', headers: { 'x-big': 'y'.repeat(20_000) } }, (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ statusCode: response.statusCode!, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(res.statusCode).toBe(431);
    expect(JSON.parse(res.body)).toEqual({ error: { code: 'headers_too_large', message: expect.any(String) } });
  });

  it.each([
    '/v1/prospects?minEmployees=99999999999',
    '/v1/prospects?maxEmployees=2147483648',
    '/v1/prospects?minEmployees=1e400',
    '/v1/accounts?minEmployees=99999999999',
    '/v1/accounts?maxEmployees=-99999999999',
  ])('%s → 400 validation_failed', async (url) => {
    expectStandardError(await get(url), 400, 'validation_failed');
  });

  it('PUT /v1/exclusions with maxEmployees 3e9 → 400', async () => {
    const res = await t.app.inject({ method: 'PUT', url: '/v1/exclusions', headers: ws.auth, payload: { maxEmployees: 3_000_000_000 } });
    expectStandardError(res, 400, 'validation_failed');
  });

  it.each([
    ['a run id that is not a uuid', { run: 'not-a-uuid', score: 0.5, id: '1' }],
    ['a run id with SQL in it', { run: "'; DROP TABLE accounts; --", score: 0.5, id: '1' }],
    ['a score that is not finite (1e999 → Infinity)', '{"run":"00000000-0000-4000-8000-000000000000","score":1e999,"id":"1"}'],
    ['a score beyond real', { run: '00000000-0000-4000-8000-000000000000', score: 1e300, id: '1' }],
    ['an account id that is not a bigint', { run: '00000000-0000-4000-8000-000000000000', score: 0.5, id: '99999999999999999999999' }],
    ['null', null],
  ])('a forged prospects cursor with %s → 400 invalid_cursor', async (_what, value) => {
    const cursor = typeof value === 'string' ? Buffer.from(value).toString('base64url') : cursorOf(value);
    expectStandardError(await get(`/v1/prospects?cursor=${cursor}`), 400, 'invalid_cursor');
  });

  it('a well-formed cursor of an unknown run → 410 cursor_expired', async () => {
    const cursor = cursorOf({ run: '00000000-0000-4000-8000-000000000000', score: 0.5, id: '1' });
    expectStandardError(await get(`/v1/prospects?cursor=${cursor}`), 410, 'cursor_expired');
  });

  it.each([Buffer.from('a\u0000b.com').toString('base64url'), Buffer.from([0xff, 0xfe]).toString('base64url')])(
    'a forged accounts cursor (%s) → 400 invalid_cursor',
    async (cursor) => {
      expectStandardError(await get(`/v1/accounts?cursor=${cursor}`), 400, 'invalid_cursor');
    },
  );

  it.each([
    [{ bags: 100, treesPerBag: 100, maxDepth: 20, minNumSamples: 1, unlabelledRatio: 50 }, 'trees'],
    [{ treesPerBag: 51 }, 'trees'],
    [{ bags: 100, treesPerBag: 10, unlabelledRatio: 5 }, 'unlabelledDraws'],
  ])('POST /v1/models %j → 400 training_budget_exceeded naming %s', async (params, limit) => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/models', headers: ws.auth, payload: { params } });
    expectStandardError(res, 400, 'training_budget_exceeded');
    expect(res.json().error.details).toMatchObject({ limit, max: expect.any(Number) });
    expect(res.json().error.message).toMatch(limit === 'trees' ? /bags × treesPerBag/ : /bags × unlabelledRatio/);
  });

  it('the defaults, and 50 bags × 20 trees with ratio 4, are within the training budget', () => {
    expect(trainingBudgetExceeded(undefined, DEFAULT_LOOKALIKE_PARAMS)).toBeNull();
    expect(trainingBudgetExceeded({ bags: 50, treesPerBag: 20, unlabelledRatio: 4 }, DEFAULT_LOOKALIKE_PARAMS)).toBeNull();
  });

  it('a NUL byte in a query filter → 4xx, not 500', async () => {
    const res = await get('/v1/accounts?industry=a%00b');
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.body).not.toMatch(/0x00|invalid byte sequence/);
  });
});
