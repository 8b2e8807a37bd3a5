import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LookalikeFilters, ProspectQuery } from '../../src/prospects/schema.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

describe('filters take what imports take', () => {
  it.each(['US', 'us', 'USA', 'usa', 'United States', 'united states of america'])('country=%s on /v1/prospects is US', (country) => {
    expect(ProspectQuery.parse({ country }).country).toBe('US');
    expect(LookalikeFilters.parse({ country }).country).toBe('US');
  });

  it('tiers and industries in any case', () => {
    expect(ProspectQuery.parse({ tier: 'a, b' }).tier).toEqual(['A', 'B']);
    expect(ProspectQuery.parse({ industry: '  Computer   SOFTWARE ' }).industry).toBe('computer software');
  });

  it('says which form to use for a value it cannot read', () => {
    const country = ProspectQuery.safeParse({ country: 'Narnia' });
    expect(country.success).toBe(false);
    expect(country.error?.issues[0].message).toBe(
      '"Narnia" is not a country: send an ISO 3166-1 code (US or USA) or its English name (United States)',
    );
    const tier = ProspectQuery.safeParse({ tier: 'E' });
    expect(tier.error?.issues[0].message).toBe('a tier is one of A, B, C, D (any case)');
  });
});

describe('GET /v1/accounts filters', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(undefined, { settings: { vectorRefreshDebounceMs: 60 * 60_000 } });
  });
  afterAll(() => t.close());

  it('finds accounts imported with a country name by its alpha-3 code, and an industry in another case', async () => {
    const ws = await t.newWorkspace();
    const csv = 'Company Domain Name,Country/Region,Industry\nacme.com,United States,Computer Software\nglobex.de,Germany,Logistics\n';
    const imported = await t.app.inject({
      method: 'POST',
      url: '/v1/accounts/import',
      headers: { ...ws.auth, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(imported.statusCode, imported.body).toBe(200);
    const list = async (query: string) =>
      (await t.app.inject({ method: 'GET', url: `/v1/accounts?${query}`, headers: ws.auth }))
        .json()
        .data.map((a: { domain: string }) => a.domain);
    expect(await list('country=USA')).toEqual(['acme.com']);
    expect(await list('country=deu')).toEqual(['globex.de']);
    expect(await list('industry=COMPUTER%20SOFTWARE')).toEqual(['acme.com']);
    const bad = await t.app.inject({ method: 'GET', url: '/v1/accounts?country=Narnia', headers: ws.auth });
    expect(bad.statusCode).toBe(400);
  });
});
