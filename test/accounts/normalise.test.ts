import { describe, expect, it } from 'vitest';
import { COUNTRIES, COUNTRY_ALIASES, REGIONS, countryRegion } from '../../src/accounts/countries.ts';
import {
  emptyToNull,
  normaliseCountry,
  normaliseDomain,
  parseBusinessModel,
  parseEmployees,
  parseList,
  parseNumber,
  parseRevenue,
  parseStage,
  parseText,
  parseYear,
  sizeBand,
  industrySpelling,
  parseIndustry,
} from '../../src/accounts/normalise.ts';

const value = <T>(v: T) => ({ ok: true, value: v });
const error = (message: string) => ({ ok: false, error: message });

describe('normaliseDomain', () => {
  it.each([
    ['acme.com', 'acme.com'],
    ['  Acme.COM  ', 'acme.com'],
    ['https://www.acme.com', 'acme.com'],
    ['http://www.Acme.com:8080/about/us?ref=crm#team', 'acme.com'],
    ['HTTPS://ACME.COM/', 'acme.com'],
    ['//acme.com/path', 'acme.com'],
    ['www.acme.com/', 'acme.com'],
    ['acme.com?utm=1', 'acme.com'],
    ['acme.com#top', 'acme.com'],
    ['https://user:secret@acme.com:443/', 'acme.com'],
    ['sales@acme.com', 'acme.com'],
    ['acme.com.', 'acme.com'],
    ['blog.acme.co.uk', 'blog.acme.co.uk'],
    ['münchen.de', 'xn--mnchen-3ya.de'],
    ['https://www.Bücher.example/shop', 'xn--bcher-kva.example'],
    ['xn--mnchen-3ya.de', 'xn--mnchen-3ya.de'],
    ['my-company.io', 'my-company.io'],
    ['www.com', 'www.com'], // "www." is only stripped when a domain remains
  ])('%j → %j', (input, expected) => {
    expect(normaliseDomain(input)).toBe(expected);
  });

  it.each([
    '',
    '   ',
    'acme', // no dot
    'localhost',
    'acme inc.com', // space
    'Acme Inc',
    '192.168.0.1', // IPv4
    'http://10.0.0.1:8080/',
    'http://[::1]/', // IPv6
    '-acme.com', // label starting with a hyphen
    'acme-.com',
    'ac_me.com', // underscore
    'acme..com', // empty label
    '.com',
    'https://',
    'acme.123', // numeric top-level domain
    `${'a'.repeat(64)}.com`, // label over 63 characters
    `${'a.'.repeat(127)}com`, // over 253 characters
  ])('rejects %j', (input) => {
    expect(normaliseDomain(input)).toBeNull();
  });
});

describe('normaliseCountry', () => {
  it.each([
    ['US', 'US'],
    ['us', 'US'],
    ['USA', 'US'],
    ['United States', 'US'],
    ['United States of America', 'US'],
    ['U.S.', 'US'],
    ['u.s.a.', 'US'],
    ['UK', 'GB'],
    ['U.K.', 'GB'],
    ['GBR', 'GB'],
    ['Great Britain', 'GB'],
    ['England', 'GB'],
    ['United Kingdom', 'GB'],
    ['Germany', 'DE'],
    ['Deutschland', 'DE'],
    ['deu', 'DE'],
    ['South Korea', 'KR'],
    ['Korea, Republic of', 'KR'],
    ['대한민국', 'KR'],
    ["Korea, Democratic People's Republic of", 'KP'],
    ['Polska', 'PL'],
    ['POLAND', 'PL'],
    ['The Netherlands', 'NL'],
    ['Holland', 'NL'],
    ["Côte d'Ivoire", 'CI'],
    ['cote divoire', 'CI'],
    ['Ivory Coast', 'CI'],
    ['Türkiye', 'TR'],
    ['Turkey', 'TR'],
    ['St. Lucia', 'LC'],
    ['Saint Kitts & Nevis', 'KN'],
    ['Trinidad & Tobago', 'TT'],
    ['  méxico ', 'MX'],
    ['Russian Federation', 'RU'],
    ['Viet Nam', 'VN'],
    ['Czech Republic', 'CZ'],
    ['Congo - Kinshasa', 'CD'], // ICU's English name
    ['NA', 'NA'], // Namibia, not "not available"
  ])('%j → %j', (input, expected) => {
    expect(normaliseCountry(input)).toBe(expected);
  });

  it.each(['', 'Atlantis', 'XX', 'ZZZ', 'Europe', '...', 'constructor'])('rejects %j', (input) => {
    expect(normaliseCountry(input)).toBeNull();
  });

  it('knows every ISO country by its code, alpha-3 code and name, and every alias', () => {
    for (const { alpha2, alpha3, name } of COUNTRIES) {
      expect([normaliseCountry(alpha2), normaliseCountry(alpha3), normaliseCountry(name)]).toEqual([alpha2, alpha2, alpha2]);
    }
    for (const [alias, alpha2] of Object.entries(COUNTRY_ALIASES)) expect(normaliseCountry(alias), alias).toBe(alpha2);
  });
});

describe('country table', () => {
  it('has the 249 ISO 3166-1 countries, unique codes, a region each', () => {
    expect(COUNTRIES).toHaveLength(249);
    expect(new Set(COUNTRIES.map((c) => c.alpha2)).size).toBe(249);
    expect(new Set(COUNTRIES.map((c) => c.alpha3)).size).toBe(249);
    for (const c of COUNTRIES) {
      expect(c.alpha2).toMatch(/^[A-Z]{2}$/);
      expect(c.alpha3).toMatch(/^[A-Z]{3}$/);
      expect(REGIONS).toContain(c.region);
    }
    expect(Object.values(COUNTRY_ALIASES).every((alpha2) => COUNTRIES.some((c) => c.alpha2 === alpha2))).toBe(true);
  });

  it.each([
    ['US', 'north_america'],
    ['ca', 'north_america'],
    ['MX', 'latin_america'],
    ['BR', 'latin_america'],
    ['PL', 'europe'],
    ['GB', 'europe'],
    ['AE', 'middle_east_africa'],
    ['ZA', 'middle_east_africa'],
    ['KR', 'asia_pacific'],
    ['AU', 'asia_pacific'],
  ])('countryRegion(%j) = %j', (alpha2, region) => {
    expect(countryRegion(alpha2)).toBe(region);
  });

  it('countryRegion of an unknown code is null', () => {
    expect(countryRegion('XX')).toBeNull();
  });
});

describe('emptyToNull and parseText', () => {
  it('trims, and turns blanks and empty-cell placeholders into null', () => {
    expect(emptyToNull('  Acme  ')).toBe('Acme');
    expect(emptyToNull('')).toBeNull();
    expect(emptyToNull('   ')).toBeNull();
    expect(emptyToNull('N/A')).toBeNull();
    expect(emptyToNull('-')).toBeNull();
    expect(emptyToNull('null')).toBeNull();
    expect(emptyToNull(null)).toBeNull();
    expect(emptyToNull(undefined)).toBeNull();
  });

  it('parseText keeps text and numbers, rejects other values', () => {
    expect(parseText(' Software ')).toEqual(value('Software'));
    expect(parseText(42)).toEqual(value('42'));
    expect(parseText(undefined)).toEqual(value(null));
    expect(parseText(true)).toEqual(error('true is not text'));
    expect(parseText({ a: 1 })).toEqual(error('{"a":1} is not text'));
  });
});

describe('parseNumber', () => {
  it.each([
    [1200, 1200],
    [0, 0],
    ['1200', 1200],
    ['1,200', 1200],
    ['1,234,567.89', 1234567.89],
    ['1200.0', 1200],
    ['1 200', 1200],
    ['1\u00a0200\u00a0000', 1200000], // no-break space thousands separators
    ['$1.2M', 1_200_000],
    ['3.5k', 3500],
    ['2B', 2_000_000_000],
    ['2bn', 2_000_000_000],
    ['$45MM', 45_000_000],
    ['USD 5 million', 5_000_000],
    ['5m USD', 5_000_000],
    ['US$1,500', 1500],
    ['.5k', 500],
    ['1.2E+09', 1_200_000_000], // Excel's scientific notation
    ['-12.5', -12.5],
  ])('%j → %j', (input, expected) => {
    expect(parseNumber(input)).toEqual(value(expected));
  });

  it.each([undefined, null, '', '  ', 'N/A'])('%j is empty → null', (input) => {
    expect(parseNumber(input)).toEqual(value(null));
  });

  it.each(['abc', '1,5', '12,34', '1.2.3', '€5M', '5 EUR', '5x', '$', 'k', '1-2', 'constructor'])('%j is an error', (input) => {
    expect(parseNumber(input)).toEqual(error(`${JSON.stringify(input)} is not a number`));
  });

  it('rejects non-finite numbers and non-text values', () => {
    expect(parseNumber(Number.NaN).ok).toBe(false);
    expect(parseNumber(Number.POSITIVE_INFINITY).ok).toBe(false);
    expect(parseNumber(true).ok).toBe(false);
    expect(parseNumber([1]).ok).toBe(false);
  });

  it('parseRevenue is a non-negative number', () => {
    expect(parseRevenue('$150M')).toEqual(value(150_000_000));
    expect(parseRevenue('')).toEqual(value(null));
    expect(parseRevenue('-5')).toEqual(error('"-5" is negative'));
    expect(parseRevenue('lots')).toEqual(error('"lots" is not a number'));
  });
});

describe('parseEmployees', () => {
  it.each([
    [1200, 1200],
    [12.6, 13],
    ['1,200', 1200],
    ['3.5k', 3500],
    ['51-200', 101], // geometric mean: √(51·200) ≈ 101
    ['51 - 200', 101],
    ['51 to 200', 101],
    ['51–200', 101],
    ['1,001-5,000', 2237],
    ['51-200 employees', 101],
    ['0-1', 1], // a range from 0 counts from 1
    ['10,001+', 20002], // open range: twice the lower bound
    ['5000+', 10000],
    ['5000 +', 10000],
    ['0', 0],
    // Thousands written with dots, as German, French or Spanish Excel exports have them: never 1.2 people.
    ['1.200', 1200],
    ['1.234.567', 1234567],
    ['1.001-5.000', 2237],
    ['10.001+', 20002],
    ['12.5', 13],
  ])('%j → %j', (input, expected) => {
    expect(parseEmployees(input)).toEqual(value(expected));
  });

  it.each([undefined, null, ''])('%j → null', (input) => {
    expect(parseEmployees(input)).toEqual(value(null));
  });

  it.each([
    ['abc', '"abc" is not a number of employees'],
    ['-5', '"-5" is not a number of employees'],
    [-5, '-5 is not a number of employees'],
    ['200-51', '"200-51" is not a valid range of employees'],
    ['10-', '"10-" is not a number of employees'],
    ['lots+', '"lots+" is not a number of employees'],
  ])('%j is an error', (input, message) => {
    expect(parseEmployees(input)).toEqual(error(message));
  });
});

describe('parseIndustry', () => {
  it('lower-cases and collapses spaces so one industry is one value', () => {
    expect(parseIndustry(' Financial   Services ')).toEqual({ ok: true, value: 'financial services' });
    expect(parseIndustry('')).toEqual({ ok: true, value: null });
    expect(parseIndustry({})).toMatchObject({ ok: false });
  });

  it('keeps the spelling beside it when its capitals say how the name is written', () => {
    expect(industrySpelling(' IT  and Cybersecurity ')).toBe('IT and Cybersecurity');
    expect(parseIndustry(' IT  and Cybersecurity ')).toEqual({ ok: true, value: 'it and cybersecurity' });
    // Without capitals (or a value) the normalised industry says it all.
    expect(industrySpelling('it and cybersecurity')).toBeNull();
    expect(industrySpelling('financial_services')).toBeNull();
    expect(industrySpelling(' n/a ')).toBeNull();
    expect(industrySpelling(null)).toBeNull();
    expect(industrySpelling({})).toBeNull();
  });
});

describe('sizeBand', () => {
  it.each([
    [499, null, 'smb'],
    [500, null, 'mid_market'],
    [2000, null, 'mid_market'],
    [2001, null, 'enterprise'],
    [null, 49_999_999, 'smb'],
    [null, 50_000_000, 'mid_market'],
    [null, 1_000_000_000, 'mid_market'],
    [null, 1_000_000_001, 'enterprise'],
    [100, 10_000_000, 'smb'],
    [1000, 500_000_000, 'mid_market'],
    [300, 2_000_000_000, 'smb'], // disagreeing measures: employees decide
    [5000, 20_000_000, 'enterprise'],
    [100, 60_000_000, 'smb'],
    [null, null, null],
  ] as const)('employees %j, revenue %j → %j', (employees, revenue, band) => {
    expect(sizeBand(employees, revenue)).toBe(band);
  });
});

describe('parseYear', () => {
  const thisYear = new Date().getUTCFullYear();

  it.each([
    [2015, 2015],
    ['2015', 2015],
    [' 2015 ', 2015],
    ['2015.0', 2015],
    ['2015-03-01', 2015],
    ['2015-03', 2015],
    ['2015-03-01T10:00:00Z', 2015],
    ['03/01/2015', 2015],
    ['1800', 1800],
    [String(thisYear), thisYear],
  ])('%j → %j', (input, expected) => {
    expect(parseYear(input)).toEqual(value(expected));
  });

  it.each([undefined, null, ''])('%j → null', (input) => {
    expect(parseYear(input)).toEqual(value(null));
  });

  it.each(['Mar 1, 2015', '1 March 2015', 'March 2015', '03-01-2015 10:00'])('reads the year of %j', (input) => {
    expect(parseYear(input)).toEqual(value(2015));
  });

  it.each(['abc', '15', '20155', '2015.5', 'in 2015'])('%j is not a year', (input) => {
    expect(parseYear(input)).toEqual(error(`${JSON.stringify(input)} is not a year`));
  });

  it.each(['1799', String(thisYear + 1), '0999-01-01'])('%j is out of range', (input) => {
    expect(parseYear(input)).toEqual(error(`${JSON.stringify(input)} is not a plausible founding year (1800–${thisYear})`));
  });
});

describe('parseList', () => {
  it('splits ";"-separated text, trims, lower-cases, dedupes and drops empties', () => {
    expect(parseList(' Salesforce ; Snowflake;;salesforce; Google  Analytics ;')).toEqual(
      value(['salesforce', 'snowflake', 'google analytics']),
    );
  });

  it('takes arrays as they are, item by item', () => {
    expect(parseList(['HubSpot', 'hubspot', ' ', 'Segment'])).toEqual(value(['hubspot', 'segment']));
  });

  it('keeps commas inside a token', () => {
    expect(parseList('Acme, Inc.;b')).toEqual(value(['acme, inc.', 'b']));
  });

  it.each([undefined, null, '', ' ; ', []])('%j → []', (input) => {
    expect(parseList(input)).toEqual(value([]));
  });

  it('rejects non-lists and non-text items', () => {
    expect(parseList(5)).toEqual(error('5 is not a list'));
    expect(parseList(['a', 7])).toEqual(error('item 2 (7) is not text'));
  });
});

describe('parseBusinessModel', () => {
  it.each([
    ['b2b', 'b2b'],
    ['B2B', 'b2b'],
    [' B2B SaaS ', 'b2b'],
    ['SaaS', 'b2b'],
    ['b2c', 'b2c'],
    ['D2C', 'b2c'],
    ['Direct-to-Consumer', 'b2c'],
    ['B2B2C', 'b2b2c'],
    ['Marketplace', 'marketplace'],
    ['Non-Profit', 'nonprofit'],
    ['not for profit', 'nonprofit'],
    ['NGO', 'nonprofit'],
    ['Government', 'government'],
    ['Public Sector', 'government'],
  ])('%j → %j', (input, expected) => {
    expect(parseBusinessModel(input)).toEqual(value(expected));
  });

  it('empty → null; unknown models and prototype names are errors', () => {
    expect(parseBusinessModel('')).toEqual(value(null));
    expect(parseBusinessModel('hardware')).toEqual(
      error('"hardware" is not a business model (one of b2b, b2c, b2b2c, marketplace, nonprofit, government)'),
    );
    expect(parseBusinessModel('constructor').ok).toBe(false);
  });
});

describe('parseStage', () => {
  it.each([
    ['Series B', 'series_b'],
    ['series-b', 'series_b'],
    ['SERIES_B', 'series_b'],
    ['seriesB', 'series_b'],
    ['Pre-Seed', 'pre_seed'],
    ['  Seed ', 'seed'],
    ['IPO', 'ipo'],
    ['Series C+', 'series_c'],
    ['Private Equity', 'private_equity'],
  ])('%j → %j', (input, expected) => {
    expect(parseStage(input)).toEqual(value(expected));
  });

  it('empty → null; text without letters or digits is an error', () => {
    expect(parseStage(undefined)).toEqual(value(null));
    expect(parseStage('+++')).toEqual(error('"+++" is not a stage'));
  });
});
