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
});
