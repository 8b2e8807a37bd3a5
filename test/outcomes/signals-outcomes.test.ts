import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';

describe('signals, outcomes and exclusions', () => {
  let t: TestApp;
  let ws: Awaited<ReturnType<TestApp['newWorkspace']>>;
  beforeAll(async () => {
    t = await createTestApp();
    ws = await t.newWorkspace();
    await t.app.inject({
      method: 'POST',
      url: '/v1/accounts',
      headers: ws.auth,
      payload: {
        accounts: [
          { domain: 'acme.com', name: 'Acme' },
          { domain: 'globex.io', name: 'Globex' },
        ],
      },
    });
  });
  afterAll(() => t.close());

  const inject = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object, auth = ws.auth) =>
    t.app.inject({ method, url, headers: auth, payload });

  it('records signals, skips duplicates and reports unknown domains', async () => {
    const signals = [
      { domain: 'https://acme.com', type: 'web_visit', occurredAt: '2026-11-01T10:00:00Z', value: 12, topic: 'pricing' },
      { domain: 'acme.com', type: 'funding_round', occurredAt: '2026-10-15', value: 20_000_000 },
      { domain: 'nobody-knows.com', type: 'web_visit', occurredAt: '2026-11-01T10:00:00Z' },
    ];
    const first = (await inject('POST', '/v1/signals', { signals })).json();
    expect(first).toEqual({ inserted: 2, duplicates: 0, unknownDomains: [{ index: 2, domain: 'nobody-knows.com' }] });
    const again = (await inject('POST', '/v1/signals', { signals: signals.slice(0, 2) })).json();
    expect(again).toMatchObject({ inserted: 0, duplicates: 2 });
    const account = (await inject('GET', '/v1/accounts/acme.com')).json();
    expect(account.signals.map((s: { type: string }) => s.type)).toEqual(['web_visit', 'funding_round']);
  });

  it('rejects malformed signals with the path of every bad field', async () => {
    const res = await inject('POST', '/v1/signals', {
      signals: [
        { domain: 'acme.com', type: 'web_visit', occurredAt: '2026-11-01' },
        { domain: 'acme.com', type: 'telepathy', occurredAt: 'yesterday' },
      ],
    });
    expect(res.statusCode).toBe(400);
    const paths = res.json().error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body.signals.1.type', 'body.signals.1.occurredAt']));
    const badDomain = await inject('POST', '/v1/signals', {
      signals: [{ domain: 'not a domain', type: 'web_visit', occurredAt: '2026-11-01' }],
    });
    expect(badDomain.statusCode).toBe(400);
    expect(badDomain.json().error.details.rejected[0].index).toBe(0);
  });

  it('records outcomes with history, creates accounts sent with firmographics, reports unknown ones', async () => {
    const res = await inject('POST', '/v1/outcomes', {
      outcomes: [
        { domain: 'acme.com', status: 'won', amount: 48_000, closedAt: '2026-06-01' },
        { domain: 'initech.com', status: 'lost', name: 'Initech', industry: 'software', employees: '201-500' },
        { domain: 'mystery.com', status: 'won' },
        { domain: 'badfields.com', status: 'open', employees: 'many' },
      ],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      recorded: 2,
      unchanged: 0,
      accountsCreated: 1,
      unknownDomains: [{ index: 2, domain: 'mystery.com' }],
      rejected: [{ index: 3, domain: 'badfields.com' }],
    });
    const created = (await inject('GET', '/v1/accounts/initech.com')).json();
    expect(created.account).toMatchObject({ name: 'Initech', industry: 'software' });
    expect(created.outcome.status).toBe('lost');

    expect(
      (
        await inject('POST', '/v1/outcomes', { outcomes: [{ domain: 'acme.com', status: 'won', amount: 48_000, closedAt: '2026-06-01' }] })
      ).json(),
    ).toMatchObject({ recorded: 0, unchanged: 1 });
    await inject('POST', '/v1/outcomes', {
      outcomes: [{ domain: 'acme.com', status: 'churned', amount: 48_000, closedAt: '2026-06-01', churnedAt: '2026-11-01' }],
    });
    const history = await t.db.pool.query(
      "SELECT h.status FROM outcome_history h JOIN accounts a ON a.id = h.account_id WHERE a.domain = 'acme.com' AND a.workspace_id = $1 ORDER BY h.id",
      [ws.id],
    );
    expect(history.rows.map((r) => r.status)).toEqual(['won', 'churned']);
    expect((await inject('GET', '/v1/accounts/acme.com')).json().outcome.status).toBe('churned');

    const bad = await inject('POST', '/v1/outcomes', { outcomes: [{ domain: 'acme.com', status: 'maybe' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('body.outcomes.0.status');
  });

  it('stores normalised exclusion rules and validates them', async () => {
    expect((await inject('GET', '/v1/exclusions')).json()).toEqual({
      industries: [],
      countries: [],
      domains: [],
      minEmployees: null,
      maxEmployees: null,
    });
    const put = await inject('PUT', '/v1/exclusions', {
      industries: ['Gambling '],
      countries: ['Russia', 'kp'],
      domains: ['https://www.competitor.com/'],
      minEmployees: 10,
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({
      industries: ['gambling'],
      countries: ['RU', 'KP'],
      domains: ['competitor.com'],
      minEmployees: 10,
      maxEmployees: null,
    });
    expect((await inject('GET', '/v1/exclusions')).json().countries).toEqual(['RU', 'KP']);
    const bad = await inject('PUT', '/v1/exclusions', { countries: ['Atlantis'], minEmployees: 50, maxEmployees: 10 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.errors).toHaveLength(2);
  });

  it("keeps every workspace's signals, outcomes and exclusions to itself", async () => {
    const other = await t.newWorkspace('Other');
    const signal = await inject(
      'POST',
      '/v1/signals',
      { signals: [{ domain: 'acme.com', type: 'web_visit', occurredAt: '2026-11-02' }] },
      other.auth,
    );
    expect(signal.json()).toMatchObject({ inserted: 0, unknownDomains: [{ domain: 'acme.com' }] });
    const outcome = await inject('POST', '/v1/outcomes', { outcomes: [{ domain: 'acme.com', status: 'lost' }] }, other.auth);
    expect(outcome.json()).toMatchObject({ recorded: 0, unknownDomains: [{ domain: 'acme.com' }] });
    expect((await inject('GET', '/v1/exclusions', undefined, other.auth)).json().industries).toEqual([]);
    expect((await inject('GET', '/v1/accounts/acme.com')).json().outcome.status).toBe('churned');
  });
});
