import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { median as medianOf } from '../../src/lib/stats.ts';
import { Account } from '../../src/accounts/schema.ts';
import { countryRegion } from '../../src/accounts/countries.ts';
import {
  accountsToCsvLines,
  crmForAccount,
  generateAccounts,
  generateCrm,
  generateUniverse,
  Rng,
  TRUE_ICP,
  trueIcpScore,
  type Universe,
} from '../../src/demo/universe.ts';

const NOW = '2025-06-01T00:00:00.000Z';
const DAY_MS = 86_400_000;

const share = <T>(items: readonly T[], predicate: (item: T) => boolean) => items.filter(predicate).length / items.length;
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const median = (values: readonly number[]) => medianOf([...values])!;
/** Values by descending count (Node 20 has no Map.groupBy). */
const ranked = <T>(values: readonly T[]) => {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
};

describe('Rng', () => {
  it('repeats for a seed and has the intended distributions', () => {
    const draws = (seed: number) => {
      const rng = new Rng(seed);
      return Array.from({ length: 5 }, () => rng.next());
    };
    expect(draws(1)).toEqual(draws(1));
    expect(draws(1)).not.toEqual(draws(2));

    const rng = new Rng(3);
    const n = 50_000;
    const normals = Array.from({ length: n }, () => rng.normal(10, 2));
    expect(mean(normals)).toBeCloseTo(10, 1);
    expect(Math.sqrt(mean(normals.map((x) => (x - 10) ** 2)))).toBeCloseTo(2, 1);
    expect(median(Array.from({ length: n }, () => rng.logNormal(Math.log(40), 1.5)))).toBeGreaterThan(36);
    expect(
      share(
        Array.from({ length: n }, () => rng.bernoulli(0.3)),
        Boolean,
      ),
    ).toBeCloseTo(0.3, 2);
    expect(mean(Array.from({ length: n }, () => rng.poisson(2.5)))).toBeCloseTo(2.5, 1);
    expect(
      share(
        Array.from({ length: n }, () =>
          rng.weighted([
            ['a', 1],
            ['b', 3],
          ] as const),
        ),
        (x) => x === 'b',
      ),
    ).toBeCloseTo(0.75, 2);
    const ints = Array.from({ length: n }, () => rng.int(1, 6));
    expect(Math.min(...ints)).toBe(1);
    expect(Math.max(...ints)).toBe(6);
    expect(new Set(rng.sample(['a', 'b', 'c', 'd'], 3)).size).toBe(3);
  });
});

describe('generateAccounts', () => {
  let accounts: Account[];
  beforeAll(() => {
    accounts = [...generateAccounts({ seed: 1, count: 100_000 })];
  });

  it('is deterministic for a seed', () => {
    expect([...generateAccounts({ seed: 1, count: 500 })]).toEqual(accounts.slice(0, 500));
    const other = [...generateAccounts({ seed: 2, count: 500 })];
    expect(other.filter((a, i) => a.domain === accounts[i].domain).length).toBeLessThan(5);
  });

  it('produces accounts in the normalised Account shape', () => {
    for (const account of accounts.slice(0, 3000)) {
      expect(Account.parse(account)).toEqual(account);
      expect(account.domain).toMatch(/^[a-z0-9-]+(\.[a-z]{2,})+$/);
      if (account.country) expect(account.region).toBe(countryRegion(account.country));
      for (const token of [...account.technologies, ...account.keywords]) expect(token).toMatch(/^[a-z0-9][a-z0-9.-]*$/);
      if (account.stage) expect(['seed', 'series_a', 'series_b', 'series_c', 'growth', 'public', 'private']).toContain(account.stage);
      if (account.foundedYear) expect(account.foundedYear).toBeLessThanOrEqual(2025);
    }
  });

  it('gives every account its own domain', () => {
    expect(new Set(accounts.map((a) => a.domain)).size).toBe(accounts.length);
  });

  it('has realistic firmographics', () => {
    expect(share(accounts, (a) => a.country === 'US')).toBeGreaterThan(0.3);
    expect(share(accounts, (a) => a.country === 'US')).toBeLessThan(0.42);
    const countries = ranked(accounts.flatMap((a) => (a.country ? [a.country] : [])));
    expect(countries.slice(0, 2).map(([c]) => c)).toEqual(['US', 'GB']);

    const employees = accounts.flatMap((a) => (a.employees === null ? [] : [a.employees]));
    expect(median(employees)).toBeGreaterThan(15);
    expect(median(employees)).toBeLessThan(60);
    expect(Math.max(...employees)).toBeGreaterThan(10_000);

    // Revenue follows size, and revenue per employee depends on the industry.
    const sized = accounts.filter((a) => a.employees !== null && a.revenue !== null);
    const x = sized.map((a) => Math.log(a.employees!));
    const y = sized.map((a) => Math.log(a.revenue!));
    const [mx, my] = [mean(x), mean(y)];
    const cov = mean(x.map((v, i) => (v - mx) * (y[i] - my)));
    const correlation = cov / Math.sqrt(mean(x.map((v) => (v - mx) ** 2)) * mean(y.map((v) => (v - my) ** 2)));
    expect(correlation).toBeGreaterThan(0.8);
    const revenuePerEmployee = (industry: string) =>
      median(sized.filter((a) => a.industry === industry).map((a) => a.revenue! / a.employees!));
    expect(revenuePerEmployee('energy')).toBeGreaterThan(3 * revenuePerEmployee('hospitality'));

    const industries = ranked(accounts.flatMap((a) => (a.industry ? [a.industry] : [])));
    expect(industries.length).toBeGreaterThanOrEqual(20);
    expect(industries.slice(0, 3).map(([i]) => i)).toContain('software');
    expect(median(accounts.flatMap((a) => (a.foundedYear ? [a.foundedYear] : [])))).toBeGreaterThan(2005);
    expect(share(accounts, (a) => a.businessModel === 'b2b')).toBeGreaterThan(0.4);
  });

  it('leaves fields missing at CRM-export rates', () => {
    expect(share(accounts, (a) => a.revenue === null)).toBeCloseTo(0.3, 1);
    expect(share(accounts, (a) => a.foundedYear === null)).toBeCloseTo(0.15, 1);
    expect(share(accounts, (a) => a.technologies.length === 0)).toBeCloseTo(0.1, 1);
    expect(share(accounts, (a) => a.stage === null)).toBeCloseTo(0.25, 1);
    expect(share(accounts, (a) => a.name === null)).toBeLessThan(0.05);
  });

  it('draws technologies that occur together the way real stacks do', () => {
    const uses = (tech: string) => (a: Account) => a.technologies.includes(tech);
    const given = (condition: (a: Account) => boolean, outcome: (a: Account) => boolean) => share(accounts.filter(condition), outcome);
    expect(given(uses('snowflake'), uses('dbt'))).toBeGreaterThan(5 * share(accounts, uses('dbt')));
    expect(given(uses('salesforce'), uses('hubspot'))).toBeLessThan(0.3 * share(accounts, uses('hubspot')));
    expect(given(uses('react'), uses('next.js'))).toBeGreaterThan(0.3);
    const clouds = (a: Account) => a.technologies.filter((t) => ['aws', 'gcp', 'azure'].includes(t)).length;
    expect(
      given(
        (a) => clouds(a) > 0,
        (a) => clouds(a) > 1,
      ),
    ).toBeLessThan(0.1);
    const retail = (a: Account) => a.industry === 'retail' || a.industry === 'ecommerce';
    expect(given(retail, uses('shopify'))).toBeGreaterThan(10 * given((a) => !retail(a), uses('shopify')));
    expect(given((a) => a.industry === 'software', uses('react'))).toBeGreaterThan(2.5 * share(accounts, uses('react')));
    expect(new Set(accounts.flatMap((a) => a.technologies)).size).toBeGreaterThanOrEqual(55);
  });
});

describe('hidden ICP, outcomes and signals', () => {
  let universe: Universe;
  let byDomain: Map<string, Account>;
  beforeAll(() => {
    universe = generateUniverse({ seed: 5, count: 20_000, now: NOW });
    byDomain = new Map(universe.accounts.map((a) => [a.domain, a]));
  });

  it('scores fit in [0, 1], high for the true ICP and low far from it', () => {
    const ideal: Account = {
      domain: 'ideal.com',
      name: 'Ideal',
      industry: 'software',
      employees: 800,
      revenue: 1.6e8,
      country: 'US',
      region: 'north_america',
      city: 'Austin',
      foundedYear: 2015,
      businessModel: 'b2b',
      stage: 'series_c',
      technologies: ['dbt', 'snowflake'],
      keywords: ['saas'],
      description: null,
    };
    expect(trueIcpScore(ideal)).toBeCloseTo(1, 5);
    expect(trueIcpScore({ ...ideal, country: 'IN', region: 'asia_pacific' })).toBeLessThan(0.8);
    expect(trueIcpScore({ ...ideal, industry: 'hospitality', businessModel: 'b2c', employees: 12, technologies: ['wix'] })).toBeLessThan(
      0.01,
    );
    for (const account of universe.accounts) {
      const score = trueIcpScore(account);
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
    }
  });

  it('gives 2–4% of the universe a CRM outcome, of every status', () => {
    const rate = universe.outcomes.length / universe.accounts.length;
    expect(rate).toBeGreaterThan(0.02);
    expect(rate).toBeLessThan(0.04);
    const counts = new Map(ranked(universe.outcomes.map((o) => o.status)));
    for (const status of ['won', 'lost', 'churned', 'open', 'competitor_customer'] as const) {
      expect(counts.get(status) ?? 0).toBeGreaterThan(10);
    }
    expect(counts.get('won')).toBeGreaterThan(60);
  });

  it('wins ICP-like accounts, so the won accounts reveal TRUE_ICP', () => {
    const fitOf = (status: string) =>
      mean(universe.outcomes.filter((o) => o.status === status).map((o) => trueIcpScore(byDomain.get(o.domain)!)));
    const universeFit = mean(universe.accounts.map(trueIcpScore));
    expect(fitOf('won')).toBeGreaterThan(5 * universeFit);
    expect(fitOf('won')).toBeGreaterThan(fitOf('lost'));
    expect(fitOf('won')).toBeGreaterThan(fitOf('churned'));

    const won = universe.outcomes.filter((o) => o.status === 'won').map((o) => byDomain.get(o.domain)!);
    const lift = (predicate: (a: Account) => boolean) => share(won, predicate) / share(universe.accounts, predicate);
    const among = (list: readonly string[], value: string | null) => value !== null && list.includes(value);
    expect(lift((a) => among(TRUE_ICP.industries, a.industry))).toBeGreaterThan(2);
    expect(lift((a) => among(TRUE_ICP.businessModels, a.businessModel))).toBeGreaterThan(1.3);
    expect(
      lift((a) => a.employees !== null && a.employees >= TRUE_ICP.employees.min && a.employees <= TRUE_ICP.employees.max),
    ).toBeGreaterThan(2);
    expect(lift((a) => among(TRUE_ICP.countries, a.country))).toBeGreaterThan(1.3);
    expect(lift((a) => a.technologies.some((t) => among(TRUE_ICP.technologies, t)))).toBeGreaterThan(2);
    // ...but not as a hard rule: some wins fall outside the ICP industries.
    expect(share(won, (a) => a.industry !== null && !among(TRUE_ICP.industries, a.industry))).toBeGreaterThan(0.1);
  });

  it('dates deals and churn consistently before now', () => {
    const now = Date.parse(NOW);
    for (const o of universe.outcomes) {
      if (o.status === 'competitor_customer') expect(o.amount).toBeNull();
      else expect(o.amount).toBeGreaterThan(0);
      if (o.status === 'open' || o.status === 'competitor_customer') expect(o.closedAt).toBeNull();
      else expect(Date.parse(o.closedAt!)).toBeLessThan(now);
      if (o.status === 'churned') {
        expect(Date.parse(o.churnedAt!)).toBeGreaterThan(Date.parse(o.closedAt!));
        expect(Date.parse(o.churnedAt!)).toBeLessThan(now);
      } else expect(o.churnedAt).toBeNull();
    }
  });

  it('puts signals on ~15% of accounts, in the last 90 days, more often on ICP-like accounts', () => {
    const now = Date.parse(NOW);
    const signalled = new Set(universe.signals.map((s) => s.domain));
    expect(signalled.size / universe.accounts.length).toBeGreaterThan(0.1);
    expect(signalled.size / universe.accounts.length).toBeLessThan(0.2);
    for (const s of universe.signals) {
      const at = Date.parse(s.occurredAt);
      expect(at).toBeLessThanOrEqual(now);
      expect(at).toBeGreaterThan(now - 90 * DAY_MS);
    }
    const fitting = universe.accounts.filter((a) => trueIcpScore(a) > 0.5);
    expect(share(fitting, (a) => signalled.has(a.domain))).toBeGreaterThan(2 * (signalled.size / universe.accounts.length));
    const types = new Set(universe.signals.map((s) => s.type));
    expect(types.size).toBe(9);
    const funding = universe.signals.filter((s) => s.type === 'funding_round');
    for (const s of funding) expect(s.topic).toBe(byDomain.get(s.domain)!.stage);
  });

  it("draws an account's CRM data from its own stream: same result alone, streamed, or in any order", () => {
    const some = universe.accounts.slice(0, 2000);
    const reversed = [...generateCrm({ seed: 5, now: NOW, accounts: [...some].reverse() })].reverse();
    reversed.forEach(({ account, outcome, signals }, i) => {
      expect(account).toBe(some[i]);
      expect({ outcome, signals }).toEqual(crmForAccount(some[i], { seed: 5, now: NOW }));
    });
    const outcomes = reversed.flatMap((r) => (r.outcome ? [r.outcome] : []));
    expect(outcomes).toEqual(universe.outcomes.filter((o) => some.some((a) => a.domain === o.domain)));
    expect(generateUniverse({ seed: 5, count: 300, now: NOW })).toEqual(generateUniverse({ seed: 5, count: 300, now: NOW }));
  });

  it('scales the number of outcomes for a young workspace', () => {
    const few = generateUniverse({ seed: 5, count: 20_000, now: NOW, outcomeScale: 0.1 });
    expect(few.outcomes.length).toBeLessThan(universe.outcomes.length / 5);
    expect(few.accounts).toEqual(universe.accounts);
  });
});

describe('accountsToCsvLines', () => {
  it('writes a header and RFC 4180 rows that parse back to the same accounts', () => {
    const tricky: Account = {
      domain: 'quote.com',
      name: 'Quote, Comma & Co',
      industry: 'software',
      employees: 12,
      revenue: 1_500_000,
      country: 'GB',
      region: 'europe',
      city: 'London',
      foundedYear: null,
      businessModel: 'b2b',
      stage: null,
      technologies: ['react', 'next.js'],
      keywords: [],
      description: 'Says "hello", then\nleaves.',
    };
    const accounts = [tricky, ...generateAccounts({ seed: 9, count: 200 })];
    const lines = [...accountsToCsvLines(accounts)];
    expect(lines).toHaveLength(accounts.length + 1);
    expect(lines[0]).toBe(`${Object.keys(Account.shape).join(',')}\n`);
    expect(lines[1]).toContain('"Says ""hello"", then\nleaves."');

    const rows: Record<string, string>[] = parse(lines.join(''), { columns: true });
    const back = rows.map((row) => {
      const text = (field: string) => (row[field] === '' ? null : row[field]);
      const number = (field: string) => (row[field] === '' ? null : Number(row[field]));
      const list = (field: string) => (row[field] === '' ? [] : row[field].split(';'));
      return {
        domain: row.domain,
        name: text('name'),
        industry: text('industry'),
        employees: number('employees'),
        revenue: number('revenue'),
        country: text('country'),
        region: text('region'),
        city: text('city'),
        foundedYear: number('foundedYear'),
        businessModel: text('businessModel'),
        stage: text('stage'),
        technologies: list('technologies'),
        keywords: list('keywords'),
        description: text('description'),
      };
    });
    expect(back).toEqual(accounts);
  });
});
