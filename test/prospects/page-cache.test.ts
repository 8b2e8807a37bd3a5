/**
 * Pages kept and sent again (src/prospects/page-cache.ts): a page asked again while nothing was committed
 * is a copy, and any change a page shows — exclusions, outcomes, account edits, writes by another
 * connection — is in the next page read after it, whoever made it.
 */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { databaseSnapshot } from '../../src/db/snapshot.ts';
import { loadGeneratedUniverse } from '../../src/demo/load.ts';
import { noneMatch, weakEtag } from '../../src/http/etag.ts';
import { PageCache } from '../../src/prospects/page-cache.ts';
import { compressors, type ContentCoding } from '../../src/http/compression.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

const page = (text: string) => ({ body: Buffer.from(text), etag: `W/"${text}"` });

describe('the page cache', () => {
  it('serves a page only at the snapshot it was read at and before it would read differently', () => {
    const cache = new PageCache(1024);
    cache.keep('a', { snapshot: 's1', sameUntil: 2_000, ...page('A') }, 1_000);
    expect(cache.get('a', 's1', 1_999)?.body.toString()).toBe('A');
    expect(cache.get('a', 's1', 2_000)).toBeNull();
    expect(cache.get('a', 's2', 1_500)).toBeNull();
    expect(cache.get('b', 's1', 1_500)).toBeNull();
  });

  it('keeps the pages of one snapshot, the most recently used within its bytes, and nothing past its time', () => {
    const cache = new PageCache(10);
    const keep = (key: string, snapshot: string, bytes: number) =>
      cache.keep(key, { snapshot, sameUntil: Number.POSITIVE_INFINITY, ...page(key.repeat(bytes)) }, 0);
    keep('a', 's1', 4);
    keep('b', 's1', 4);
    expect(cache.get('a', 's1', 0)).not.toBeNull(); // a is now the most recently used
    keep('c', 's1', 4); // 12 bytes: b, the least recently used, goes
    expect(cache.get('b', 's1', 0)).toBeNull();
    expect(cache.get('a', 's1', 0)?.body.toString()).toBe('aaaa');
    expect(cache.get('c', 's1', 0)?.body.toString()).toBe('cccc');
    keep('d', 's2', 4); // a page of a newer snapshot frees the others
    expect(cache.get('a', 's1', 0)).toBeNull();
    expect(cache.get('d', 's2', 0)).not.toBeNull();
    keep('e', 's2', 11); // larger than the whole cache: not kept, nothing freed
    expect(cache.get('e', 's2', 0)).toBeNull();
    expect(cache.get('d', 's2', 0)).not.toBeNull();
    cache.keep('f', { snapshot: 's2', sameUntil: 5, ...page('f') }, 5);
    expect(cache.get('f', 's2', 0)).toBeNull();
    const none = new PageCache(0);
    none.keep('a', { snapshot: 's1', sameUntil: Number.POSITIVE_INFINITY, ...page('a') }, 0);
    expect(none.get('a', 's1', 0)).toBeNull();
  });
});

describe('the page cache, compressed', () => {
  it('keeps a page compressed in each coding asked for, within its bytes, and a page too small to gain plain', async () => {
    const text = JSON.stringify({ data: Array.from({ length: 200 }, (_, i) => ({ domain: `acme${i}.com` })) });
    const read = async () => ({ sameUntil: Number.POSITIVE_INFINITY, ...page(text) });
    const cache = new PageCache(text.length + 2_000);
    const gzip = vi.spyOn(compressors, 'gzip');
    const sent = async (c: PageCache, key: string, coding: ContentCoding | null, reader = read) =>
      (await c.page(key, 's1', reader)).encoded(coding);
    try {
      const first = await sent(cache, 'p', 'gzip');
      expect(first.encoding).toBe('gzip');
      expect(gunzipSync(first.body).toString()).toBe(text);
      const again = await sent(cache, 'p', 'gzip');
      expect(again.body).toBe(first.body);
      expect(gzip).toHaveBeenCalledTimes(1);
      expect((await sent(cache, 'p', null)).body.toString()).toBe(text);
      const tiny = await sent(cache, 't', 'gzip', async () => ({ sameUntil: Number.POSITIVE_INFINITY, ...page('{"data":[]}') }));
      expect(tiny).toMatchObject({ encoding: null, body: Buffer.from('{"data":[]}') });
      expect(gzip).toHaveBeenCalledTimes(1);
      // The brotli copy does not fit beside the page and its gzip copy: the page goes.
      const small = new PageCache(text.length + first.body.length + 10);
      await sent(small, 'p', 'gzip');
      expect(small.get('p', 's1', 0)).not.toBeNull();
      await sent(small, 'p', 'br');
      expect(small.get('p', 's1', 0)).toBeNull();
    } finally {
      gzip.mockRestore();
    }
  });

  it('compresses a page only when it is asked for in a coding, not when it is read', async () => {
    const text = JSON.stringify({ data: Array.from({ length: 200 }, (_, i) => ({ domain: `acme${i}.com` })) });
    const cache = new PageCache(100_000);
    const [gzip, br] = [vi.spyOn(compressors, 'gzip'), vi.spyOn(compressors, 'br')];
    try {
      const read = await cache.page('p', 's1', async () => ({ sameUntil: Number.POSITIVE_INFINITY, ...page(text) }));
      expect(read.body.toString()).toBe(text);
      expect(gzip.mock.calls.length + br.mock.calls.length).toBe(0);
      expect((await read.encoded('br')).encoding).toBe('br');
      expect(br).toHaveBeenCalledTimes(1);
    } finally {
      gzip.mockRestore();
      br.mockRestore();
    }
  });

  it.each([
    ['kept', 100_000],
    ['not kept (no room)', 0],
  ])('compresses a page once for the requests that ask for it in a coding at the same time (%s)', async (_what, maxBytes) => {
    const text = JSON.stringify({ data: Array.from({ length: 200 }, (_, i) => ({ domain: `acme${i}.com` })) });
    const cache = new PageCache(maxBytes);
    const gzip = vi.spyOn(compressors, 'gzip');
    try {
      const read = async () => ({ sameUntil: Number.POSITIVE_INFINITY, ...page(text) });
      const asked = Array.from({ length: 20 }, async () => (await cache.page('p', 's1', read)).encoded('gzip'));
      const sent = await Promise.all(asked);
      expect(gzip).toHaveBeenCalledTimes(1);
      for (const one of sent) expect(one).toMatchObject({ encoding: 'gzip', body: sent[0].body });
      // Once done, a page not kept is compressed again when asked again: nothing holds a finished compression but the page.
      await (await cache.page('p', 's1', read)).encoded('gzip');
      expect(gzip).toHaveBeenCalledTimes(maxBytes === 0 ? 2 : 1);
    } finally {
      gzip.mockRestore();
    }
  });
});

describe('entity tags', () => {
  it('are weak, equal for equal bytes, and matched by If-None-Match as RFC 9110 compares them', () => {
    const tag = weakEtag(Buffer.from('{"data":[]}'));
    expect(tag).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
    expect(weakEtag(Buffer.from('{"data":[]}'))).toBe(tag);
    expect(weakEtag(Buffer.from('{"data":[1]}'))).not.toBe(tag);
    const strong = tag.slice(2);
    for (const header of [tag, strong, `"other", ${tag}`, '*']) expect(noneMatch(header, tag), header).toBe(true);
    for (const header of [undefined, '', '"other"', 'W/"other"']) expect(noneMatch(header, tag), header).toBe(false);
    // A representation sent without a tag (the streamed CSV) is matched by "*" only.
    expect(noneMatch('*', null)).toBe(true);
    for (const header of [tag, strong, '""', 'W/""']) expect(noneMatch(header, null), header).toBe(false);
  });
});

describe('the page cache, read by many requests at once', () => {
  it('reads a page once for the requests that ask for it while it is read, and keeps it', async () => {
    const cache = new PageCache(1024);
    let reads = 0;
    let finish: () => void = () => {};
    const read = async () => {
      reads++;
      await new Promise<void>((resolve) => (finish = resolve));
      return { sameUntil: Number.POSITIVE_INFINITY, ...page('P') };
    };
    const asked = Array.from({ length: 20 }, () => cache.page('p', 's1', read));
    finish();
    expect((await Promise.all(asked)).map((p) => p.body.toString())).toEqual(Array(20).fill('P'));
    expect(reads).toBe(1);
    expect((await cache.page('p', 's1', read)).body.toString()).toBe('P');
    expect(reads).toBe(1);
  });

  it('fails every request waiting for a read that fails, keeps nothing, and reads again when asked again', async () => {
    const cache = new PageCache(1024);
    const failing = async (): Promise<never> => {
      throw new Error('no scores');
    };
    const asked = [cache.page('p', 's1', failing), cache.page('p', 's1', failing)];
    for (const result of await Promise.allSettled(asked)) expect(result.status).toBe('rejected');
    expect((await cache.page('p', 's1', async () => ({ sameUntil: Number.POSITIVE_INFINITY, ...page('P') }))).body.toString()).toBe('P');
  });
});

describe('prospect pages sent again', () => {
  let t: TestApp;
  let ws: Awaited<ReturnType<TestApp['newWorkspace']>>;
  const get = (url: string, headers: Record<string, string> = ws.auth) => t.app.inject({ method: 'GET', url, headers });
  const domains = async (url = '/v1/prospects?limit=20') => {
    const res = await get(url);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    return (res.json().data as { domain: string; name: string }[]).map((p) => p.domain);
  };

  beforeAll(async () => {
    // A retrain after an outcome change would replace the run mid-test: far away.
    t = await createTestApp(undefined, { retrainDebounceMs: 3_600_000 });
    ws = await t.newWorkspace();
    await loadGeneratedUniverse(t.db.pool, ws.id, { seed: 31, count: 800, now: new Date() });
    await t.app.inject({ method: 'POST', url: '/v1/models', headers: ws.auth, payload: {} });
    await t.jobs.idle();
  }, 300_000);
  afterAll(() => t?.close());

  it('reads the snapshot the same while nothing commits, and differently after a commit', async () => {
    // On PostgreSQL the snapshot is the server's: other test files commit meanwhile, so equal reads are looked for, not assumed.
    let equal = false;
    for (let i = 0; i < 200 && !equal; i++) {
      const first = await databaseSnapshot(t.db.pool);
      equal = first === (await databaseSnapshot(t.db.pool));
    }
    expect(equal).toBe(true);
    const before = await databaseSnapshot(t.db.pool);
    await t.db.pool.query('UPDATE workspaces SET name = name WHERE id = $1', [ws.id]);
    expect(await databaseSnapshot(t.db.pool)).not.toBe(before);
  });

  it('sends a page asked again without reading the ranking again, byte for byte the same', async () => {
    const url = '/v1/prospects?limit=50&tier=A,B,C';
    const first = await get(url);
    expect(first.statusCode).toBe(200);
    const query = vi.spyOn(t.db.pool, 'query');
    try {
      // A hit needs no commit between two reads of the snapshot (other test files commit on a shared PostgreSQL).
      let hit = false;
      for (let i = 0; i < 200 && !hit; i++) {
        query.mockClear();
        const again = await get(url);
        expect(again.body).toBe(first.body);
        hit = !query.mock.calls.some(([sql]) =>
          String(typeof sql === 'string' ? sql : (sql as { text: string }).text).includes('account_scores'),
        );
      }
      expect(hit).toBe(true);
    } finally {
      query.mockRestore();
    }
  });

  it('answers 304 with no body to If-None-Match naming the page, and the page again once it reads differently', async () => {
    const url = '/v1/prospects?limit=20';
    const first = await get(url);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\//);
    const notModified = await get(url, { ...ws.auth, 'if-none-match': etag });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.body).toBe('');
    expect(notModified.headers.etag).toBe(etag);
    // A commit that changes nothing on the page (another workspace's): the page reads the same, so the tag holds.
    await t.newWorkspace('Bystander');
    expect((await get(url, { ...ws.auth, 'if-none-match': etag })).statusCode).toBe(304);
    const [top] = first.json().data.map((p: { domain: string }) => p.domain);
    await t.app.inject({ method: 'PUT', url: '/v1/exclusions', headers: ws.auth, payload: { domains: [top] } });
    const changed = await get(url, { ...ws.auth, 'if-none-match': etag });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.json().data.map((p: { domain: string }) => p.domain)).not.toContain(top);
    await t.app.inject({ method: 'PUT', url: '/v1/exclusions', headers: ws.auth, payload: {} });
  });

  it('shows an exclusion, an outcome and an account edit in the next page read', async () => {
    const [excluded, won, renamed] = await domains();
    expect(
      (await t.app.inject({ method: 'PUT', url: '/v1/exclusions', headers: ws.auth, payload: { domains: [excluded] } })).statusCode,
    ).toBe(200);
    expect(await domains()).not.toContain(excluded);
    const outcome = { outcomes: [{ domain: won, status: 'won' }] };
    expect((await t.app.inject({ method: 'POST', url: '/v1/outcomes', headers: ws.auth, payload: outcome })).statusCode).toBe(200);
    expect(await domains()).not.toContain(won);
    const account = { accounts: [{ domain: renamed, name: 'Renamed Since Scored' }] };
    expect((await t.app.inject({ method: 'POST', url: '/v1/accounts', headers: ws.auth, payload: account })).statusCode).toBeLessThan(300);
    const res = await get('/v1/prospects?limit=20');
    expect(res.json().data.find((p: { domain: string }) => p.domain === renamed)?.name).toBe('Renamed Since Scored');
    await t.app.inject({ method: 'PUT', url: '/v1/exclusions', headers: ws.auth, payload: {} });
    expect(await domains()).toContain(excluded);
  });

  it('shows a write made by another connection, not through the API', async () => {
    const [top] = await domains();
    // As another process of this service edits an account: its content hash changes with it.
    await t.db.pool.query(`UPDATE accounts SET name = $3, content_hash = 'edited elsewhere' WHERE workspace_id = $1 AND domain = $2`, [
      ws.id,
      top,
      'Written Elsewhere',
    ]);
    const res = await get('/v1/prospects?limit=20');
    expect(res.json().data.find((p: { domain: string }) => p.domain === top)?.name).toBe('Written Elsewhere');
  });

  it("never sends one workspace's kept page to another", async () => {
    const other = await t.newWorkspace('Other');
    await domains();
    const res = await get('/v1/prospects?limit=20', other.auth);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('no_scores');
  });
});
