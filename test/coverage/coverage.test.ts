import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../src/accounts/schema.ts';
import { confidenceWithCoverage, coverageOf, fieldOfFeature, relianceFrom } from '../../src/coverage/service.ts';
import { loadGeneratedUniverse } from '../../src/demo/load.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { account } from '../support/accounts.ts';

const bare: Account = account({ domain: 'thin.example' });

describe('data coverage rules', () => {
  it('maps feature keys to account fields', () => {
    expect(fieldOfFeature('industry:software')).toBe('industry');
    expect(fieldOfFeature('unknown:industry')).toBe('industry');
    expect(fieldOfFeature('num:log_employees')).toBe('employees');
    expect(fieldOfFeature('size:smb')).toBe('employees');
    expect(fieldOfFeature('tech:snowflake')).toBe('technologies');
    expect(fieldOfFeature('num:log_technologies')).toBe('technologies');
    expect(fieldOfFeature('num:company_age')).toBe('foundedYear');
    expect(fieldOfFeature('region:emea')).toBe('country');
    expect(fieldOfFeature('area:bay area')).toBe('region');
    expect(fieldOfFeature('term:payments')).toBe('description');
    expect(fieldOfFeature('model:b2b')).toBe('businessModel');
    expect(fieldOfFeature('keyword:ai')).toBe('keywords');
  });

  it('weights what an account has by what the model relies on', () => {
    // industry 0.5, employees 0.3 (0.2 + 0.1), technologies 0.2 — normalised from a sum of 2.
    const reliance = relianceFrom([
      { key: 'industry:software', importance: 0.6 },
      { key: 'unknown:industry', importance: 0.4 },
      { key: 'num:log_employees', importance: 0.4 },
      { key: 'size:smb', importance: 0.2 },
      { key: 'tech:snowflake', importance: 0.4 },
    ]);
    expect(reliance.industry).toBeCloseTo(0.5);
    expect(reliance.employees).toBeCloseTo(0.3);
    expect(reliance.technologies).toBeCloseTo(0.2);
    expect(coverageOf({ ...bare, employees: 40 }, reliance)).toEqual({
      share: 0.3,
      missing: [
        { field: 'industry', reliance: 0.5 },
        { field: 'technologies', reliance: 0.2 },
      ],
    });
    expect(coverageOf({ ...bare, industry: 'software', employees: 40, technologies: ['snowflake'] }, reliance)).toEqual({
      share: 1,
      missing: [],
    });
  });

  it('lowers confidence when coverage is low', () => {
    expect(confidenceWithCoverage('high', { share: 0.8 })).toBe('high');
    expect(confidenceWithCoverage('high', { share: 0.4 })).toBe('medium');
    expect(confidenceWithCoverage('medium', { share: 0.4 })).toBe('low');
    expect(confidenceWithCoverage('high', { share: 0.2 })).toBe('low');
  });
});

describe('dataCoverage on prospects and fit; GET /v1/accounts/coverage', () => {
  let t: TestApp;
  let ws: Awaited<ReturnType<TestApp['newWorkspace']>>;
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: ws.auth });

  beforeAll(async () => {
    t = await createTestApp();
    ws = await t.newWorkspace();
    await loadGeneratedUniverse(t.db.pool, ws.id, { seed: 5, count: 1200, now: new Date(), outcomeScale: 3 });
    await t.app.inject({ method: 'POST', url: '/v1/models', headers: ws.auth, payload: {} });
    await t.jobs.idle();
  }, 300_000);
  afterAll(() => t.close());

  it('reports per field how many accounts miss it and how much the model relies on it (not captured by /v1/accounts/{domain})', async () => {
    const res = await get('/v1/accounts/coverage');
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report.model.kind).toBe('forest');
    const { rows } = await t.db.pool.query<{ n: number; no_industry: number; no_tech: number }>(
      "SELECT count(*)::int AS n, count(*) FILTER (WHERE industry IS NULL)::int AS no_industry, count(*) FILTER (WHERE technologies = '{}')::int AS no_tech FROM accounts WHERE workspace_id = $1",
      [ws.id],
    );
    expect(report.accounts).toBe(rows[0].n);
    const field = (name: string) => report.fields.find((f: { field: string }) => f.field === name);
    expect(field('industry').missing).toBe(rows[0].no_industry);
    expect(field('technologies').missing).toBe(rows[0].no_tech);
    expect(report.fields).toHaveLength(12);
    const reliance = report.fields.reduce((sum: number, f: { reliance: number }) => sum + f.reliance, 0);
    expect(reliance).toBeCloseTo(1, 2);
    const priorities = report.fields.map((f: { priority: number }) => f.priority);
    expect(priorities).toEqual([...priorities].sort((a, b) => b - a));
    // The parametric account route still answers for real domains.
    expect((await get('/v1/accounts/coverage.example')).statusCode).toBe(404);
  });

  it('puts dataCoverage on every prospect', async () => {
    const page = (await get('/v1/prospects?limit=20')).json();
    expect(page.data).toHaveLength(20);
    for (const p of page.data) {
      expect(p.dataCoverage.share).toBeGreaterThanOrEqual(0);
      expect(p.dataCoverage.share).toBeLessThanOrEqual(1);
      expect(p.dataCoverage.missing.length).toBeLessThanOrEqual(3);
      for (const m of p.dataCoverage.missing) expect(p.account[m.field] === null || p.account[m.field].length === 0).toBe(true);
    }
  });

  it('lowers the fit confidence of an account with thin data', async () => {
    const full = (await get('/v1/prospects?limit=1')).json().data[0];
    const fullFit = (await get(`/v1/accounts/${full.domain}/fit`)).json();
    expect(fullFit.dataCoverage).toEqual(full.dataCoverage);

    await t.app.inject({ method: 'POST', url: '/v1/accounts', headers: ws.auth, payload: { accounts: [{ domain: 'thin.example' }] } });
    const thin = await get('/v1/accounts/thin.example/fit');
    expect(thin.statusCode, thin.body).toBe(200);
    const fit = thin.json();
    expect(fit.dataCoverage.share).toBe(0);
    expect(fit.dataCoverage.missing).toHaveLength(3);
    const report = (await get('/v1/accounts/coverage')).json();
    const byReliance = [...report.fields]
      .sort((a, b) => b.reliance - a.reliance)
      .slice(0, 3)
      .map((f: { field: string }) => f.field);
    expect(fit.dataCoverage.missing.map((m: { field: string }) => m.field)).toEqual(byReliance);
    expect(fit.confidence).toBe('low');
  });
});
