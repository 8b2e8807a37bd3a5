import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../src/accounts/schema.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { account } from '../support/accounts.ts';

/** CSV text of a header and rows, quoted where needed. */
const csv = (header: string[], rows: string[][]) =>
  [header, ...rows]
    .map((cells) => cells.map((cell) => (/[",\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)).join(','))
    .join('\r\n');

// Each export with its real header set (as the vendor writes it, extra columns included) and a few
// realistic rows; `accounts` is every field the import fills, in domain order.
const EXPORTS: { name: string; header: string[]; rows: string[][]; accounts: Account[] }[] = [
  {
    name: 'HubSpot companies (property labels)',
    header: [
      'Record ID',
      'Company name',
      'Company Domain Name',
      'Website URL',
      'Industry',
      'Number of Employees',
      'Annual Revenue',
      'Country/Region',
      'State/Region',
      'City',
      'Year Founded',
      'Description',
      'Web Technologies',
      'Company owner',
      'Lifecycle Stage',
      'Create Date',
    ],
    rows: [
      [
        '9001',
        'Acme Corp',
        'acme.com',
        'https://www.acme.com',
        'Computer Software',
        '250',
        '15000000',
        'United States',
        'Massachusetts',
        'Boston',
        '2009',
        'Workflow software',
        'Salesforce;Google Analytics',
        'Jane Doe',
        'Customer',
        '2023-01-05 10:12',
      ],
      [
        '9002',
        'Globex GmbH',
        'globex.de',
        '',
        'Logistics and Supply Chain',
        '1200',
        '',
        'germany',
        '',
        'Hamburg',
        '1998',
        '',
        '',
        'Jane Doe',
        'Lead',
        '2023-02-01 09:00',
      ],
      [
        '9003',
        'Initech',
        '',
        'http://initech.io/about',
        'Information Technology and Services',
        '',
        '4500000.5',
        'GBR',
        'England',
        'London',
        '2015',
        '',
        'HubSpot',
        '',
        'Opportunity',
        '2024-06-30 17:45',
      ],
    ],
    accounts: [
      account({
        domain: 'acme.com',
        name: 'Acme Corp',
        industry: 'computer software',
        employees: 250,
        revenue: 15_000_000,
        country: 'US',
        region: 'Massachusetts',
        city: 'Boston',
        foundedYear: 2009,
        technologies: ['salesforce', 'google analytics'],
        description: 'Workflow software',
      }),
      account({
        domain: 'globex.de',
        name: 'Globex GmbH',
        industry: 'logistics and supply chain',
        employees: 1200,
        country: 'DE',
        city: 'Hamburg',
        foundedYear: 1998,
      }),
      account({
        domain: 'initech.io',
        name: 'Initech',
        industry: 'information technology and services',
        revenue: 4_500_000.5,
        country: 'GB',
        region: 'England',
        city: 'London',
        foundedYear: 2015,
        technologies: ['hubspot'],
      }),
    ],
  },
  {
    name: 'HubSpot companies (internal property names)',
    header: [
      'hs_object_id',
      'name',
      'domain',
      'website',
      'industry',
      'numberofemployees',
      'annualrevenue',
      'country',
      'state',
      'city',
      'founded_year',
      'description',
      'web_technologies',
    ],
    rows: [
      [
        '17',
        'Hooli',
        'hooli.com',
        'https://hooli.com',
        'INTERNET',
        '5000',
        '2000000000',
        'US',
        'CA',
        'Palo Alto',
        '2004',
        'Search',
        'Google Tag Manager;Optimizely',
      ],
    ],
    accounts: [
      account({
        domain: 'hooli.com',
        name: 'Hooli',
        industry: 'internet',
        employees: 5000,
        revenue: 2e9,
        country: 'US',
        region: 'CA',
        city: 'Palo Alto',
        foundedYear: 2004,
        technologies: ['google tag manager', 'optimizely'],
        description: 'Search',
      }),
    ],
  },
  {
    name: 'Salesforce accounts report (labels)',
    header: [
      'Account Owner',
      'Account Name',
      'Type',
      'Website',
      'Billing Street',
      'Billing City',
      'Billing State/Province',
      'Billing Zip/Postal Code',
      'Billing Country',
      'Employees',
      'Annual Revenue',
      'Industry',
      'Description',
      'Year Started',
    ],
    rows: [
      [
        'Sam Seller',
        'Umbrella Corp',
        'Customer - Direct',
        'www.umbrella.com',
        '1 Hive Way',
        'Raccoon City',
        'MO',
        '63101',
        'USA',
        '3,400',
        '$1.2B',
        'Biotechnology',
        'Pharma',
        '1968',
      ],
      [
        'Sam Seller',
        'Stark Industries',
        'Prospect',
        'https://starkindustries.com/',
        '',
        'New York',
        'NY',
        '',
        'United States of America',
        '12000',
        '',
        'Manufacturing',
        '',
        '',
      ],
    ],
    accounts: [
      account({
        domain: 'starkindustries.com',
        name: 'Stark Industries',
        industry: 'manufacturing',
        employees: 12000,
        country: 'US',
        region: 'NY',
        city: 'New York',
      }),
      account({
        domain: 'umbrella.com',
        name: 'Umbrella Corp',
        industry: 'biotechnology',
        employees: 3400,
        revenue: 1.2e9,
        country: 'US',
        region: 'MO',
        city: 'Raccoon City',
        foundedYear: 1968,
        description: 'Pharma',
      }),
    ],
  },
  {
    name: 'Salesforce accounts (API names)',
    header: [
      'Id',
      'Name',
      'Website',
      'BillingCity',
      'BillingState',
      'BillingCountry',
      'NumberOfEmployees',
      'AnnualRevenue',
      'Industry',
      'Description',
      'YearStarted',
      'OwnerId',
    ],
    rows: [
      [
        '0015g00000AbCdE',
        'Wayne Enterprises',
        'wayne.com',
        'Gotham',
        'NJ',
        'us',
        '80000',
        '31000000000',
        'Conglomerate',
        'Holding',
        '1939',
        '0055g000001',
      ],
      ['0015g00000AbCdF', 'Cyberdyne', 'cyberdyne.ai', 'Sunnyvale', 'CA', 'US', '', '', 'Electronics', '', '', '0055g000001'],
    ],
    accounts: [
      account({ domain: 'cyberdyne.ai', name: 'Cyberdyne', industry: 'electronics', country: 'US', region: 'CA', city: 'Sunnyvale' }),
      account({
        domain: 'wayne.com',
        name: 'Wayne Enterprises',
        industry: 'conglomerate',
        employees: 80000,
        revenue: 31e9,
        country: 'US',
        region: 'NJ',
        city: 'Gotham',
        foundedYear: 1939,
        description: 'Holding',
      }),
    ],
  },
  {
    name: 'Pipedrive organizations',
    header: [
      'Organization - ID',
      'Organization - Name',
      'Organization - Owner',
      'Organization - Address',
      'Organization - Address - City/town/village/locality',
      'Organization - Address - State/county',
      'Organization - Address - Country',
      'Organization - Website',
      'Organization - Industry',
      'Organization - Annual revenue',
      'Organization - Number of employees',
      'Organization - LinkedIn profile',
    ],
    rows: [
      [
        '31',
        'Vandelay Industries',
        'Art V',
        '129 W 81st St, New York, NY 10024, USA',
        'New York',
        'New York',
        'United States',
        'vandelay.com',
        'Import/Export',
        '2500000',
        '11-50',
        'https://linkedin.com/company/vandelay',
      ],
      [
        '32',
        'Soylent SA',
        'Art V',
        'Rue du Rhône 1, Genève, Suisse',
        'Genève',
        'Genève',
        'Switzerland',
        'https://soylent.ch',
        'Food',
        '',
        '201-500',
        '',
      ],
    ],
    accounts: [
      account({
        domain: 'soylent.ch',
        name: 'Soylent SA',
        industry: 'food',
        employees: 317,
        country: 'CH',
        region: 'Genève',
        city: 'Genève',
      }),
      account({
        domain: 'vandelay.com',
        name: 'Vandelay Industries',
        industry: 'import/export',
        employees: 23,
        revenue: 2_500_000,
        country: 'US',
        region: 'New York',
        city: 'New York',
      }),
    ],
  },
  {
    name: 'Apollo accounts export',
    header: [
      'Company',
      'Company Name for Emails',
      'Account Stage',
      'Lists',
      '# Employees',
      'Industry',
      'Account Owner',
      'Website',
      'Company Linkedin Url',
      'Company Street',
      'Company City',
      'Company State',
      'Company Country',
      'Company Postal Code',
      'Company Address',
      'Keywords',
      'Company Phone',
      'Technologies',
      'Total Funding',
      'Latest Funding',
      'Latest Funding Amount',
      'Last Raised At',
      'Annual Revenue',
      'Apollo Account Id',
      'SIC Codes',
      'Short Description',
      'Founded Year',
    ],
    rows: [
      [
        'Pied Piper',
        'Pied Piper',
        'Cold',
        'Q3 targets',
        '85',
        'computer software',
        'Ann',
        'http://www.piedpiper.com',
        'http://www.linkedin.com/company/pied-piper',
        '5230 Newell Rd',
        'Palo Alto',
        'California',
        'United States',
        '94303',
        '5230 Newell Rd, Palo Alto, California, United States, 94303',
        'compression, middle-out, saas',
        '+1 650-555-0100',
        'Amazon AWS, Google Analytics, Slack',
        '25000000',
        'Series B',
        '20000000',
        '2024-02-01',
        '12000000',
        '5f2b',
        '7372',
        'Compression platform',
        '2014',
      ],
      [
        'Aviato',
        'Aviato',
        'Current Client',
        '',
        '12',
        'airlines/aviation',
        'Ann',
        'aviato.com',
        '',
        '',
        'Palo Alto',
        'California',
        'United States',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '5f2c',
        '',
        '',
        '',
      ],
    ],
    accounts: [
      account({
        domain: 'aviato.com',
        name: 'Aviato',
        industry: 'airlines/aviation',
        employees: 12,
        country: 'US',
        region: 'California',
        city: 'Palo Alto',
      }),
      account({
        domain: 'piedpiper.com',
        name: 'Pied Piper',
        industry: 'computer software',
        employees: 85,
        revenue: 12_000_000,
        country: 'US',
        region: 'California',
        city: 'Palo Alto',
        foundedYear: 2014,
        stage: 'series_b',
        technologies: ['amazon aws', 'google analytics', 'slack'],
        keywords: ['compression', 'middle-out', 'saas'],
        description: 'Compression platform',
      }),
    ],
  },
  {
    name: 'People Data Labs free company dataset',
    header: [
      'name',
      'domain',
      'year founded',
      'industry',
      'size range',
      'locality',
      'country',
      'linkedin url',
      'current employee estimate',
      'total employee estimate',
    ],
    rows: [
      [
        'ibm',
        'ibm.com',
        '1911',
        'information technology and services',
        '10001+',
        'new york, new york, united states',
        'united states',
        'linkedin.com/company/ibm',
        '274047',
        '716906',
      ],
      [
        'tata consultancy services',
        'tcs.com',
        '1968',
        'information technology and services',
        '10001+',
        'bombay, maharashtra, india',
        'india',
        'linkedin.com/company/tata-consultancy-services',
        '',
        '',
      ],
      ['small shop', 'smallshop.co.uk', '', 'retail', '1-10', 'leeds, west yorkshire, united kingdom', 'united kingdom', '', '4', '6'],
    ],
    accounts: [
      account({
        domain: 'ibm.com',
        name: 'ibm',
        industry: 'information technology and services',
        employees: 274047,
        country: 'US',
        region: 'new york',
        city: 'new york',
        foundedYear: 1911,
      }),
      account({
        domain: 'smallshop.co.uk',
        name: 'small shop',
        industry: 'retail',
        employees: 4,
        country: 'GB',
        region: 'west yorkshire',
        city: 'leeds',
      }),
      account({
        domain: 'tcs.com',
        name: 'tata consultancy services',
        industry: 'information technology and services',
        employees: 20002,
        country: 'IN',
        region: 'maharashtra',
        city: 'bombay',
        foundedYear: 1968,
      }),
    ],
  },
  {
    name: 'Crunchbase organisations (2015 data export)',
    header: [
      'permalink',
      'name',
      'homepage_url',
      'category_list',
      'funding_total_usd',
      'status',
      'country_code',
      'state_code',
      'region',
      'city',
      'funding_rounds',
      'founded_at',
      'first_funding_at',
      'last_funding_at',
    ],
    rows: [
      [
        '/organization/waywire',
        '#waywire',
        'http://www.waywire.com',
        'Entertainment|Politics|Social Media|News',
        '1750000',
        'acquired',
        'USA',
        'NY',
        'New York City',
        'New York',
        '1',
        '2012-06-01',
        '2012-06-30',
        '2012-06-30',
      ],
      [
        '/organization/0-6-com',
        '0-6.com',
        'http://www.0-6.com',
        'Curated Web',
        '2000000',
        'operating',
        'CHN',
        '22',
        'Beijing',
        'Beijing',
        '1',
        '2007-01-01',
        '2008-03-19',
        '2008-03-19',
      ],
    ],
    accounts: [
      account({
        domain: '0-6.com',
        name: '0-6.com',
        industry: 'curated web',
        country: 'CN',
        region: 'Beijing',
        city: 'Beijing',
        foundedYear: 2007,
        keywords: ['curated web'],
      }),
      account({
        domain: 'waywire.com',
        name: '#waywire',
        industry: 'entertainment',
        country: 'US',
        region: 'New York City',
        city: 'New York',
        foundedYear: 2012,
        keywords: ['entertainment', 'politics', 'social media', 'news'],
      }),
    ],
  },
  {
    name: 'Crunchbase Pro organisation search export',
    header: [
      'Organization Name',
      'Organization Name URL',
      'Website',
      'Industries',
      'Headquarters Location',
      'Description',
      'Full Description',
      'Founded Date',
      'Number of Employees',
      'Estimated Revenue Range',
      'Last Funding Type',
      'Operating Status',
      'CB Rank (Company)',
    ],
    rows: [
      [
        'Snowflake',
        'https://www.crunchbase.com/organization/snowflake-computing',
        'https://www.snowflake.com',
        'Analytics, Big Data, Cloud Data Services',
        'Bozeman, Montana, United States',
        'Data cloud',
        'Snowflake is the data cloud company...',
        'Jul 23, 2012',
        '1001-5000',
        '$1B to $10B',
        'Post-IPO Equity',
        'Active',
        '52',
      ],
      [
        'Mistral AI',
        'https://www.crunchbase.com/organization/mistral-ai',
        'mistral.ai',
        'Artificial Intelligence (AI), Generative AI',
        'Paris, Ile-de-France, France',
        'Open models',
        '',
        '2023-04-01',
        '51-100',
        '$10M to $50M',
        'Series B',
        'Active',
        '3',
      ],
    ],
    accounts: [
      account({
        domain: 'mistral.ai',
        name: 'Mistral AI',
        industry: 'artificial intelligence (ai)',
        employees: 71,
        revenue: Math.sqrt(10e6 * 50e6),
        country: 'FR',
        region: 'Ile-de-France',
        city: 'Paris',
        foundedYear: 2023,
        stage: 'series_b',
        keywords: ['artificial intelligence (ai)', 'generative ai'],
        description: 'Open models',
      }),
      account({
        domain: 'snowflake.com',
        name: 'Snowflake',
        industry: 'analytics',
        employees: 2237,
        revenue: Math.sqrt(1e9 * 10e9),
        country: 'US',
        region: 'Montana',
        city: 'Bozeman',
        foundedYear: 2012,
        stage: 'post_ipo_equity',
        keywords: ['analytics', 'big data', 'cloud data services'],
        description: 'Data cloud',
      }),
    ],
  },
];

describe('account exports as vendors write them', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(undefined, { settings: { vectorRefreshDebounceMs: 60 * 60_000 } });
  });
  afterAll(() => t.close());

  const importCsv = (auth: Record<string, string>, body: string, query = '') =>
    t.app.inject({ method: 'POST', url: `/v1/accounts/import${query}`, headers: { ...auth, 'content-type': 'text/csv' }, payload: body });
  const stored = async (auth: Record<string, string>) =>
    (await t.app.inject({ method: 'GET', url: '/v1/accounts?limit=1000', headers: auth })).json().data;

  it.each(EXPORTS)('$name: every field it holds is understood', async ({ header, rows, accounts }) => {
    const ws = await t.newWorkspace();
    const res = await importCsv(ws.auth, csv(header, rows));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ rows: rows.length, inserted: accounts.length, rejectedCount: 0 });
    const got: Account[] = await stored(ws.auth);
    expect(got.map((a) => ({ ...a, revenue: a.revenue === null ? null : Math.round(a.revenue) }))).toEqual(
      accounts.map((a) => ({ ...a, revenue: a.revenue === null ? null : Math.round(a.revenue) })),
    );
  });

  it('a dry run stores nothing and answers the columns, the first rows as they would be stored and the row errors', async () => {
    const ws = await t.newWorkspace();
    const { header, rows, accounts } = EXPORTS.find((e) => e.name.startsWith('People Data Labs')) as (typeof EXPORTS)[number];
    const res = await importCsv(ws.auth, `${csv(header, rows)}\r\nbroken,not a domain,,,,,,,,\r\n`, '?dryRun=true');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.columns).toEqual([
      { header: 'name', field: 'name', reason: 'a known header' },
      { header: 'domain', field: 'domain', reason: 'a known header' },
      { header: 'year founded', field: 'foundedYear', reason: 'a known header' },
      { header: 'industry', field: 'industry', reason: 'a known header' },
      {
        header: 'size range',
        field: null,
        fallbackFor: 'employees',
        reason: 'fills employees in rows where "current employee estimate" is empty',
      },
      { header: 'locality', field: 'location', reason: 'a known header' },
      { header: 'country', field: 'country', reason: 'a known header' },
      { header: 'linkedin url', field: null, reason: 'not a header this import knows; name its field in `mapping` to use it' },
      { header: 'current employee estimate', field: 'employees', reason: 'a known header' },
      { header: 'total employee estimate', field: null, reason: 'not a header this import knows; name its field in `mapping` to use it' },
    ]);
    expect(body.sample).toEqual([accounts[0], accounts[2], accounts[1]]); // file order
    expect(body.rejected).toEqual([
      { line: 5, domain: 'not a domain', errors: ['domain: "not a domain" is not a domain: it contains a space'] },
    ]);
    expect(body).toMatchObject({ rows: 4, inserted: 0, updated: 0, unchanged: 0, rejectedCount: 1 });
    expect(await stored(ws.auth)).toEqual([]);
  });

  it('takes a mapping for headers no convention covers, and refuses one naming a header the file lacks', async () => {
    const ws = await t.newWorkspace();
    const mapping = encodeURIComponent(JSON.stringify({ 'Org URL': 'domain', HQ: 'location', Staff: 'employees', Website: null }));
    const text = 'Org URL,Website,HQ,Staff\nhttps://acme.com,https://wrong.com,"Lyon, France",51-200\n';
    const res = await importCsv(ws.auth, text, `?mapping=${mapping}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(await stored(ws.auth)).toEqual([account({ domain: 'acme.com', employees: 101, country: 'FR', city: 'Lyon' })]);
    const wrong = await importCsv(ws.auth, text, `?mapping=${encodeURIComponent('{"Domain":"domain"}')}`);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.message).toBe(
      'mapping names the header "Domain", which the file does not have (its headers: "Org URL", "Website", "HQ", "Staff")',
    );
    const bad = await importCsv(ws.auth, text, `?mapping=${encodeURIComponent('{"HQ":"headquarters"}')}`);
    expect(bad.statusCode).toBe(400);
  });

  it('a record over the size limit answers 413 naming its line, after storing the rows before it', async () => {
    const ws = await t.newWorkspace();
    const text = `domain,name\na.com,A\nb.com,"${'x'.repeat(8 * 1024 * 1024)}\n`;
    const started = performance.now();
    const res = await importCsv(ws.auth, text);
    console.log(`8 MB single record over HTTP: answered in ${((performance.now() - started) / 1000).toFixed(3)} s`);
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({ code: 'record_too_long', details: { line: 3, storedRows: 1 } });
    expect(res.json().error.message).toMatch(/^The row starting on line 3 is longer than 1 MiB/);
  });

  // Excel saves "CSV" with the list separator of the machine's locale: ";" wherever the decimal separator is a comma.
  it('a European Excel export (";" between cells, a "sep=;" line or none, CRLF, BOM, "1.200" employees) is read like a comma-separated one', async () => {
    const ws = await t.newWorkspace();
    const rows = [
      'Company name;Company Domain Name;Country/Region;Number of Employees;Web Technologies',
      '"Müller; Söhne GmbH";mueller.de;Germany;1.200;"SAP, Salesforce"',
      'Dupont SA;dupont.fr;France;85;HubSpot',
      'Broken;;Spain;10;',
    ];
    for (const first of ['', 'sep=;\r\n']) {
      const res = await importCsv(ws.auth, `\uFEFF${first}${rows.join('\r\n')}\r\n`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().columns.map((c: { field: string }) => c.field)).toEqual(['name', 'domain', 'country', 'employees', 'technologies']);
      // The line numbers are the file's, the "sep=" line included.
      expect(res.json().rejected).toEqual([expect.objectContaining({ line: first ? 5 : 4 })]);
    }
    expect(await stored(ws.auth)).toEqual([
      account({ domain: 'dupont.fr', name: 'Dupont SA', country: 'FR', employees: 85, technologies: ['hubspot'] }),
      account({ domain: 'mueller.de', name: 'Müller; Söhne GmbH', country: 'DE', employees: 1200, technologies: ['sap', 'salesforce'] }),
    ]);
  });

  it('a tab-separated export, and a "sep=," line before a comma-separated one, are read too', async () => {
    const ws = await t.newWorkspace();
    const tabs = await importCsv(ws.auth, 'domain\tname\tcity\ntabbed.com\tTabbed, Inc.\tLyon\n');
    expect(tabs.statusCode, tabs.body).toBe(200);
    const sep = await importCsv(ws.auth, 'sep=,\ndomain,name\nsep.com,Sep\n');
    expect(sep.statusCode, sep.body).toBe(200);
    expect(await stored(ws.auth)).toEqual([
      account({ domain: 'sep.com', name: 'Sep' }),
      account({ domain: 'tabbed.com', name: 'Tabbed, Inc.', city: 'Lyon' }),
    ]);
  });
});
