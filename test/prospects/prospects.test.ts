import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertAccounts } from '../../src/accounts/repository.ts';
import { loadGeneratedUniverse } from '../../src/demo/load.ts';
import { generateAccounts } from '../../src/demo/universe.ts';
import { refreshVectors } from '../../src/features/service.ts';
import { completeJob, insertJob } from '../../src/jobs/repository.ts';
import { INLINE_VECTORISE_LIMIT } from '../../src/prospects/lookalikes.ts';
import { explanationOfStoredText } from '../../src/prospects/prospect-text.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

const NOW = new Date('2026-11-01T00:00:00Z');

interface Item {
  domain: string;
  score: number;
  tier: string;
  reasons: { label: string }[];
  account: { industry: string | null; country: string | null; employees: number | null; technologies: string[]; keywords: string[] };
}

describe('prospects, CSV export and lookalikes', () => {
  let t: TestApp;
  let ws: Awaited<ReturnType<TestApp['newWorkspace']>>;
  let universe: Awaited<ReturnType<typeof loadGeneratedUniverse>>;
  const get = (url: string, headers: Record<string, string> = ws.auth) => t.app.inject({ method: 'GET', url, headers });

  /** Every item of a filtered list, following nextCursor. */
  async function walk(query: string, limit = 1000): Promise<Item[]> {
    const items: Item[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/v1/prospects?limit=${limit}${query ? `&${query}` : ''}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      items.push(...res.json().data);
      cursor = res.json().nextCursor;
    } while (cursor);
    return items;
  }

  beforeAll(async () => {
    t = await createTestApp();
    ws = await t.newWorkspace();
    universe = await loadGeneratedUniverse(t.db.pool, ws.id, { seed: 21, count: 5_000, now: NOW });
    await t.app.inject({ method: 'POST', url: '/v1/models', headers: ws.auth, payload: {} });
    await t.jobs.idle();
  }, 300_000);
  afterAll(() => t.close());

  it('never returns accounts already won, lost, churned or open, and returns every other account once', async () => {
    const all = await walk('');
    const inCrm = new Set(universe.outcomes.filter((o) => o.status !== 'competitor_customer').map((o) => o.domain));
    expect(all.some((p) => inCrm.has(p.domain))).toBe(false);
    expect(new Set(all.map((p) => p.domain)).size).toBe(all.length);
    expect(all.length).toBe(universe.accounts.length - inCrm.size);
  });

  it('applies every filter', async () => {
    const all = await walk('');
    const expectSubset = async (query: string, keep: (p: Item) => boolean) => {
      const filtered = await walk(query, 300);
      expect(filtered.length, query).toBeGreaterThan(0);
      expect(
        filtered.map((p) => p.domain),
        query,
      ).toEqual(all.filter(keep).map((p) => p.domain));
    };
    await expectSubset('industry=software', (p) => p.account.industry === 'software');
    await expectSubset('country=US', (p) => p.account.country === 'US');
    await expectSubset(
      'minEmployees=200&maxEmployees=2000',
      (p) => p.account.employees !== null && p.account.employees >= 200 && p.account.employees <= 2000,
    );
    await expectSubset('technology=Snowflake', (p) => p.account.technologies.includes('snowflake'));
    const keyword = all.find((p) => p.account.keywords.length > 0)!.account.keywords[0];
    await expectSubset(`keyword=${encodeURIComponent(keyword)}`, (p) => p.account.keywords.includes(keyword));
    // Small pages: a rare filter leaves the bounded walk short of a page, and the page is read through the filter indexes.
    const rare = all.filter((p) => p.account.keywords.includes(keyword)).map((p) => p.domain);
    expect((await walk(`keyword=${encodeURIComponent(keyword)}&country=US`, 3)).map((p) => p.domain)).toEqual(
      all.filter((p) => p.account.keywords.includes(keyword) && p.account.country === 'US').map((p) => p.domain),
    );
    expect((await walk(`keyword=${encodeURIComponent(keyword)}`, 4)).map((p) => p.domain)).toEqual(rare);
    await expectSubset('minScore=0.4', (p) => p.score >= 0.4);
    await expectSubset('tier=A,B', (p) => p.tier === 'A' || p.tier === 'B');
    await expectSubset('tier=D', (p) => p.tier === 'D');
    const bad = await get('/v1/prospects?tier=E');
    expect(bad.statusCode).toBe(400);
    expect((await get('/v1/prospects?limit=1001')).statusCode).toBe(400);
    expect((await get('/v1/prospects?cursor=garbage')).json().error.code).toBe('invalid_cursor');
  });

  it('any two filters give the unfiltered ranking filtered, whichever plan reads the page', async () => {
    const all = await walk('');
    // For each filter a value common near the top of the ranking and one that ranks low or is rare,
    // so that both plans serve pages: the bounded index walk, and the read through the filter indexes.
    const count = (values: string[]) =>
      [...values.reduce((m, v) => m.set(v, (m.get(v) ?? 0) + 1), new Map<string, number>())].sort((a, b) => b[1] - a[1]);
    const lowest = (values: (p: Item) => string[]) => {
      const seen = count(all.flatMap(values))
        .filter(([, n]) => n >= 5)
        .map(([v]) => v);
      return seen.at(-1)!;
    };
    const top = (values: (p: Item) => string[]) => count(all.slice(0, 200).flatMap(values))[0][0];
    const tech = (p: Item) => p.account.technologies;
    const kw = (p: Item) => p.account.keywords;
    const ind = (p: Item) => (p.account.industry ? [p.account.industry] : []);
    const ctry = (p: Item) => (p.account.country ? [p.account.country] : []);
    type Filter = { query: string; keep: (p: Item) => boolean };
    const eq = (name: string, of: (p: Item) => string[], value: string): Filter => ({
      query: `${name}=${encodeURIComponent(value)}`,
      keep: (p) => of(p).includes(value),
    });
    const filters: Record<string, Filter[]> = {
      tier: [
        { query: 'tier=A,B', keep: (p) => p.tier === 'A' || p.tier === 'B' },
        { query: 'tier=D', keep: (p) => p.tier === 'D' },
      ],
      minScore: [{ query: 'minScore=0.3', keep: (p) => p.score >= 0.3 }],
      industry: [eq('industry', ind, top(ind)), eq('industry', ind, lowest(ind))],
      country: [eq('country', ctry, top(ctry)), eq('country', ctry, lowest(ctry))],
      employees: [
        { query: 'minEmployees=200', keep: (p) => p.account.employees !== null && p.account.employees >= 200 },
        { query: 'maxEmployees=20', keep: (p) => p.account.employees !== null && p.account.employees <= 20 },
      ],
      technology: [eq('technology', tech, top(tech)), eq('technology', tech, lowest(tech))],
      keyword: [eq('keyword', kw, top(kw)), eq('keyword', kw, lowest(kw))],
    };
    const kinds = Object.keys(filters);
    let pairs = 0;
    for (let i = 0; i < kinds.length; i++) {
      for (let j = i + 1; j < kinds.length; j++) {
        for (const a of filters[kinds[i]]) {
          for (const b of filters[kinds[j]]) {
            const query = `${a.query}&${b.query}`;
            const expected = all.filter((p) => a.keep(p) && b.keep(p)).map((p) => p.domain);
            expect(
              (await walk(query)).map((p) => p.domain),
              query,
            ).toEqual(expected);
            // Pages of 2 walk at most 400 index tuples first: sparse matches take the second plan.
            const small: string[] = [];
            let cursor: string | null = null;
            for (let k = 0; k < 3; k++) {
              const res = await get(`/v1/prospects?limit=2&${query}${cursor ? `&cursor=${cursor}` : ''}`);
              small.push(...res.json().data.map((p: Item) => p.domain));
              cursor = res.json().nextCursor;
              if (!cursor) break;
            }
            expect(small, query).toEqual(expected.slice(0, 6));
            pairs++;
          }
        }
      }
    }
    expect(pairs).toBeGreaterThan(70);
  }, 120_000);

  it('shows the explanation the run stored: the same as on-demand fit, and as a row stored without one is explained', async () => {
    type Explained = {
      domain: string;
      reasons: { feature: string; label: string; direction: string; weight: number }[];
      similarTo: { domain: string; similarity: number }[];
    };
    // Weights are compared to 3 places: an intent weight decays between the run and now.
    const same = (a: Explained, b: Explained) => {
      expect(
        a.reasons.map((r) => [r.feature, r.label, r.direction]),
        a.domain,
      ).toEqual(b.reasons.map((r) => [r.feature, r.label, r.direction]));
      a.reasons.forEach((r, i) => expect(r.weight).toBeCloseTo(b.reasons[i].weight, 3));
      expect(a.similarTo.map((s) => s.domain)).toEqual(b.similarTo.map((s) => s.domain));
    };
    const page: Explained[] = (await get('/v1/prospects?limit=30')).json().data;
    expect(page.some((p) => p.reasons.some((r) => r.feature.startsWith('intent:')))).toBe(true);
    for (const p of page) same(p, (await get(`/v1/accounts/${p.domain}/fit`)).json());

    // Runs scored before sql/011_page_filters.sql have no stored explanation (nor prospect text): the page explains those rows when read.
    const { rows } = await t.db.pool.query<{ id: string }>("SELECT id FROM score_runs WHERE workspace_id = $1 AND status = 'completed'", [
      ws.id,
    ]);
    expect(rows).toHaveLength(1);
    await t.db.pool.query(
      'UPDATE account_scores SET explanation = NULL, prospect = NULL WHERE run_id = $1 AND account_id IN (SELECT id FROM accounts WHERE domain = ANY($2) AND workspace_id = $3)',
      [rows[0].id, page.filter((_, i) => i % 2 === 0).map((p) => p.domain), ws.id],
    );
    const again: Explained[] = (await get('/v1/prospects?limit=30')).json().data;
    expect(again.map((p) => p.domain)).toEqual(page.map((p) => p.domain));
    again.forEach((p, i) => same(p, page[i]));
  });

  it('sends the prospect texts the run stored as the rows would be rendered, byte for byte', async () => {
    // A page long enough to reach past tier A (its top 5 % of the prospects).
    const query = '/v1/prospects?limit=200&country=US';
    const stored = await get(query);
    expect(stored.statusCode).toBe(200);
    expect(stored.headers['content-type']).toBe('application/json; charset=utf-8');
    const page = stored.json();
    expect(page.data).toHaveLength(200);
    expect(page.data.some((p: Item) => p.reasons.some((r) => r.label.endsWith(' ago') || r.label.endsWith('today')))).toBe(true);
    expect(new Set(page.data.map((p: Item) => p.tier)).size).toBeGreaterThan(1);
    const { rows } = await t.db.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM account_scores WHERE run_id = $1 AND prospect IS NOT NULL',
      [page.model.runId],
    );
    expect(rows[0].n).toBeGreaterThan(0);
    // A run scored before sql/019 stored an explanation and no text: its rows are rendered when read.
    const older = await t.db.pool.query<{ account_id: string; prospect: string }>(
      'SELECT s.account_id, s.prospect FROM account_scores s JOIN accounts a ON a.id = s.account_id WHERE s.run_id = $1 AND a.domain = ANY($2) AND a.workspace_id = $3 AND s.prospect IS NOT NULL',
      [page.model.runId, page.data.filter((_: Item, i: number) => i % 3 !== 0).map((p: Item) => p.domain), ws.id],
    );
    expect(older.rows.length).toBeGreaterThan(50); // an earlier test left the top 30 with neither
    for (const { account_id, prospect } of older.rows) {
      await t.db.pool.query('UPDATE account_scores SET explanation = $3, prospect = NULL WHERE run_id = $1 AND account_id = $2', [
        page.model.runId,
        account_id,
        JSON.stringify(explanationOfStoredText(prospect)),
      ]);
    }
    expect((await get(query)).body).toBe(stored.body);
  });

  it('shows an account edited since it was scored as it is now, never under a filter it no longer matches', async () => {
    const all = await walk('industry=software');
    // Not one of the top 30, whose stored explanations an earlier test removed (those are explained as the account is now).
    const top = new Set((await get('/v1/prospects?limit=30')).json().data.map((p: Item) => p.domain));
    const before = all.filter((p) => !top.has(p.domain))[5] as Item & {
      account: Record<string, unknown>;
      name: string | null;
      dataCoverage: unknown;
    };
    const post = (account: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: '/v1/accounts', headers: ws.auth, payload: { accounts: [account] } });
    expect((await post({ ...before.account, name: 'Renamed Ltd', industry: 'retail', technologies: [] })).statusCode).toBe(200);
    const shown = (await walk('')).find((p) => p.domain === before.domain) as typeof before;
    expect(shown.name).toBe('Renamed Ltd');
    expect(shown.account).toEqual({ ...before.account, name: 'Renamed Ltd', industry: 'retail', technologies: [] });
    // Coverage is of the account as it is now, as the fit answers it; the score is the run's.
    expect(shown.dataCoverage).toEqual((await get(`/v1/accounts/${before.domain}/fit`)).json().dataCoverage);
    expect(shown.dataCoverage).not.toEqual(before.dataCoverage);
    expect([shown.score, shown.tier, shown.reasons]).toEqual([before.score, before.tier, before.reasons]);
    expect((await walk('industry=software')).map((p) => p.domain)).toEqual(all.filter((p) => p !== before).map((p) => p.domain));
    // Edited back: the stored text is the account's again.
    expect((await post(before.account)).statusCode).toBe(200);
    expect(await walk('industry=software')).toEqual(all);
  });

  it('honours the exclusion rules', async () => {
    const put = await t.app.inject({
      method: 'PUT',
      url: '/v1/exclusions',
      headers: ws.auth,
      payload: { industries: ['software'], countries: ['GB'], maxEmployees: 5000 },
    });
    expect(put.statusCode).toBe(200);
    const all = await walk('');
    expect(all.some((p) => p.account.industry === 'software' || p.account.country === 'GB' || (p.account.employees ?? 0) > 5000)).toBe(
      false,
    );
    expect(all.some((p) => p.account.employees === null)).toBe(true); // unknown size is not excluded
    await t.app.inject({ method: 'PUT', url: '/v1/exclusions', headers: ws.auth, payload: {} });
  });

  it('streams the same list as CSV, reasons in columns', async () => {
    const json = await walk('country=US');
    const res = await t.app.inject({ method: 'GET', url: '/v1/prospects?country=US', headers: { ...ws.auth, accept: 'text/csv' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    // A byte order mark first, so spreadsheets read the "—" of the reasons as UTF-8; ?bom=false leaves it out.
    expect(res.body.startsWith('\uFEFF')).toBe(true);
    const lines = res.body.slice(1).trimEnd().split('\n');
    expect(lines[0].split(',')).toEqual([
      'rank',
      'domain',
      'name',
      'score',
      'tier',
      'fit',
      'similarity',
      'intent',
      'reason1',
      'reason2',
      'reason3',
      'moreReasons',
      'similarTo',
      'industry',
      'employees',
      'revenue',
      'country',
      'region',
      'city',
      'foundedYear',
      'businessModel',
      'stage',
      'technologies',
      'keywords',
    ]);
    expect((await get('/v1/prospects?country=US&format=csv&bom=false')).body).toBe(res.body.slice(1));
    expect(lines).toHaveLength(json.length + 1);
    const parseLine = (line: string) =>
      [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].map((m) => m[1].replace(/^"|"$/g, '').replaceAll('""', '"'));
    json.forEach((p, i) => {
      const cells = parseLine(lines[i + 1]);
      expect(cells.slice(0, 2)).toEqual([String(i + 1), p.domain]);
      expect(Number(cells[3])).toBe(p.score);
      expect(cells[4]).toBe(p.tier);
      if (p.reasons[0]) expect(cells[8]).toContain(p.reasons[0].label);
      else expect(cells[8]).toBe('');
    });
    const viaParam = await get('/v1/prospects?country=US&format=csv');
    expect(viaParam.body).toBe(res.body);
  });

  it('pages through one scoring run while a new model is trained and scored', async () => {
    const first = (await get('/v1/prospects?limit=400')).json();
    const seen = first.data.map((p: Item) => p.domain);
    const total = (await walk('')).length;
    const retrain = await t.app.inject({ method: 'POST', url: '/v1/models', headers: ws.auth, payload: { seed: 7 } });
    expect(retrain.statusCode).toBe(202);
    let cursor = first.nextCursor;
    let rescored = false;
    while (cursor) {
      const page = (await get(`/v1/prospects?limit=400&cursor=${cursor}`)).json();
      expect(page.model.id).toBe(first.model.id);
      seen.push(...page.data.map((p: Item) => p.domain));
      cursor = page.nextCursor;
      if (!rescored) {
        await t.jobs.idle(); // the new model is trained and its scores written mid-walk
        rescored = true;
      }
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    const fresh = (await get('/v1/prospects?limit=1')).json();
    expect(fresh.model.id).not.toBe(first.model.id);
  });

  it('finds lookalikes of seeds, reporting unknown seeds and explaining the resemblance', async () => {
    const won = universe.outcomes.filter((o) => o.status === 'won').map((o) => o.domain);
    const seeds = [...won.slice(0, 10), 'never-heard-of.com'];
    const res = await t.app.inject({ method: 'POST', url: '/v1/lookalikes', headers: ws.auth, payload: { seedDomains: seeds, limit: 25 } });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.unknownSeeds).toEqual(['never-heard-of.com']);
    expect(body.data).toHaveLength(25);
    const inCrm = new Set(universe.outcomes.filter((o) => o.status !== 'competitor_customer').map((o) => o.domain));
    for (const item of body.data) {
      expect(seeds).not.toContain(item.domain);
      expect(inCrm.has(item.domain)).toBe(false);
      expect(item.resembles[0].shared.length).toBeGreaterThan(0);
      expect(won).toContain(item.resembles[0].domain);
    }
    for (let i = 1; i < body.data.length; i++) expect(body.data[i - 1].similarity).toBeGreaterThanOrEqual(body.data[i].similarity);

    const many = await t.app.inject({
      method: 'POST',
      url: '/v1/lookalikes',
      headers: ws.auth,
      payload: { seedDomains: won.slice(0, 60), limit: 10, filters: { country: 'US' } },
    });
    expect(many.statusCode).toBe(200);
    expect(many.json().data.every((i: Item) => i.account.country === 'US')).toBe(true);

    const other = await t.newWorkspace('Other');
    const foreign = await t.app.inject({
      method: 'POST',
      url: '/v1/lookalikes',
      headers: other.auth,
      payload: { seedDomains: won.slice(0, 3) },
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.code).toBe('unknown_seeds');
  });

  it('answers 409 vectors_pending with Retry-After while the vectorising job has a large import in hand, instead of doing it inside the request', async () => {
    const large = await t.newWorkspace('Large import');
    const accounts = [...generateAccounts({ seed: 5, count: INLINE_VECTORISE_LIMIT + 1 })];
    for (let at = 0; at < accounts.length; at += 5_000) await upsertAccounts(t.db.pool, large.id, accounts.slice(at, at + 5_000));
    // As an import does, it queued the workspace's vectorising job (this one stays queued: the test ends it).
    const job = await insertJob(t.db.pool, large.id, 'vectors.refresh', {});
    const ask = () =>
      t.app.inject({
        method: 'POST',
        url: '/v1/lookalikes',
        headers: large.auth,
        payload: { seedDomains: [accounts[0].domain], limit: 5 },
      });
    const pending = await ask();
    expect(pending.statusCode, pending.body).toBe(409);
    expect(pending.json().error).toMatchObject({ code: 'vectors_pending', details: { accountsToVectorise: INLINE_VECTORISE_LIMIT + 1 } });
    expect(Number(pending.headers['retry-after'])).toBeGreaterThanOrEqual(5);
    const vectors = await t.db.pool.query('SELECT 1 FROM account_vectors WHERE workspace_id = $1 LIMIT 1', [large.id]);
    expect(vectors.rows).toHaveLength(0);

    // Once the vectorising job has run, the same request is answered.
    await refreshVectors(t.db.pool, large.id);
    await completeJob(t.db.pool, job, {});
    const answered = await ask();
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json().data).toHaveLength(5);
  }, 120_000);
});

describe('cold start', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('ranks by similarity with low confidence when there are fewer than 10 won accounts', async () => {
    const ws = await t.newWorkspace();
    const universe = await loadGeneratedUniverse(t.db.pool, ws.id, { seed: 3, count: 2_000, now: NOW, outcomeScale: 0.1 });
    const won = universe.outcomes.filter((o) => o.status === 'won').length;
    expect(won).toBeGreaterThan(0);
    expect(won).toBeLessThan(10);
    await t.app.inject({ method: 'POST', url: '/v1/models', headers: ws.auth, payload: {} });
    await t.jobs.idle();
    const models = (await t.app.inject({ method: 'GET', url: '/v1/models', headers: ws.auth })).json().data;
    expect(models[0]).toMatchObject({ status: 'ready', active: true, kind: 'similarity', confidence: 'low', metrics: null });
    expect(models[0].note).toMatch(/cold start/i);
    const page = (await t.app.inject({ method: 'GET', url: '/v1/prospects?limit=5', headers: ws.auth })).json();
    expect(page.confidence).toBe('low');
    expect(page.data[0].subscores.fit).toBeNull();
    expect(page.data[0].reasons[0].label).toMatch(/^Like .+, a won account/);
    const fit = (await t.app.inject({ method: 'GET', url: `/v1/accounts/${page.data[0].domain}/fit`, headers: ws.auth })).json();
    expect(fit.confidence).toBe('low');

    // Declared criteria join the cold-start ranking once the next model is trained.
    const put = await t.app.inject({
      method: 'PUT',
      url: '/v1/icp/criteria',
      headers: ws.auth,
      payload: {
        criteria: [
          { field: 'industry', values: ['fintech'], weight: 2 },
          { field: 'employees', min: 200, max: 2000, weight: 1 },
        ],
      },
    });
    expect(put.statusCode, put.body).toBe(200);
    await t.app.inject({ method: 'POST', url: '/v1/models', headers: ws.auth, payload: {} });
    await t.jobs.idle();
    const withCriteria = (await t.app.inject({ method: 'GET', url: '/v1/prospects?limit=20', headers: ws.auth })).json();
    const top = withCriteria.data[0];
    expect(top.subscores.criteria).toBeGreaterThan(0);
    expect(top.reasons.map((r: { label: string }) => r.label).join(' ')).toMatch(/Meets your ICP criterion/);
    const meanCriteria =
      withCriteria.data.reduce((sum: number, p: { subscores: { criteria: number } }) => sum + p.subscores.criteria, 0) / 20;
    expect(meanCriteria).toBeGreaterThan(0.5);
  });
});
