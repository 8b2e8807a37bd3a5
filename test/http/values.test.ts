/**
 * Every value is ranged to its meaning, and every write stores what it was sent or refuses it with a
 * 400: nothing is dropped unseen, and no stored value can make scoring compute NaN.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intentScore, SIGNAL_RULES } from '../../src/signals/intent.ts';
import { MAX_SIGNAL_VALUE } from '../../src/signals/schema.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

describe('values ranged to their meaning, writes that store all or refuse', () => {
  let t: TestApp;
  let ws: Awaited<ReturnType<TestApp['newWorkspace']>>;
  beforeAll(async () => {
    t = await createTestApp();
    ws = await t.newWorkspace();
    await send('POST', '/v1/accounts', { accounts: [{ domain: 'ranged.com', employees: 50 }] });
  });
  afterAll(() => t.close());

  const send = (method: 'POST' | 'PUT', url: string, payload: unknown) =>
    t.app.inject({ method, url, headers: ws.auth, payload: payload as object });
  const storedSignals = async () =>
    (await t.db.pool.query('SELECT value FROM signals WHERE workspace_id = $1 ORDER BY value', [ws.id])).rows.map((r) => r.value);

  describe('signal values', () => {
    it.each([
      ['a negative web_visit count', 'web_visit', -5],
      ['a negative funding amount', 'funding_round', -1],
      ['a value beyond any funding round', 'funding_round', MAX_SIGNAL_VALUE * 10],
    ])('%s → 400, nothing stored', async (_what, type, value) => {
      const res = await send('POST', '/v1/signals', { signals: [{ domain: 'ranged.com', type, occurredAt: '2026-11-01', value }] });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.details[0].path).toBe('body.signals.0.value');
      expect(await storedSignals()).toEqual([]);
    });

    it('0 and the maximum are stored', async () => {
      const res = await send('POST', '/v1/signals', {
        signals: [
          { domain: 'ranged.com', type: 'web_visit', occurredAt: '2026-11-01', value: 0 },
          { domain: 'ranged.com', type: 'funding_round', occurredAt: '2026-11-01', value: MAX_SIGNAL_VALUE },
        ],
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(await storedSignals()).toEqual([0, MAX_SIGNAL_VALUE]);
    });

    it('intent is a finite score in [0, 1] for any signals the API accepts', () => {
      const signal = fc.record({
        type: fc.constantFrom(...Object.keys(SIGNAL_RULES)),
        occurredAt: fc.date({ min: new Date('1900-01-01'), max: new Date('2027-12-31'), noInvalidDate: true }),
        value: fc.option(fc.double({ min: 0, max: MAX_SIGNAL_VALUE, noNaN: true }), { nil: null }),
        topic: fc.constant(null),
      });
      fc.assert(
        fc.property(fc.array(signal, { maxLength: 50 }), (signals) => {
          const { score, drivers } = intentScore(signals, new Date('2026-12-01'));
          expect(Number.isFinite(score)).toBe(true);
          expect(score).toBeGreaterThanOrEqual(0);
          expect(score).toBeLessThanOrEqual(1);
          for (const driver of drivers) expect(Number.isFinite(driver.weight)).toBe(true);
        }),
      );
    });
  });

  it.each([
    ['a negative outcome amount', '/v1/outcomes', { outcomes: [{ domain: 'ranged.com', status: 'won', amount: -1 }] }],
    ['an ICP employee range below zero', '/v1/icp/criteria', { criteria: [{ field: 'employees', min: -5, max: 10 }] }],
    ['exclusions with negative minEmployees', '/v1/exclusions', { minEmployees: -1 }],
    ['a lookalike limit of 0', '/v1/lookalikes', { seedDomains: ['ranged.com'], limit: 0 }],
  ])('%s → 400', async (_what, url, payload) => {
    const res = await send(url === '/v1/outcomes' || url === '/v1/lookalikes' ? 'POST' : 'PUT', url, payload);
    expect(res.statusCode, res.body).toBe(400);
  });

  describe('PUT /v1/exclusions keeps every value or refuses the request', () => {
    const current = async () => (await t.app.inject({ method: 'GET', url: '/v1/exclusions', headers: ws.auth })).json();

    it.each([
      ['an industry with a NUL character', { industries: ['gambling', 'bad\u0000industry'] }, /industries: item 2 contains a NUL/],
      ['an empty industry', { industries: ['gambling', '  '] }, /industries: item 2 is empty/],
      ['a 600-character industry', { industries: ['i'.repeat(600)] }, /industries: item 1 is 600 characters long; at most 500/],
      ['an unknown country', { countries: ['Atlantis'] }, /countries: "Atlantis" is not a country/],
    ])('%s → 400 naming it, and the stored rules are unchanged', async (_what, rules, message) => {
      const res = await send('PUT', '/v1/exclusions', rules);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.message).toMatch(message);
      expect((await current()).industries).toEqual([]);
    });

    it('10,000 bad domains → 400 listing 20 of them and their count', async () => {
      const res = await send('PUT', '/v1/exclusions', { domains: Array.from({ length: 10_000 }, (_, i) => `not a domain ${i}`) });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.details.errors).toHaveLength(20);
      expect(res.json().error.details.count).toBe(10_000);
      expect(res.json().error.message).toMatch(/and 9980 more/);
      expect(res.body.length).toBeLessThan(5_000);
    });

    it('good rules are stored as sent, normalised', async () => {
      const res = await send('PUT', '/v1/exclusions', { industries: ['Gambling', 'gambling '], countries: ['Russia'] });
      expect(res.statusCode, res.body).toBe(200);
      expect(await current()).toMatchObject({ industries: ['gambling'], countries: ['RU'] });
    });
  });

  it('an outcome with a field that is neither an outcome nor an Account field → 400, nothing stored', async () => {
    const res = await send('POST', '/v1/outcomes', { outcomes: [{ domain: 'ranged.com', status: 'won', amout: 48_000 }] });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'unknown_fields', details: { fields: ['outcomes.0.amout'], count: 1 } });
    const { rowCount } = await t.db.pool.query('SELECT 1 FROM outcomes WHERE workspace_id = $1', [ws.id]);
    expect(rowCount).toBe(0);
  });

  it('an ICP list criterion with an empty value → 400, not a criterion with the value dropped', async () => {
    const res = await send('PUT', '/v1/icp/criteria', { criteria: [{ field: 'industry', values: ['software', ''] }] });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.message).toMatch(/criteria\.0: industry: an empty value/);
  });
});
