/**
 * Property-based: every JSON route of the OpenAPI document, sent random bodies (shaped by its schema
 * or not at all) and oversized ones, and every GET route, sent random query strings and path
 * parameters, answers 2xx or a 4xx in the standard error shape, never a 5xx, with a bounded answer
 * in bounded time.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_ARRAY_ITEMS } from '../../src/http/limits.ts';
import { createTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/app.ts';

type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  default?: unknown;
};
interface Operation {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  schema: JsonSchema | null;
}

/** Largest answer and slowest answer accepted for any of these requests. */
const MAX_ANSWER_BYTES = 1024 * 1024;
const MAX_ANSWER_MS = 5_000;

/** Values that have broken services before: extremes, wrong types, text the database cannot store. */
const hostileValue = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, -5, 1.5, 2 ** 31, -(2 ** 31) - 1, 1e308, -1e308, 1e-308, Number.MAX_SAFE_INTEGER + 2),
  fc.constantFrom('', ' ', 'a\u0000b', '\ud800', '=cmd', '1e999', '-0', 'x'.repeat(5_000), '../../etc/passwd', '<script>', 'NaN'),
  fc.string(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constant({}),
  fc.constant([]),
);

describe('every JSON route, property-based', () => {
  let t: TestApp;
  let ws: Awaited<ReturnType<TestApp['newWorkspace']>>;
  let operations: Operation[];
  /** GET routes under /v1 with the names of their query parameters. */
  let reads: { path: string; query: string[] }[];
  let components: Record<string, JsonSchema>;

  beforeAll(async () => {
    t = await createTestApp();
    ws = await t.newWorkspace();
    await t.app.inject({ method: 'POST', url: '/v1/accounts', headers: ws.auth, payload: { accounts: [{ domain: 'seed.com' }] } });
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    components = document.components.schemas;
    operations = Object.entries(
      document.paths as Record<string, Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>,
    )
      .flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, content: op.requestBody?.content })),
      )
      .filter(
        (op) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(op.method) && (op.content === undefined || 'application/json' in op.content),
      )
      .map((op) => ({ method: op.method as Operation['method'], path: op.path, schema: op.content?.['application/json'].schema ?? null }));
    reads = Object.entries(document.paths as Record<string, { get?: { parameters?: { in: string; name: string }[] } }>)
      .filter(([path, methods]) => path.startsWith('/v1/') && methods.get)
      .map(([path, methods]) => ({ path, query: (methods.get!.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name) }));
  });
  afterAll(() => t.close());

  const resolve = (schema: JsonSchema): JsonSchema =>
    schema.$ref ? resolve(components[schema.$ref.replace('#/components/schemas/', '')]) : schema;

  /** A value shaped like `schema` (right keys, item counts and enum values), any leaf of which may be hostile. */
  const shaped = (schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> => {
    const s = resolve(schema);
    const variants = s.anyOf ?? s.oneOf;
    if (variants) return fc.oneof(...variants.map((v) => shaped(v, depth + 1)));
    const type = Array.isArray(s.type) ? s.type[0] : s.type;
    let arbitrary: fc.Arbitrary<unknown> = hostileValue;
    if (s.enum) arbitrary = fc.constantFrom(...s.enum);
    else if (type === 'object' && s.properties && depth < 4) {
      const keys = Object.keys(s.properties);
      arbitrary = fc.record(Object.fromEntries(keys.map((key) => [key, shaped(s.properties![key], depth + 1)])), { requiredKeys: [] });
    } else if (type === 'array' && s.items && depth < 4) arbitrary = fc.array(shaped(s.items, depth + 1), { maxLength: 4 });
    else if (type === 'string') arbitrary = fc.oneof(fc.string(), fc.constantFrom('seed.com', '2026-11-01', 'web_visit', 'won'));
    else if (type === 'number' || type === 'integer') arbitrary = fc.oneof(fc.integer({ min: -1000, max: 1000 }), hostileValue);
    return fc.oneof({ arbitrary, weight: 9 }, { arbitrary: hostileValue, weight: 1 });
  };

  const pathParameter = fc.oneof(
    fc.constantFrom('seed.com', '00000000-0000-4000-8000-000000000000', '1', '%00', 'a'.repeat(300), '..', 'x%2Fy'),
    fc.string({ minLength: 1, maxLength: 40 }).map(encodeURIComponent),
  );

  async function send(op: Operation, parameter: string, body: string) {
    const url = op.path.replace(/\{[^}]+\}/g, parameter);
    // The admin routes take the admin token, every other one the workspace's key.
    const authorization = op.path.startsWith('/v1/workspaces') ? `Bearer ${TEST_ADMIN_TOKEN}` : ws.auth.authorization;
    const started = performance.now();
    const res = await t.app.inject({
      method: op.method,
      url,
      headers: { authorization, 'content-type': 'application/json' },
      payload: body,
    });
    const ms = performance.now() - started;
    const where = `${op.method} ${url} ${body.slice(0, 200)} → ${res.statusCode} ${res.body.slice(0, 300)}`;
    expect(res.statusCode, where).toBeLessThan(500);
    expect(res.statusCode, where).toBeGreaterThanOrEqual(200);
    expect(res.body.length, where).toBeLessThan(MAX_ANSWER_BYTES);
    expect(ms, where).toBeLessThan(MAX_ANSWER_MS);
    if (res.statusCode >= 400) {
      const answer = res.json();
      expect(Object.keys(answer), where).toEqual(['error']);
      expect(answer.error, where).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String) }));
    }
    return res;
  }

  it('lists the JSON routes from the OpenAPI document', () => {
    const listed = operations.map((op) => `${op.method} ${op.path}`);
    for (const route of ['POST /v1/accounts', 'POST /v1/signals', 'POST /v1/outcomes', 'PUT /v1/exclusions', 'POST /v1/lookalikes']) {
      expect(listed).toContain(route);
    }
  });

  it('every array in a request body has its maxItems', () => {
    const unbounded: string[] = [];
    const walk = (schema: JsonSchema, where: string, seen: Set<string>): void => {
      if (schema.$ref) {
        if (!seen.has(schema.$ref)) walk(resolve(schema), where, new Set([...seen, schema.$ref]));
        return;
      }
      if (schema.type === 'array' && (schema as { maxItems?: number }).maxItems === undefined) unbounded.push(where);
      for (const [key, value] of Object.entries(schema.properties ?? {})) walk(value, `${where}.${key}`, seen);
      if (schema.items) walk(schema.items, `${where}[]`, seen);
      for (const variant of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) walk(variant, where, seen);
    };
    for (const op of operations) if (op.schema) walk(op.schema, `${op.method} ${op.path} body`, new Set());
    expect(unbounded).toEqual([]);
  });

  it('random bodies shaped by each route schema, and random JSON of any shape: 2xx or 4xx in our shape', async () => {
    for (const op of operations) {
      const body = op.schema
        ? fc.oneof({ arbitrary: shaped(op.schema), weight: 3 }, { arbitrary: fc.jsonValue(), weight: 1 })
        : fc.jsonValue();
      await fc.assert(
        fc.asyncProperty(pathParameter, body, async (parameter, value) => {
          await send(op, parameter, JSON.stringify(value) ?? 'null');
        }),
        { numRuns: 40 },
      );
    }
  });

  it('random query strings and path parameters to every GET route: 2xx or 4xx in our shape', async () => {
    const queryValue = fc.oneof(
      fc.string(),
      fc.constantFrom('', '-1', '0', '1e400', '99999999999', 'NaN', 'A,B,Z', 'csv', 'a%00b', 'x'.repeat(2_000)),
    );
    for (const read of reads) {
      await fc.assert(
        fc.asyncProperty(pathParameter, fc.dictionary(fc.constantFrom(...read.query, 'unknown'), queryValue), async (parameter, query) => {
          const url = `${read.path.replace(/\{[^}]+\}/g, parameter)}?${new URLSearchParams(query)}`;
          const started = performance.now();
          const res = await t.app.inject({ method: 'GET', url, headers: ws.auth });
          const where = `GET ${url.slice(0, 200)} → ${res.statusCode} ${res.body.slice(0, 300)}`;
          expect(res.statusCode, where).toBeLessThan(500);
          expect(res.body.length, where).toBeLessThan(MAX_ANSWER_BYTES);
          expect(performance.now() - started, where).toBeLessThan(MAX_ANSWER_MS);
          if (res.statusCode >= 400) expect(Object.keys(res.json()), where).toEqual(['error']);
        }),
        { numRuns: 15 },
      );
    }
  });

  it('bodies that are not JSON, or are too large, too long or too deep: 4xx in our shape', async () => {
    const oversized = `{"x":"${'a'.repeat(33 * 1024 * 1024)}"}`;
    for (const op of operations) {
      const field = Object.keys(op.schema ? (resolve(op.schema).properties ?? {}) : {})[0] ?? 'x';
      for (const body of [
        oversized,
        `{"${field}":[${'{},'.repeat(MAX_JSON_ARRAY_ITEMS)}{}]}`,
        `{"${field}":${'['.repeat(100)}${']'.repeat(100)}}`,
        '{"unterminated": ',
        '',
      ]) {
        // No body is no body where the route takes none, and the defaults where every field of the body has one (test/http/requests.test.ts).
        if (body === '' && (!op.schema || resolve(op.schema).default !== undefined)) continue;
        const res = await send(op, 'seed.com', body);
        expect(res.statusCode, `${op.method} ${op.path}`).toBeGreaterThanOrEqual(400);
      }
    }
  });
});
