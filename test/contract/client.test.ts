/**
 * The contract a generated client relies on: the types openapi-typescript generates from
 * openapi/openapi.json are checked in and current, the client's main flow (test/contract/flow.ts,
 * written only against them with openapi-fetch) type-checks on its own, and it runs against a live
 * service whose every answer is a status and content type the document declares for that operation,
 * with a JSON body that the operation's schema for that status accepts (ajv, JSON Schema 2020-12 as
 * OpenAPI 3.1 uses): a required field missing, an undeclared null or enum value fails here.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Middleware } from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsToCsvLines, generateUniverse } from '../../src/demo/universe.ts';
import { generateClientTypes } from '../../scripts/client-types.ts';
import { createTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/app.ts';
import { mainFlow } from './flow.ts';

const root = new URL('../../', import.meta.url);
const spec = await readFile(new URL('openapi/openapi.json', root), 'utf8');
type Operation = { responses: Record<string, { content?: Record<string, { schema: object }> }> };
const document = JSON.parse(spec) as { paths: Record<string, Record<string, Operation>>; components: object };

/** Checks a JSON body against the schema the document gives it; null when it conforms, else what does not. */
function bodyChecker() {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ $id: 'openapi.json', components: document.components });
  const compiled = new Map<object, ReturnType<typeof ajv.compile>>();
  return (schema: object, body: unknown): string | null => {
    if (!compiled.has(schema)) compiled.set(schema, ajv.compile({ $id: `response-${compiled.size}`, ...rebase(schema) }));
    const validate = compiled.get(schema)!;
    return validate(body) ? null : ajv.errorsText(validate.errors);
  };
}

/** The schema with its local references ('#/components/...') pointing into the document added to ajv. */
const rebase = (schema: object): object => JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi.json#/components/'));

describe('the generated client', () => {
  let t: TestApp;
  let baseUrl: string;
  let receiver: Server;

  beforeAll(async () => {
    // The webhook's receiver listens on 127.0.0.1: allowed here only.
    t = await createTestApp(undefined, { settings: { webhookAllowPrivate: true } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    receiver = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('has its types checked in as openapi-typescript generates them from openapi/openapi.json (run `npm run openapi` when this fails)', async () => {
    expect(await readFile(new URL('openapi/schema.ts', root), 'utf8')).toBe(await generateClientTypes(spec));
  });

  it('type-checks the main flow against those types alone', async () => {
    const tsc = new URL('node_modules/typescript/bin/tsc', root).pathname;
    const options = ['--noEmit', '--strict', '--skipLibCheck', '--allowImportingTsExtensions', '--target', 'ES2022'];
    const run = promisify(execFile)(
      process.execPath,
      [tsc, ...options, '--module', 'NodeNext', '--types', 'node', 'test/contract/flow.ts'],
      {
        cwd: root.pathname,
      },
    );
    await expect(run.catch((err: { stdout: string }) => Promise.reject(new Error(err.stdout)))).resolves.toBeDefined();
  }, 120_000);

  it('runs the main flow against a live service, every answer declared in the document', async () => {
    const universe = generateUniverse({ seed: 5, count: 1_500, now: new Date() });
    const exchanges: string[] = [];
    const undeclared: string[] = [];
    const checkBody = bodyChecker();
    const declared: Middleware = {
      async onResponse({ schemaPath, request, response }) {
        const operation = document.paths[schemaPath]?.[request.method.toLowerCase()];
        const answer = operation?.responses[String(response.status)];
        const type = (response.headers.get('content-type') ?? '').split(';')[0];
        const exchange = `${request.method} ${schemaPath} ${response.status} ${type}`;
        exchanges.push(exchange);
        if (!answer || (response.status !== 204 && !(type in (answer.content ?? {})))) undeclared.push(exchange);
        else if (type === 'application/json') {
          const mismatch = checkBody(answer.content![type].schema, await response.clone().json());
          if (mismatch) undeclared.push(`${exchange}: ${mismatch}`);
        }
      },
    };
    const r = await mainFlow({
      baseUrl,
      adminToken: TEST_ADMIN_TOKEN,
      accountsCsv: [...accountsToCsvLines(universe.accounts)].join(''),
      outcomes: universe.outcomes.map((o) => ({ ...o })),
      webhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
      middleware: declared,
    });
    expect(undeclared, exchanges.join('\n')).toEqual([]);

    expect(r.reader).toMatchObject({ name: 'reports', scope: 'read' });
    expect(r.keys.map((k) => k.scope).sort()).toEqual(['read', 'write']);
    expect(r.imported).toMatchObject({ inserted: 1_500 });
    expect(r.recorded.recorded).toBe(universe.outcomes.length);
    // Waiting said what was under way, and when to ask again.
    expect(r.waits.length).toBeGreaterThan(0);
    expect(r.waits[0].underway).toBe('training');
    expect(
      r.waits.every((w) => Number(w.retryAfter) >= 1),
      JSON.stringify(r.waits),
    ).toBe(true);
    expect(r.model.scoring).toMatchObject({ status: 'completed', progress: 1 });
    expect(r.job.job).toMatchObject({ type: 'model.train', status: 'completed' });
    expect(r.models.map((m) => m.id)).toContain(r.model.id);
    expect(r.summary.prospects).toBe(Object.values(r.summary.tiers).reduce((a, b) => a + b, 0));
    expect(r.coverage.accounts).toBe(1_500);
    expect(r.badId).toEqual({ status: 400, code: 'validation_failed' });

    expect(r.page).toHaveLength(20);
    expect(r.second).toHaveLength(20);
    expect(new Set([...r.page, ...r.second!].map((p) => p.domain)).size).toBe(40);
    const lines = r.csv.trimEnd().split('\n');
    expect(lines[0].startsWith('rank,domain,')).toBe(true);
    expect(lines[1]).toContain(r.page[0].domain);
    expect(r.lookalikes.data.length).toBeGreaterThan(0);
    expect(r.icp.attributes.length).toBeGreaterThan(0);
    expect(r.fit.domain).toBe(r.page[0].domain);
    // Rounded as a page's scores are, not 0.6111061709747672.
    for (const x of [r.fit.score, r.fit.subscores.similarity, r.fit.subscores.intent]) expect(Math.round(x * 1e5) / 1e5).toBe(x);
    expect(Array.isArray(r.backtests.data)).toBe(true);
    expect(r.hooks).toHaveLength(1);
    expect(Array.isArray(r.deliveries.data)).toBe(true);
    expect(r.deletedStatus).toBe(204);
  }, 300_000);
});
