import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';

describe('POST /v1/accounts and account reads', () => {
  let t: TestApp;
  let ws: Awaited<ReturnType<TestApp['newWorkspace']>>;
  beforeAll(async () => {
    t = await createTestApp();
    ws = await t.newWorkspace();
  });
  afterAll(() => t.close());

  const post = (accounts: unknown[], auth = ws.auth) =>
    t.app.inject({ method: 'POST', url: '/v1/accounts', headers: auth, payload: { accounts } });

  it('normalises and upserts by domain, then reports unchanged and updated rows', async () => {
    const first = await post([
      {
        domain: 'https://www.Acme.com/about?x=1',
        name: 'Acme',
        employees: '1,200',
        country: 'United States',
        technologies: 'Salesforce; Snowflake',
      },
      { domain: 'globex.io', name: 'Globex', employees: 40, revenue: '$5M', businessModel: 'B2B' },
    ]);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ inserted: 2, updated: 0, unchanged: 0, rejected: [] });

    const got = (await t.app.inject({ method: 'GET', url: '/v1/accounts/acme.com', headers: ws.auth })).json();
    expect(got.account).toMatchObject({ domain: 'acme.com', employees: 1200, country: 'US', technologies: ['salesforce', 'snowflake'] });
    expect(got.signals).toEqual([]);
    expect(got.outcome).toBeNull();

    const again = await post([
      { domain: 'acme.com', name: 'Acme', employees: 1200, country: 'US', technologies: ['salesforce', 'snowflake'] },
      { domain: 'globex.io', name: 'Globex Corp', employees: 40, revenue: 5_000_000, businessModel: 'b2b' },
    ]);
    expect(again.json()).toMatchObject({ inserted: 0, updated: 1, unchanged: 1 });
  });

  it('stores text exactly as sent, whatever characters it holds', async () => {
    // The upsert sends each column as an array literal: quotes, backslashes, braces, commas, line
    // breaks, non-ASCII text and a list item spelled NULL must all come back as they went in.
    const odd = ['say "hi"', 'back\\slash \\"', '{braces}, commas', 'multi\nline\ttab', 'Zoë 東京 🚀'];
    const accounts = odd.map((text, i) => ({
      domain: `odd${i}.com`,
      name: text,
      city: text,
      description: text,
      technologies: [text, `${text} 2`],
      keywords: [text, 'NULL'],
    }));
    expect((await post(accounts)).json()).toMatchObject({ inserted: odd.length, rejected: [] });
    for (const [i, text] of odd.entries()) {
      const { account } = (await t.app.inject({ method: 'GET', url: `/v1/accounts/odd${i}.com`, headers: ws.auth })).json();
      const list = text.trim().replace(/\s+/g, ' ').toLowerCase();
      expect(account).toMatchObject({
        name: text,
        city: text,
        description: text,
        technologies: [list, `${list} 2`],
        keywords: [list, 'null'],
      });
    }
    expect((await post(accounts)).json()).toMatchObject({ inserted: 0, updated: 0, unchanged: odd.length });
  });

  it('rejects the whole batch when a row is invalid, naming each row and reason', async () => {
    const res = await post([
      { domain: 'good-one.com' },
      { domain: 'not a domain', employees: 'lots' },
      { name: 'No domain' },
      { domain: 'typed.com', employees: { nested: true } },
    ]);
    expect(res.statusCode).toBe(422);
    const error = res.json().error;
    expect(error.code).toBe('rows_rejected');
    expect(error.details.rejected.map((r: { index: number }) => r.index)).toEqual([1, 2, 3]);
    expect(error.details.rejected[0].errors.join(' ')).toMatch(/domain/);
    expect(error.details.rejected[0].errors.join(' ')).toMatch(/employees/);
    expect((await t.app.inject({ method: 'GET', url: '/v1/accounts/good-one.com', headers: ws.auth })).statusCode).toBe(404);
  });

  it('keeps the last of duplicate domains in one batch and reports them', async () => {
    const res = await post([
      { domain: 'dup.com', name: 'First' },
      { domain: 'www.dup.com', name: 'Second' },
    ]);
    expect(res.json()).toMatchObject({ inserted: 1, duplicates: [{ domain: 'dup.com', index: 1, replaces: 0 }] });
    const got = (await t.app.inject({ method: 'GET', url: '/v1/accounts/dup.com', headers: ws.auth })).json();
    expect(got.account.name).toBe('Second');
  });

  it('answers 413 over the batch limit and 415 for a body that is not JSON', async () => {
    const big = await post(Array.from({ length: 10_001 }, (_, i) => ({ domain: `b${i}.com` })));
    expect(big.statusCode).toBe(413);
    expect(big.json().error.message).toMatch(/10000/);
    const xml = await t.app.inject({
      method: 'POST',
      url: '/v1/accounts',
      headers: { ...ws.auth, 'content-type': 'application/xml' },
      payload: '<accounts/>',
    });
    expect(xml.statusCode).toBe(415);
    expect(xml.json().error.code).toBe('unsupported_media_type');
    const wrongShape = await t.app.inject({ method: 'POST', url: '/v1/accounts', headers: ws.auth, payload: { accounts: 'nope' } });
    expect(wrongShape.statusCode).toBe(400);
    expect(wrongShape.json().error.details[0].path).toBe('body.accounts');
  });

  it('lists with cursor pagination and filters, and deletes', async () => {
    await post(
      Array.from({ length: 25 }, (_, i) => ({
        domain: `page${String(i).padStart(2, '0')}.com`,
        industry: i % 2 ? 'software' : 'retail',
        technologies: i % 5 === 0 ? ['hubspot'] : [],
      })),
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const qs: string = `limit=7&industry=software${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await t.app.inject({ method: 'GET', url: `/v1/accounts?${qs}`, headers: ws.auth })).json();
      seen.push(...page.data.map((a: { domain: string }) => a.domain));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
    expect([...seen].sort()).toEqual(seen);
    const hubspot = (await t.app.inject({ method: 'GET', url: '/v1/accounts?technology=HubSpot', headers: ws.auth })).json();
    expect(hubspot.data.map((a: { domain: string }) => a.domain)).toEqual([
      'page00.com',
      'page05.com',
      'page10.com',
      'page15.com',
      'page20.com',
    ]);

    expect((await t.app.inject({ method: 'DELETE', url: '/v1/accounts/page00.com', headers: ws.auth })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'DELETE', url: '/v1/accounts/page00.com', headers: ws.auth })).statusCode).toBe(404);
  });

  it("never shows or changes another workspace's accounts", async () => {
    const other = await t.newWorkspace('Other');
    await post([{ domain: 'private.com', name: 'Mine' }]);
    expect((await t.app.inject({ method: 'GET', url: '/v1/accounts/private.com', headers: other.auth })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/v1/accounts', headers: other.auth })).json().data).toEqual([]);
    expect((await t.app.inject({ method: 'DELETE', url: '/v1/accounts/private.com', headers: other.auth })).statusCode).toBe(404);
    // The same domain in another workspace is a separate account.
    expect((await post([{ domain: 'private.com', name: 'Theirs' }], other.auth)).json().inserted).toBe(1);
    const mine = (await t.app.inject({ method: 'GET', url: '/v1/accounts/private.com', headers: ws.auth })).json();
    expect(mine.account.name).toBe('Mine');
  });
});
