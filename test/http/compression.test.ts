/**
 * Responses compressed as Accept-Encoding asks (JSON pages, streamed CSV, the OpenAPI document), by one rule,
 * identical once decompressed; and the other negotiated parts of the JSON-or-CSV routes: Accept, Vary, conditional requests, HEAD.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadGeneratedUniverse } from '../../src/demo/load.ts';
import { compressors, negotiatedCoding } from '../../src/http/compression.ts';
import { wantsCsv } from '../../src/http/negotiation.ts';
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

  it('sends a page asked again gzipped as the gzipped bytes it kept, without compressing it again', async () => {
    const url = '/v1/prospects?limit=90';
    const plain = await get(url);
    const first = await get(url, { 'accept-encoding': 'gzip' });
    expect(first.headers['content-encoding']).toBe('gzip');
    const gzip = vi.spyOn(compressors, 'gzip');
    try {
      // A copy needs no commit between the two requests (other test files commit on a shared PostgreSQL).
      let copied = false;
      for (let i = 0; i < 200 && !copied; i++) {
        gzip.mockClear();
        const again = await get(url, { 'accept-encoding': 'gzip' });
        expect(again.headers['content-encoding']).toBe('gzip');
        expect(again.headers.etag).toBe(plain.headers.etag);
        expect(gunzipSync(again.rawPayload).toString('utf8')).toBe(plain.body);
        copied = gzip.mock.calls.length === 0;
        if (copied) expect(again.rawPayload.equals(first.rawPayload)).toBe(true);
      }
      expect(copied).toBe(true);
    } finally {
      gzip.mockRestore();
    }
  });

  it('answers If-None-Match naming a page with 304 and no body, whatever the coding asked for', async () => {
    const page = await get('/v1/prospects?limit=100', { 'accept-encoding': 'br' });
    expect(page.headers['content-encoding']).toBe('br');
    const notModified = await get('/v1/prospects?limit=100', { 'accept-encoding': 'gzip', 'if-none-match': page.headers.etag as string });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.rawPayload.length).toBe(0);
  });

  it('answers If-None-Match with 304 without compressing the page: a page is compressed only when it is sent', async () => {
    const url = '/v1/prospects?limit=77';
    const plain = await get(url);
    const spies = [vi.spyOn(compressors, 'br'), vi.spyOn(compressors, 'gzip'), vi.spyOn(compressors, 'deflate')];
    try {
      const asked = { 'accept-encoding': 'gzip, deflate, br' };
      const notModified = await get(url, { ...asked, 'if-none-match': plain.headers.etag as string });
      expect(notModified.statusCode).toBe(304);
      expect(spies.map((spy) => spy.mock.calls.length)).toEqual([0, 0, 0]);
      const sent = await get(url, asked);
      expect(sent.headers['content-encoding']).toBe('br');
      expect(spies[0]).toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it('negotiates by one rule for every response: pages, the CSV and the OpenAPI document', async () => {
    const urls = ['/v1/prospects?limit=100', '/v1/prospects?format=csv&limit=200', '/docs/json'];
    for (const url of urls) {
      const plain = await get(url);
      expect(plain.statusCode, url).toBe(200);
      // `*` is any coding not named, at the same weight: the service's preferred one (the plugin alone gave gzip, even after gzip;q=0).
      for (const header of ['*', 'gzip;q=0, *', 'gzip;q=0.5, br;q=0.5']) {
        const res = await get(url, { 'accept-encoding': header });
        expect(res.headers['content-encoding'], `${url} ${header}`).toBe('br');
        expect(brotliDecompressSync(res.rawPayload).toString('utf8')).toBe(plain.body);
      }
      // Nothing acceptable, identity refused too: plain all the same (docs/architecture.md, "Compression and conditional requests").
      for (const header of ['gzip;q=0, identity;q=0', '*;q=0', 'compress']) {
        const res = await get(url, { 'accept-encoding': header });
        expect([res.statusCode, res.headers['content-encoding']], `${url} ${header}`).toEqual([200, undefined]);
        expect(res.body).toBe(plain.body);
      }
    }
  });

  it('sends a page in the coding the client weighs highest, the preferred one on a tie', () => {
    expect(negotiatedCoding(undefined)).toBeNull();
    expect(negotiatedCoding('identity')).toBeNull();
    expect(negotiatedCoding('gzip, deflate, br')).toBe('br');
    expect(negotiatedCoding('br;q=0.5, gzip')).toBe('gzip');
    expect(negotiatedCoding('br;q=0, *')).toBe('gzip');
    expect(negotiatedCoding('*;q=0')).toBeNull();
    expect(negotiatedCoding('X-GZIP')).toBe('gzip');
    expect(negotiatedCoding('deflate;q=0.2, gzip;q=0.1')).toBe('deflate');
    expect(negotiatedCoding('*')).toBe('br');
    expect(negotiatedCoding('gzip;q=0, *')).toBe('br');
    expect(negotiatedCoding('br;q=0, gzip;q=0, *;q=0.1')).toBe('deflate');
    expect(negotiatedCoding('gzip;q=0, identity;q=0')).toBeNull();
    expect(negotiatedCoding('')).toBeNull();
  });

  it('says Vary: Accept, Accept-Encoding on every answer negotiated by Accept, JSON or CSV, plain, compressed or 304', async () => {
    const page = await get('/v1/prospects?limit=30');
    const answers = [
      page,
      await get('/v1/prospects?limit=30', { 'accept-encoding': 'gzip' }),
      await get('/v1/prospects?limit=30', { 'if-none-match': page.headers.etag as string }),
      await get('/v1/prospects?format=csv&limit=30'),
      await get('/v1/prospects?limit=30', { accept: 'text/csv' }),
      await get('/v1/prospects?limit=30', { accept: 'text/csv', 'accept-encoding': 'gzip' }),
      await get('/v1/prospects?limit=30', { accept: 'text/csv', 'if-none-match': '*' }),
      await t.app.inject({ method: 'HEAD', url: '/v1/prospects?format=csv', headers: ws.auth }),
      await get('/v1/icp'),
      await get('/v1/icp', { accept: 'text/csv' }),
      await get('/v1/icp?format=csv&part=segments', { 'accept-encoding': 'gzip' }),
    ];
    for (const res of answers) {
      const vary = String(res.headers.vary)
        .toLowerCase()
        .split(/\s*,\s*/);
      expect(res.statusCode).toBeLessThan(400);
      expect(vary, `${res.statusCode} ${res.headers['content-type']}`).toEqual(expect.arrayContaining(['accept', 'accept-encoding']));
    }
  });

  it('chooses CSV when Accept names text/csv and weighs JSON no higher, JSON otherwise (prospects and ICP alike)', async () => {
    const cases: [string, 'csv' | 'json'][] = [
      ['text/csv', 'csv'],
      ['text/csv, application/json', 'csv'],
      ['application/json;q=0.5, text/csv', 'csv'],
      ['TEXT/CSV; charset=utf-8', 'csv'],
      ['application/json, text/csv;q=0', 'json'],
      ['text/csv;q=0.5, application/json', 'json'],
      ['text/csv;q=0.5, */*', 'json'],
      ['*/*', 'json'],
      ['text/*', 'json'],
      ['text/html', 'json'],
    ];
    for (const url of ['/v1/prospects?limit=5', '/v1/icp']) {
      for (const [accept, sent] of cases) {
        const res = await get(url, { accept });
        expect([res.statusCode, String(res.headers['content-type']).split(';')[0]], `${url} ${accept}`).toEqual([
          200,
          sent === 'csv' ? 'text/csv' : 'application/json',
        ]);
      }
      expect(wantsCsv('json', 'text/csv')).toBe(false);
      expect(wantsCsv('csv', 'application/json')).toBe(true);
    }
  });

  it('gives the CSV no entity tag: a JSON page\'s ETag does not match it, "*" does', async () => {
    const page = await get('/v1/prospects?limit=30');
    const csv = await get('/v1/prospects?limit=30', { accept: 'text/csv', 'if-none-match': page.headers.etag as string });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers.etag).toBeUndefined();
    const any = await get('/v1/prospects?format=csv', { 'if-none-match': '*' });
    expect([any.statusCode, any.rawPayload.length]).toEqual([304, 0]);
  });

  it('answers HEAD on the CSV with the headers a GET gets, reading none of its rows', async () => {
    const asked = { 'accept-encoding': 'gzip' };
    const download = await get('/v1/prospects?format=csv', asked);
    const query = vi.spyOn(t.db.pool, 'query');
    try {
      const head = await t.app.inject({ method: 'HEAD', url: '/v1/prospects?format=csv', headers: { ...ws.auth, ...asked } });
      expect(head.statusCode).toBe(200);
      expect(head.rawPayload.length).toBe(0);
      for (const name of ['content-type', 'content-encoding', 'content-disposition', 'vary'])
        expect(head.headers[name], name).toBe(download.headers[name]);
      expect(head.headers['content-length']).toBeUndefined(); // known only as the rows are sent, as for the GET
      // fastify read a HEAD's stream to its end (the whole list), after the answer: give it the time to.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const sql = query.mock.calls.map(([text]) => String(typeof text === 'string' ? text : (text as { text: string }).text));
      expect(sql.filter((text) => text.includes('account_scores'))).toEqual([]);
    } finally {
      query.mockRestore();
    }
  });

  it('answers HEAD on a page with the headers a GET gets, its compressed length included', async () => {
    const asked = { 'accept-encoding': 'gzip' };
    const page = await get('/v1/prospects?limit=100', asked);
    const head = await t.app.inject({ method: 'HEAD', url: '/v1/prospects?limit=100', headers: { ...ws.auth, ...asked } });
    expect(head.rawPayload.length).toBe(0);
    for (const name of ['content-type', 'content-encoding', 'vary', 'etag']) expect(head.headers[name], name).toBe(page.headers[name]);
    expect(Number(head.headers['content-length'])).toBe(page.rawPayload.length);
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
