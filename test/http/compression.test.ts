/** Responses compressed as Accept-Encoding asks (JSON pages, streamed CSV, the OpenAPI document), identical once decompressed. */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGeneratedUniverse } from '../../src/demo/load.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

describe('compression', () => {
  let t: TestApp;
  let ws: Awaited<ReturnType<TestApp['newWorkspace']>>;
  const get = (url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url, headers: { ...ws.auth, ...headers } });

  beforeAll(async () => {
    t = await createTestApp();
    ws = await t.newWorkspace();
    await loadGeneratedUniverse(t.db.pool, ws.id, { seed: 4, count: 400, now: new Date(), outcomeScale: 3 });
    expect((await t.app.inject({ method: 'POST', url: '/v1/models', headers: ws.auth, payload: {} })).statusCode).toBe(202);
    await t.jobs.idle();
  }, 240_000);
  afterAll(() => t?.close());

  it('gzips a prospect page for a client that accepts gzip, and sends it plain to one that does not', async () => {
    const plain = await get('/v1/prospects?limit=100');
    expect(plain.statusCode, plain.body).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const gzipped = await get('/v1/prospects?limit=100', { 'accept-encoding': 'gzip' });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(String(gzipped.headers.vary)).toMatch(/accept-encoding/i);
    const body = gunzipSync(gzipped.rawPayload).toString('utf8');
    expect(JSON.parse(body).data).toEqual(plain.json().data);
    expect(gzipped.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
  });

  it('prefers brotli when offered, also for the streamed CSV', async () => {
    const plain = await get('/v1/prospects?format=csv&limit=200');
    const compressed = await get('/v1/prospects?format=csv&limit=200', { 'accept-encoding': 'gzip, deflate, br' });
    expect(compressed.headers['content-encoding']).toBe('br');
    expect(compressed.headers['content-type']).toMatch(/text\/csv/);
    expect(brotliDecompressSync(compressed.rawPayload).toString('utf8')).toBe(plain.body);
  });

  it('leaves small bodies as they are', async () => {
    const health = await t.app.inject({ method: 'GET', url: '/health', headers: { 'accept-encoding': 'gzip' } });
    expect(health.statusCode).toBe(200);
    expect(health.headers['content-encoding']).toBeUndefined();
  });
});
