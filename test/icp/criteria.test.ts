import { describe, expect, it } from 'vitest';
import type { Account } from '../../src/accounts/schema.ts';
import { criteriaScore, normaliseCriteria } from '../../src/icp/criteria.ts';

const account: Account = {
  domain: 'acme.com',
  name: 'Acme',
  industry: 'fintech',
  employees: 1200,
  revenue: null,
  country: 'CA',
  region: null,
  city: null,
  foundedYear: 2015,
  businessModel: 'b2b',
  stage: 'series_c',
  technologies: ['salesforce', 'hubspot'],
  keywords: [],
  description: null,
};

describe('criteriaScore', () => {
  const criteria = normaliseCriteria({
    criteria: [
      { field: 'industry', values: ['Software', 'FinTech'], weight: 2 },
      { field: 'employees', min: 200, max: '2,000', weight: 1 },
      { field: 'technology', values: ['Snowflake', 'Salesforce'], weight: 1 },
      { field: 'region', values: ['North America'], weight: 1 },
      { field: 'sizeBand', values: ['Enterprise'], weight: 1 },
      { field: 'revenue', min: '$50M', weight: 2 },
      { field: 'keyword', values: ['payments'], weight: 2 },
    ],
  });

  it('scores the weighted share of criteria met, with what was met and missed', () => {
    const { score, matched, missed } = criteriaScore(account, criteria);
    // Met: industry (2), employees (1), technology (1), region via the country (1) = 5 of 10.
    expect(score).toBeCloseTo(5 / 10, 12);
    expect(matched.map((m) => m.label)).toEqual([
      'Industry: Software or Fintech',
      '200–2,000 employees',
      'Uses Snowflake or Salesforce',
      'Region: North America',
    ]);
    expect(missed).toEqual([
      { field: 'sizeBand', label: 'Size: Enterprise (over 2,000 employees)', weight: 1, unknown: false },
      { field: 'revenue', label: '$50M+ revenue', weight: 2, unknown: true },
      { field: 'keyword', label: 'Tagged "payments"', weight: 2, unknown: true },
    ]);
  });

  it('is 0 without criteria and 1 when every criterion is met', () => {
    expect(criteriaScore(account, []).score).toBe(0);
    expect(criteriaScore(account, criteria.slice(0, 4)).score).toBe(1);
  });
});
