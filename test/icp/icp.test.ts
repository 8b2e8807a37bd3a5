import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertAccounts } from '../../src/accounts/repository.ts';
import { sizeBand } from '../../src/accounts/normalise.ts';
import { loadGeneratedUniverse } from '../../src/demo/load.ts';
import { generateUniverse, TRUE_ICP } from '../../src/demo/universe.ts';
import { SIZE_BAND_SQL } from '../../src/accounts/normalise.ts';
import { computeIcpAttributes } from '../../src/icp/attributes.ts';
import type { IcpAttribute, IcpProfile, IcpSnapshot } from '../../src/icp/schema.ts';
import { recordOutcomes } from '../../src/outcomes/service.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

type Workspace = Awaited<ReturnType<TestApp['newWorkspace']>>;

const NOW = '2026-01-01T00:00:00Z';

/** Every attribute value the hidden ICP is made of (sizes: the 200–2,000 band is mostly mid-market, partly SMB). */
const TRUE_VALUES = new Set([
  ...TRUE_ICP.industries.map((v) => `industry:${v}`),
  ...TRUE_ICP.businessModels.map((v) => `businessModel:${v}`),
  ...TRUE_ICP.countries.map((v) => `country:${v}`),
  ...TRUE_ICP.regions.map((v) => `region:${v}`),
  ...TRUE_ICP.technologies.map((v) => `technology:${v}`),
  'sizeBand:mid_market',
  'sizeBand:smb',
]);
const key = (a: { attribute: string; value: string }) => `${a.attribute}:${a.value}`;

describe('ICP profile', () => {
  let t: TestApp;
  let ws: Workspace;
  let profile: IcpProfile;
  const get = (url: string, auth = ws.auth, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url, headers: { ...auth, ...headers } });
  const putCriteria = (criteria: unknown[], auth = ws.auth) =>
    t.app.inject({ method: 'PUT', url: '/v1/icp/criteria', headers: auth, payload: { criteria } });

  beforeAll(async () => {
    t = await createTestApp();
    ws = await t.newWorkspace();
    await loadGeneratedUniverse(t.db.pool, ws.id, { seed: 42, count: 20_000, now: NOW });
    const res = await get('/v1/icp');
    expect(res.statusCode, res.body).toBe(200);
    profile = res.json();
  });
  afterAll(() => t.close());

  it('recovers the hidden ICP: its attributes are strong and lead the list, and the top segment is made of them', () => {
    expect(profile.evidence).toBe('sufficient');
    expect(profile.counts.won).toBeGreaterThan(50);
    const strong = new Set(profile.attributes.filter((a) => a.strength === 'strong').map(key));
    for (const expected of [
      'industry:software',
      'industry:fintech',
      'businessModel:b2b',
      'technology:snowflake',
      'technology:salesforce',
      'sizeBand:mid_market',
      'region:north_america',
      'country:US',
    ]) {
      expect(strong, expected).toContain(expected);
    }
    expect(
      profile.attributes
        .slice(0, 2)
        .map(key)
        .every((k) => TRUE_VALUES.has(k)),
    ).toBe(true);

    const top = profile.segments[0];
    expect(top.values.length).toBeGreaterThanOrEqual(2);
    expect(
      top.values.every((v) => TRUE_VALUES.has(key(v))),
      top.label,
    ).toBe(true);
    expect(top.winRateLift).toBeGreaterThan(1.5);
    expect(profile.summary).toContain(top.label);
    expect(profile.summary).toMatch(/win rate \d+(\.\d)?× average .*; [\d,]+ untouched accounts match/);
  });

  it('never calls thinly supported attributes strong, and reports rare ones without a q-value', () => {
    const thin = profile.attributes.filter((a) => a.wonWith < 5);
    expect(thin.length).toBeGreaterThan(10);
    expect(thin.every((a) => a.strength !== 'strong')).toBe(true);
    const rare = profile.attributes.filter((a) => a.universeWith < 5);
    expect(rare.every((a) => a.qValue === null && a.strength !== 'strong')).toBe(true);
    // A rare value held by one won account has a huge lift, and is still only "weak".
    const anecdote = profile.attributes.find((a) => a.wonWith === 1 && a.lift > 10);
    if (anecdote) expect(anecdote.strength).toBe('weak');
    for (const a of profile.attributes) {
      expect(a.liftInterval.low).toBeLessThanOrEqual(a.lift);
      expect(a.liftInterval.high).toBeGreaterThanOrEqual(a.lift);
    }
  });

  it('counts outcomes, segments and the addressable market consistently with the database', async () => {
    const { rows } = await t.db.pool.query(
      `SELECT count(*) FILTER (WHERE status = 'won')::int AS won, count(*) FILTER (WHERE status = 'lost')::int AS lost
       FROM outcomes WHERE workspace_id = $1`,
      [ws.id],
    );
    expect(profile.counts).toMatchObject({ universe: 20_000, won: rows[0].won, lost: rows[0].lost });
    expect(profile.counts.winRate).toBeCloseTo(rows[0].won / (rows[0].won + rows[0].lost), 4);

    const segment = profile.segments.find((s) => s.values.some((v) => v.attribute === 'technology'))!;
    const tech = segment.values.find((v) => v.attribute === 'technology')!;
    const others = segment.values.filter((v) => v !== tech);
    const column = {
      industry: 'industry',
      businessModel: 'business_model',
      country: 'country',
      region: 'region',
      stage: 'stage',
    } as Record<string, string>;
    if (others.every((v) => column[v.attribute])) {
      const where = others.map((v, i) => `a.${column[v.attribute]} = $${i + 3}`).join(' AND ');
      const { rows: direct } = await t.db.pool.query(
        `SELECT count(*)::int AS matching, count(*) FILTER (WHERE o.status = 'won')::int AS won, count(*) FILTER (WHERE o.account_id IS NULL)::int AS untouched
         FROM accounts a LEFT JOIN outcomes o ON o.account_id = a.id
         WHERE a.workspace_id = $1 AND $2 = ANY(a.technologies) ${where ? `AND ${where}` : ''}`,
        [ws.id, tech.value, ...others.map((v) => v.value)],
      );
      expect(segment).toMatchObject(direct[0]);
    }
    for (const s of profile.segments) {
      expect(s.won).toBeGreaterThanOrEqual(5);
      expect(s.untouched).toBeLessThanOrEqual(s.matching);
      expect(s.winRate).toBeCloseTo(s.won / (s.won + s.lost), 4);
    }
  });

  it('computes size bands in SQL exactly as sizeBand does', async () => {
    const cases: [number | null, number | null][] = [
      [499, null],
      [500, null],
      [2000, null],
      [2001, null],
      [10, 5e9],
      [null, 49e6],
      [null, 50e6],
      [null, 1e9],
      [null, 1.1e9],
      [null, null],
    ];
    const { rows } = await t.db.pool.query(
      `SELECT ${SIZE_BAND_SQL} AS band FROM unnest($1::int[], $2::float8[]) WITH ORDINALITY AS a(employees, revenue, n) ORDER BY n`,
      [cases.map((c) => c[0]), cases.map((c) => c[1])],
    );
    expect(rows.map((r) => r.band)).toEqual(cases.map(([e, r]) => sizeBand(e, r)));
  });

  it('stores declared criteria normalised, checks them against the data and names what wins over-index on instead', async () => {
    const put = await putCriteria([
      { field: 'industry', values: ['FinTech', ' Software '], weight: 2 },
      { field: 'industry', values: ['Healthcare'] },
      { field: 'employees', min: '200', max: '2,000' },
      { field: 'revenue', min: '$50M' },
      { field: 'technology', values: ['Snowflake'] },
      { field: 'country', values: ['United States', 'CAN'] },
      { field: 'region', values: ['North America'], weight: 0.5 },
      { field: 'businessModel', values: ['B2B SaaS'] },
      { field: 'stage', values: ['Series B'] },
      { field: 'keyword', values: ['Tagged-Nowhere'] },
    ]);
    expect(put.statusCode, put.body).toBe(200);
    const stored = put.json();
    expect(stored.criteria).toEqual([
      { field: 'industry', values: ['fintech', 'software'], weight: 2 },
      { field: 'industry', values: ['healthcare'], weight: 1 },
      { field: 'employees', min: 200, max: 2000, weight: 1 },
      { field: 'revenue', min: 50_000_000, max: null, weight: 1 },
      { field: 'technology', values: ['snowflake'], weight: 1 },
      { field: 'country', values: ['US', 'CA'], weight: 1 },
      { field: 'region', values: ['north_america'], weight: 0.5 },
      { field: 'businessModel', values: ['b2b'], weight: 1 },
      { field: 'stage', values: ['series_b'], weight: 1 },
      { field: 'keyword', values: ['tagged-nowhere'], weight: 1 },
    ]);
    expect((await get('/v1/icp/criteria')).json()).toEqual(stored);

    const checks = ((await get('/v1/icp')).json() as IcpProfile).criteria;
    const verdict = (label: string) => checks.find((c) => c.label === label)!;
    expect(checks.map((c) => c.label)).toEqual([
      'Industry: Fintech or Software',
      'Industry: Healthcare',
      '200–2,000 employees',
      '$50M+ revenue',
      'Uses Snowflake',
      'Country: United States or Canada',
      'Region: North America',
      'Business model: B2B',
      'Stage: Series B',
      'Tagged "tagged-nowhere"',
    ]);
    for (const label of [
      'Industry: Fintech or Software',
      '200–2,000 employees',
      'Uses Snowflake',
      'Region: North America',
      'Business model: B2B',
    ]) {
      expect(verdict(label).verdict, label).toBe('supported');
    }
    const healthcare = verdict('Industry: Healthcare');
    expect(healthcare.verdict).toBe('contradicted');
    expect(healthcare.note).toMatch(/your wins over-index on Software/);
    expect(verdict('Tagged "tagged-nowhere"')).toMatchObject({ verdict: 'not_enough_data', universeWith: 0, lift: null });

    const bad = await putCriteria([
      { field: 'country', values: ['Atlantis'] },
      { field: 'employees', min: 5000, max: 10 },
      { field: 'region', values: ['Mars'] },
    ]);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_criteria');
    expect(bad.json().error.details.errors).toHaveLength(3);
    expect((await putCriteria([{ field: 'favouriteColour', values: ['blue'] }])).statusCode).toBe(400);
    expect((await putCriteria([])).json()).toMatchObject({ criteria: [] });
  });

  it('exports attributes and segments as CSV, by query or Accept header', async () => {
    const attributes = await get('/v1/icp?format=csv');
    expect(attributes.statusCode).toBe(200);
    expect(attributes.headers['content-type']).toMatch(/^text\/csv/);
    const lines = attributes.body.trimEnd().split('\n');
    expect(lines[0]).toBe('attribute,value,label,strength,lift,liftLow,liftHigh,wonWith,universeWith,wonShare,universeShare,pValue,qValue');
    expect(lines).toHaveLength(profile.attributes.length + 1);
    expect(lines[1].split(',').slice(0, 4)).toEqual([
      profile.attributes[0].attribute,
      profile.attributes[0].value,
      profile.attributes[0].label,
      'strong',
    ]);

    const segments = await get('/v1/icp?part=segments', ws.auth, { accept: 'text/csv' });
    const segmentLines = segments.body.trimEnd().split('\n');
    expect(segmentLines[0]).toMatch(/^segment,matching,untouched,won,lost,churned,winRate/);
    expect(segmentLines[1]).toContain(`"${profile.segments[0].label}"`);
    expect(segmentLines).toHaveLength(profile.segments.length + 1);
  });

  it('shows drift between the active model and the ready model before it', async () => {
    const insertModel = (version: number, status: string, active: boolean, snapshot: IcpSnapshot | null) =>
      t.db.pool.query('INSERT INTO models (workspace_id, version, status, active, seed, icp_profile) VALUES ($1, $2, $3, $4, 1, $5)', [
        ws.id,
        version,
        status,
        active,
        snapshot && JSON.stringify(snapshot),
      ]);
    expect(profile.drift).toMatchObject({ status: 'no_active_model', changes: [] });

    const now = await computeIcpAttributes(t.db.pool, ws.id);
    const strengthen = (a: IcpAttribute): IcpAttribute => ({ ...a, strength: 'strong', lift: 3 });
    // The earlier profile: Salesforce not yet strong, Healthcare strong, Software's lift half what it is now.
    const before: IcpSnapshot = {
      ...now,
      attributes: [
        ...now.attributes
          .filter((a) => key(a) !== 'technology:salesforce')
          .map((a) => (key(a) === 'industry:software' ? { ...a, lift: a.lift / 2 } : a)),
        strengthen({ ...now.attributes[0], attribute: 'industry', value: 'healthcare', label: 'Healthcare' }),
      ],
    };
    await insertModel(1, 'ready', false, before);
    await insertModel(2, 'failed', false, null);
    await insertModel(3, 'ready', true, now);

    const drift = ((await get('/v1/icp')).json() as IcpProfile).drift;
    expect(drift.status).toBe('compared');
    expect(drift.previous?.version).toBe(1);
    expect(drift.current?.version).toBe(3);
    expect(drift.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ attribute: 'technology', value: 'salesforce', change: 'appeared', liftBefore: null }),
        expect.objectContaining({ attribute: 'industry', value: 'healthcare', change: 'disappeared', liftBefore: 3, liftAfter: null }),
        expect.objectContaining({ attribute: 'industry', value: 'software', change: 'rose' }),
      ]),
    );
    expect(drift.changes).toHaveLength(3);
    expect(drift.message).toMatch(/^Since model v1/);

    await t.db.pool.query('UPDATE models SET active = false WHERE workspace_id = $1', [ws.id]);
    await t.db.pool.query('UPDATE models SET active = true WHERE workspace_id = $1 AND version = 1', [ws.id]);
    expect(((await get('/v1/icp')).json() as IcpProfile).drift).toMatchObject({ status: 'no_earlier_model', changes: [] });
  });

  it('says the evidence is thin for a single won account and marks nothing strong', async () => {
    const small = await t.newWorkspace('Young startup');
    const { accounts } = generateUniverse({ seed: 7, count: 40, now: NOW });
    await upsertAccounts(t.db.pool, small.id, accounts);
    await recordOutcomes(t.db.pool, small.id, [
      { domain: accounts[0].domain, status: 'won', amount: 12_000 },
      { domain: accounts[1].domain, status: 'lost' },
    ]);
    await putCriteria([{ field: 'industry', values: [accounts[0].industry ?? 'software'] }], small.auth);
    const res = await get('/v1/icp', small.auth);
    expect(res.statusCode, res.body).toBe(200);
    const thin: IcpProfile = res.json();
    expect(thin.evidence).toBe('thin');
    expect(thin.evidenceNote).toMatch(/thin/);
    expect(thin.summary).toMatch(/^Only 1 won account so far/);
    expect(thin.counts).toMatchObject({ universe: 40, won: 1, lost: 1, winRate: 0.5, averageDealValue: 12_000, untouched: 38 });
    expect(thin.attributes.length).toBeGreaterThan(0);
    expect(thin.attributes.every((a) => a.strength !== 'strong' && a.wonWith === 1)).toBe(true);
    expect(thin.segments).toEqual([]);
    expect(thin.criteria[0].verdict).toBe('not_enough_data');
  });

  it('answers 400 without outcomes or without won accounts, and never shows another workspace anything', async () => {
    const other = await t.newWorkspace('Other');
    const none = await get('/v1/icp', other.auth);
    expect(none.statusCode).toBe(400);
    expect(none.json().error.code).toBe('no_outcomes');
    expect((await get('/v1/icp/criteria', other.auth)).json()).toEqual({ criteria: [], updatedAt: null });

    const { accounts } = generateUniverse({ seed: 9, count: 5, now: NOW });
    await upsertAccounts(t.db.pool, other.id, accounts);
    await recordOutcomes(t.db.pool, other.id, [{ domain: accounts[0].domain, status: 'lost' }]);
    const noWins = await get('/v1/icp', other.auth);
    expect(noWins.statusCode).toBe(400);
    expect(noWins.json().error.code).toBe('no_won_accounts');
    expect((await get('/v1/icp', { authorization: 'Bearer nope' })).statusCode).toBe(401);
  });
});
