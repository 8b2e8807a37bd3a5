import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generateOpenApi } from '../../src/openapi.ts';

describe('openapi/openapi.json', () => {
  it('matches the spec generated from the code (run `npm run openapi` when this fails)', async () => {
    const committed = await readFile(new URL('../../openapi/openapi.json', import.meta.url), 'utf8');
    const generated = await generateOpenApi();
    expect(JSON.parse(committed), 'openapi/openapi.json is stale: run `npm run openapi`').toEqual(JSON.parse(generated));
  });

  it('gives every operation an operationId, a tag, a summary and security where it needs a key', async () => {
    const spec = JSON.parse(await generateOpenApi());
    const operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.entries(methods as Record<string, Record<string, unknown>>).map(([method, op]) => ({ path, method, op })),
    );
    expect(operations.length).toBeGreaterThan(3);
    const ids = new Set<string>();
    for (const { path, method, op } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(op.operationId, where).toBeTypeOf('string');
      expect(ids.has(op.operationId as string), `${where}: duplicate operationId`).toBe(false);
      ids.add(op.operationId as string);
      expect((op.tags as string[])?.length, where).toBeGreaterThan(0);
      expect(op.summary, where).toBeTypeOf('string');
      if (path.startsWith('/v1/')) expect(op.security, where).toBeDefined();
    }
  });

  it('reads as a generator reads it: one component per shape, CSV as strings, every error status declared with the error shape', async () => {
    const spec = JSON.parse(await readFile(new URL('../../openapi/openapi.json', import.meta.url), 'utf8'));
    // No input twins: request schemas that differ are written into their requests.
    expect(Object.keys(spec.components.schemas).filter((name) => name.endsWith('Input'))).toEqual([]);
    const lookalikes = spec.paths['/v1/lookalikes'].post.requestBody.content['application/json'].schema;
    expect(lookalikes.required).toEqual(['seedDomains']);
    for (const path of ['/v1/prospects', '/v1/icp']) {
      expect(spec.paths[path].get.responses['200'].content['text/csv'].schema.type, path).toBe('string');
    }
    // The 409s that mean "not yet" send Retry-After: no_scores, and vectors_pending on lookalikes.
    for (const [path, method] of [
      ['/v1/prospects', 'get'],
      ['/v1/prospects/summary', 'get'],
      ['/v1/lookalikes', 'post'],
    ]) {
      expect(spec.paths[path][method].responses['409'].headers?.['Retry-After'], `${method} ${path}`).toBeDefined();
    }
    for (const [path, methods] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(methods as Record<string, { parameters?: unknown[]; responses: object }>)) {
        const where = `${method.toUpperCase()} ${path}`;
        const statuses = Object.keys(op.responses);
        if (op.parameters?.length) expect(statuses, `${where}: validation`).toContain('400');
        if (path !== '/health') expect(statuses, where).toContain('429');
        expect(statuses, where).toContain('500');
        expect(statuses, `${where}: shutting down`).toContain('503');
        for (const [status, response] of Object.entries(
          op.responses as Record<string, { content?: Record<string, { schema: unknown }> }>,
        )) {
          if (Number(status) >= 400 && !(path === '/ready' && status === '503')) {
            expect(response.content?.['application/json']?.schema, `${where} ${status}`).toEqual({ $ref: '#/components/schemas/Error' });
          }
        }
      }
    }
  });
});
