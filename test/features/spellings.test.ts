import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentVocabulary } from '../../src/features/service.ts';
import { describeFeatures } from '../../src/features/spec.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

// Labels keep the spelling most accounts were imported with; matching stays case-insensitive.
describe('spellings of imported values', () => {
  let t: TestApp;
  let ws: Awaited<ReturnType<TestApp['newWorkspace']>>;

  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: ws.auth });
  const importCsv = (csv: string) =>
    t.app.inject({ method: 'POST', url: '/v1/accounts/import', headers: { ...ws.auth, 'content-type': 'text/csv' }, payload: csv });
  const row = (domain: string, industry: string, region: string, city: string) => `${domain},${industry},US,${region},${city}`;
  const csv = [
    'domain,industry,country,region,city',
    ...[1, 2, 3, 4].map((i) => row(`sec${i}.example`, 'IT and Cybersecurity', 'SF Bay Area', 'San Francisco')),
    ...[5, 6].map((i) => row(`sec${i}.example`, 'it and cybersecurity', 'sf bay area', 'san francisco')),
    ...[1, 2, 3, 4, 5, 6].map((i) => row(`shop${i}.example`, 'Retail', 'Greater Boston', 'Boston')),
  ].join('\n');

  beforeAll(async () => {
    t = await createTestApp(undefined, { settings: { vectorRefreshDebounceMs: 60 * 60_000 } });
    ws = await t.newWorkspace();
    const res = await importCsv(csv);
    expect(res.json()).toMatchObject({ inserted: 12, rejectedCount: 0 });
  });
  afterAll(() => t?.close());

  it('filters by the industry in any spelling; the API shows it normalised', async () => {
    for (const industry of ['IT and Cybersecurity', 'it and cybersecurity', 'IT AND  CYBERSECURITY']) {
      const res = await get(`/v1/accounts?industry=${encodeURIComponent(industry)}&limit=100`);
      expect(res.statusCode, res.body).toBe(200);
      expect(
        res
          .json()
          .data.map((a: { domain: string }) => a.domain)
          .sort(),
      ).toEqual([1, 2, 3, 4, 5, 6].map((i) => `sec${i}.example`));
      expect(new Set(res.json().data.map((a: { industry: string }) => a.industry))).toEqual(new Set(['it and cybersecurity']));
    }
    const { rows } = await t.db.pool.query<{ industry_spelling: string | null; n: number }>(
      "SELECT industry_spelling, count(*)::int AS n FROM accounts WHERE workspace_id = $1 AND industry = 'it and cybersecurity' GROUP BY 1 ORDER BY 1",
      [ws.id],
    );
    expect(rows).toEqual([
      { industry_spelling: 'IT and Cybersecurity', n: 4 },
      { industry_spelling: null, n: 2 },
    ]);
  });

  it('labels features with the spelling most accounts carry', async () => {
    const { vocabulary } = await currentVocabulary(t.db.pool, ws.id);
    const label = (key: string) => describeFeatures(vocabulary).find((f) => f.key === key)?.label;
    expect(label('industry:it and cybersecurity')).toBe('Industry: IT and Cybersecurity');
    expect(label('area:sf bay area')).toBe('Area: SF Bay Area');
    expect(label('city:san francisco')).toBe('City: San Francisco');
    expect(label('industry:retail')).toBe('Industry: Retail');

    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/lookalikes',
      headers: ws.auth,
      payload: { seedDomains: ['sec1.example', 'sec5.example'], limit: 4 },
    });
    expect(res.statusCode, res.body).toBe(200);
    const shared = res.json().data.flatMap((d: { resembles: { shared: string[] }[] }) => d.resembles.flatMap((r) => r.shared));
    expect(shared).toContain('Industry: IT and Cybersecurity');
    expect(shared).toContain('Area: SF Bay Area');
    expect(shared.join(' ')).not.toMatch(/It And|Sf Bay/);
  });

  it('names ICP attributes with the same spelling', async () => {
    const outcomes = [1, 2, 3, 5].map((i) => ({ domain: `sec${i}.example`, status: 'won' }));
    const lost = [1, 2].map((i) => ({ domain: `shop${i}.example`, status: 'lost' }));
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/outcomes',
      headers: ws.auth,
      payload: { outcomes: [...outcomes, ...lost] },
    });
    expect(res.statusCode, res.body).toBe(200);
    const icp = await get('/v1/icp');
    expect(icp.statusCode, icp.body).toBe(200);
    const industry = icp.json().attributes.find((a: { attribute: string }) => a.attribute === 'industry');
    expect(industry).toMatchObject({ value: 'it and cybersecurity', label: 'IT and Cybersecurity', wonWith: 4, universeWith: 6 });
  });

  it('names declared criteria with the same spelling, in the ICP check and in cold-start reasons', async () => {
    const put = await t.app.inject({
      method: 'PUT',
      url: '/v1/icp/criteria',
      headers: ws.auth,
      payload: { criteria: [{ field: 'industry', values: ['it AND cybersecurity'], weight: 1 }] },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect((await get('/v1/icp')).json().criteria[0].label).toBe('Industry: IT and Cybersecurity');
    // Four won accounts: a similarity model, which scores by the declared criteria too.
    expect((await t.app.inject({ method: 'POST', url: '/v1/models', headers: ws.auth, payload: {} })).statusCode).toBe(202);
    await t.jobs.idle();
    const prospects = await get('/v1/prospects?limit=10');
    expect(prospects.statusCode, prospects.body).toBe(200);
    const sec4 = prospects.json().data.find((p: { domain: string }) => p.domain === 'sec4.example');
    expect(sec4.reasons.map((r: { label: string }) => r.label)).toContain('Meets your ICP criterion — Industry: IT and Cybersecurity');
    // Exclusions match in any spelling too.
    const excluded = await t.app.inject({
      method: 'PUT',
      url: '/v1/exclusions',
      headers: ws.auth,
      payload: { industries: ['IT AND Cybersecurity'] },
    });
    expect(excluded.statusCode, excluded.body).toBe(200);
    const left = (await get('/v1/prospects?limit=10')).json().data.map((p: { domain: string }) => p.domain);
    expect(left.length).toBeGreaterThan(0);
    expect(left.filter((d: string) => d.startsWith('sec'))).toEqual([]);
  });

  it('re-imports a changed spelling as a change, the same one as none', async () => {
    expect((await importCsv(csv)).json()).toMatchObject({ inserted: 0, updated: 0, unchanged: 12 });
    const lower = csv.replace(
      row('sec1.example', 'IT and Cybersecurity', 'SF Bay Area', 'San Francisco'),
      row('sec1.example', 'it and cybersecurity', 'SF Bay Area', 'San Francisco'),
    );
    expect((await importCsv(lower)).json()).toMatchObject({ inserted: 0, updated: 1, unchanged: 11 });
    const { rows } = await t.db.pool.query(
      "SELECT industry, industry_spelling FROM accounts WHERE workspace_id = $1 AND domain = 'sec1.example'",
      [ws.id],
    );
    expect(rows).toEqual([{ industry: 'it and cybersecurity', industry_spelling: null }]);
  });
});
