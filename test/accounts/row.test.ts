import { describe, expect, it } from 'vitest';
import { ACCOUNT_FIELDS, accountHeaderProblem, mapAccountColumns, parseAccountRow } from '../../src/accounts/row.ts';
import { Account } from '../../src/accounts/schema.ts';
import { EMPTY_ACCOUNT } from '../support/accounts.ts';

describe('parseAccountRow', () => {
  it('normalises a JSON row with typed values', () => {
    const result = parseAccountRow({
      domain: 'https://www.Acme.com/',
      name: 'Acme',
      industry: 'Software',
      employees: 1200,
      revenue: 150_000_000,
      country: 'United States',
      region: 'West',
      city: 'Austin',
      foundedYear: 2009,
      businessModel: 'B2B',
      stage: 'Series B',
      technologies: ['Salesforce', 'Snowflake', 'salesforce'],
      keywords: ['Fintech'],
      description: ' Payments for everyone ',
    });
    expect(result).toEqual({
      ok: true,
      account: {
        domain: 'acme.com',
        name: 'Acme',
        industry: 'software',
        industrySpelling: 'Software',
        employees: 1200,
        revenue: 150_000_000,
        country: 'US',
        region: 'West',
        city: 'Austin',
        foundedYear: 2009,
        businessModel: 'b2b',
        stage: 'series_b',
        technologies: ['salesforce', 'snowflake'],
        keywords: ['fintech'],
        description: 'Payments for everyone',
      },
    });
    // The API's account shows the normalised industry; the spelling is kept for labels.
    if (result.ok) {
      const { industrySpelling, ...shown } = result.account;
      expect(Account.parse(result.account)).toEqual(shown);
    }
  });

  it('normalises a CSV row where every value is a string', () => {
    const result = parseAccountRow({
      domain: 'acme.io',
      employees: '51-200',
      revenue: '$12.5M',
      country: 'deu',
      foundedYear: '2015-03-01',
      businessModel: 'B2B SaaS',
      technologies: 'HubSpot; Segment',
      keywords: '',
      name: '',
    });
    expect(result).toEqual({
      ok: true,
      account: {
        ...EMPTY_ACCOUNT,
        domain: 'acme.io',
        employees: 101,
        revenue: 12_500_000,
        country: 'DE',
        foundedYear: 2015,
        businessModel: 'b2b',
        technologies: ['hubspot', 'segment'],
      },
    });
  });

  it('needs only a domain: other fields default to null, lists to []', () => {
    expect(parseAccountRow({ domain: 'acme.com' })).toEqual({ ok: true, account: { domain: 'acme.com', ...EMPTY_ACCOUNT } });
  });

  it('collects every error of the row, and names the row by its domain', () => {
    const result = parseAccountRow({
      domain: 'www.acme.com',
      employees: 'abc',
      revenue: '-5',
      country: 'Atlantis',
      foundedYear: '1700',
      businessModel: 'hardware',
      technologies: 42,
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.domain).toBe('acme.com');
    expect(result.errors).toEqual([
      'employees: "abc" is not a number of employees',
      'revenue: "-5" is negative',
      'country: "Atlantis" is not a known country',
      `foundedYear: "1700" is not a plausible founding year (1800–${new Date().getUTCFullYear()})`,
      'businessModel: "hardware" is not a business model (one of b2b, b2c, b2b2c, marketplace, nonprofit, government)',
      'technologies: 42 is not a list',
    ]);
  });

  it('requires a domain', () => {
    expect(parseAccountRow({ name: 'Acme' })).toEqual({ ok: false, errors: ['domain: is required'] });
    expect(parseAccountRow({ domain: '  ' })).toEqual({ ok: false, errors: ['domain: is required'] });
  });

  it('reports an invalid domain, and names the row by the domain as given', () => {
    expect(parseAccountRow({ domain: 'Acme Inc', employees: 'x' })).toEqual({
      ok: false,
      domain: 'Acme Inc',
      errors: ['domain: "Acme Inc" is not a domain: it contains a space', 'employees: "x" is not a number of employees'],
    });
    expect(parseAccountRow({ domain: 5 })).toEqual({
      ok: false,
      errors: ['domain: 5 is not a domain: an IP address is not a domain'], // URL parsers read "5" as 0.0.0.5
    });
    const permalink = `${'very-long-crunchbase-permalink-'.repeat(3)}inc.example`;
    expect(parseAccountRow({ domain: permalink }).ok).toBe(false);
    expect(parseAccountRow({ domain: permalink })).toMatchObject({
      errors: [expect.stringMatching(/is not a domain: a label is longer than 63 characters \(".*has 96\)$/)],
    });
  });

  it('ignores keys that are not Account fields, and lists them', () => {
    expect(parseAccountRow({ domain: 'acme.com', founded_year: 2001, score: 3 })).toEqual({
      ok: true,
      account: { domain: 'acme.com', ...EMPTY_ACCOUNT },
      ignored: ['founded_year', 'score'],
    });
  });

  it('rejects a row that is not an object', () => {
    for (const row of [null, 'acme.com', ['acme.com'], 5]) {
      expect(parseAccountRow(row as never)).toEqual({ ok: false, errors: [`${JSON.stringify(row)} is not an object`] });
    }
  });

  it('never throws, whatever JSON holds', () => {
    const odd: unknown[] = [null, undefined, true, false, {}, { a: [1] }, [], [1], [null], -1, 1e308, Number.NaN, 'x'.repeat(10_000)];
    for (const field of ACCOUNT_FIELDS) {
      for (const value of odd) expect(() => parseAccountRow({ domain: 'acme.com', [field]: value })).not.toThrow();
    }
  });
});

/** The field of each column and the headers of the unused ones. */
function mapCsvHeader(headers: string[]) {
  const columns = mapAccountColumns(headers);
  return {
    fields: columns.map((column) => column.field),
    unknown: columns.filter((column) => column.field === null).map((column) => column.header),
  };
}

describe('mapAccountColumns', () => {
  it('accepts field names in any case and separator style', () => {
    expect(mapCsvHeader(['Domain', 'Founded Year', 'founded_year', 'FOUNDEDYEAR', 'businessModel', 'BUSINESS-MODEL'])).toEqual({
      fields: ['domain', 'foundedYear', null, null, 'businessModel', null],
      unknown: ['founded_year', 'FOUNDEDYEAR', 'BUSINESS-MODEL'],
    });
  });

  it('maps the usual aliases', () => {
    const { fields, unknown } = mapCsvHeader([
      'Website',
      'Company Name',
      'Employee Count',
      'Annual Revenue',
      'Tech Stack',
      'Tags',
      'Country',
      'Stage',
      'Favourite Colour',
    ]);
    expect(fields).toEqual(['domain', 'name', 'employees', 'revenue', 'technologies', 'keywords', 'country', 'stage', null]);
    expect(unknown).toEqual(['Favourite Colour']);
    expect(mapCsvHeader(['url', 'company', 'headcount']).fields).toEqual(['domain', 'name', 'employees']);
  });

  it('prefers the field name over an alias, then the better alias, then the first column', () => {
    expect(mapCsvHeader(['Website', 'Company', 'Domain', 'URL'])).toEqual({
      fields: [null, 'name', 'domain', null],
      unknown: ['Website', 'URL'],
    });
    expect(mapCsvHeader(['Website URL', 'Company Domain Name']).fields).toEqual([null, 'domain']);
    expect(mapCsvHeader(['Website', 'Homepage']).fields).toEqual(['domain', null]);
  });

  it('says why each unused column is ignored', () => {
    expect(mapAccountColumns(['Website', 'Domain', 'Colour'])).toEqual([
      { header: 'Website', field: null, fallbackFor: 'domain', reason: 'fills domain in rows where "Domain" is empty' },
      { header: 'Domain', field: 'domain', reason: 'a known header' },
      { header: 'Colour', field: null, reason: 'not a header this import knows; name its field in `mapping` to use it' },
    ]);
  });

  it('takes the mapping first: a header to a field, or null to ignore it', () => {
    expect(mapAccountColumns(['Org URL', 'Website', 'HQ'], { 'org url': 'domain', HQ: 'location', website: null })).toEqual([
      { header: 'Org URL', field: 'domain', reason: 'named in the mapping' },
      { header: 'Website', field: null, reason: 'ignored by the mapping' },
      { header: 'HQ', field: 'location', reason: 'named in the mapping' },
    ]);
    expect(() => mapAccountColumns(['domain'], { Website: 'domain' })).toThrow(
      'mapping names the header "Website", which the file does not have (its headers: "domain")',
    );
  });

  it('understands "Company …", "Account …" and "Organization - …" in front of a header, but not for the stage', () => {
    expect(mapCsvHeader(['Organization - Name', 'Company City', 'company_country_code', 'Account Stage', 'Website']).fields).toEqual([
      'name',
      'city',
      'country',
      null,
      'domain',
    ]);
  });

  it('names columns with an empty header by position', () => {
    expect(mapCsvHeader(['domain', ' ']).unknown).toEqual(['(column 2)']);
  });

  it('reports a header without a domain column with its real header names', () => {
    const columns = mapAccountColumns(['name', 'employees']);
    expect(columns.map((column) => column.field)).toEqual(['name', 'employees']);
    expect(accountHeaderProblem(columns)).toBe(
      'no domain or website column (found: "name", "employees"); name the column that holds each account\'s website with mapping={"<header>":"domain"}',
    );
  });

  it('ignores prototype property names', () => {
    expect(mapCsvHeader(['domain', 'constructor', '__proto__']).fields).toEqual(['domain', null, null]);
  });
});
