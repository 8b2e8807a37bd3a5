// How much of a vendor-shaped export the account import understands: generated companies written
// the way HubSpot, People Data Labs, Apollo and Crunchbase Pro write them (their headers, country
// names, size and revenue bands, locality strings, lists), read by the import's own reader and row
// parser, and compared field by field with what was written. No database: this measures reading.
//
//   npx tsx bench/exports.ts [--count 20000]
import { Readable } from 'node:stream';
import { readAccountCsv } from '../src/accounts/csv.ts';
import { parseAccountRow } from '../src/accounts/row.ts';
import type { Account } from '../src/accounts/schema.ts';
import { generateAccounts } from '../src/demo/universe.ts';
import { csvLine } from '../src/lib/csv.ts';
import { isMain } from './lib.ts';

const countryName = new Intl.DisplayNames(['en'], { type: 'region' });
/** The index of the last bound at most `n`. */
const bandOf = (bounds: number[], n: number) => bounds.filter((low) => n >= low).length - 1;
const BANDS = [1, 11, 51, 201, 501, 1001, 5001, 10001];
const band = (n: number) => {
  const i = bandOf(BANDS, n);
  return i === BANDS.length - 1 ? '10001+' : `${BANDS[i]}-${BANDS[i + 1] - 1}`;
};
const money = (n: number) => (n >= 1e9 ? `$${n / 1e9}B` : n >= 1e6 ? `$${n / 1e6}M` : `$${n / 1e3}K`);
const REVENUE_BANDS = [0, 1e6, 10e6, 50e6, 100e6, 500e6, 1e9, 10e9];
const revenueBand = (n: number) => {
  const i = bandOf(REVENUE_BANDS, n);
  if (i === 0) return 'Less than $1M';
  return i === REVENUE_BANDS.length - 1 ? '$10B+' : `${money(REVENUE_BANDS[i])} to ${money(REVENUE_BANDS[i + 1])}`;
};

type Export = { name: string; header: string[]; row: (a: Account) => unknown[]; fields: (keyof Account)[] };

const EXPORTS: Export[] = [
  {
    name: 'HubSpot companies',
    header: [
      'Record ID',
      'Company name',
      'Company Domain Name',
      'Industry',
      'Number of Employees',
      'Annual Revenue',
      'Country/Region',
      'City',
      'Year Founded',
      'Web Technologies',
      'Description',
    ],
    row: (a) => [
      1,
      a.name,
      a.domain,
      a.industry,
      a.employees,
      a.revenue,
      a.country && countryName.of(a.country),
      a.city,
      a.foundedYear,
      a.technologies.join(';'),
      a.description,
    ],
    fields: ['domain', 'name', 'industry', 'employees', 'revenue', 'country', 'city', 'foundedYear', 'technologies', 'description'],
  },
  {
    name: 'People Data Labs',
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
    row: (a) => {
      const country = a.country ? countryName.of(a.country)?.toLowerCase() : '';
      return [
        a.name?.toLowerCase(),
        a.domain,
        a.foundedYear,
        a.industry,
        a.employees && band(a.employees),
        [a.city?.toLowerCase(), country].filter(Boolean).join(', '),
        country,
        '',
        '',
        '',
      ];
    },
    fields: ['domain', 'name', 'industry', 'employees', 'country', 'city', 'foundedYear'],
  },
  {
    name: 'Apollo accounts',
    header: [
      'Company',
      'Website',
      '# Employees',
      'Industry',
      'Company City',
      'Company Country',
      'Keywords',
      'Technologies',
      'Annual Revenue',
      'Founded Year',
      'Short Description',
    ],
    row: (a) => [
      a.name,
      `http://www.${a.domain}`,
      a.employees,
      a.industry,
      a.city,
      a.country && countryName.of(a.country),
      a.keywords.join(', '),
      a.technologies.join(', '),
      a.revenue,
      a.foundedYear,
      a.description,
    ],
    fields: [
      'domain',
      'name',
      'industry',
      'employees',
      'revenue',
      'country',
      'city',
      'foundedYear',
      'technologies',
      'keywords',
      'description',
    ],
  },
  {
    name: 'Crunchbase Pro',
    header: [
      'Organization Name',
      'Website',
      'Industries',
      'Headquarters Location',
      'Founded Date',
      'Number of Employees',
      'Estimated Revenue Range',
      'Description',
    ],
    row: (a) => [
      a.name,
      `https://${a.domain}`,
      a.keywords.join(', '),
      [a.city, a.country && countryName.of(a.country)].filter(Boolean).join(', '),
      a.foundedYear && `Jan 1, ${a.foundedYear}`,
      a.employees && band(a.employees),
      a.revenue && revenueBand(a.revenue),
      a.description,
    ],
    fields: ['domain', 'name', 'employees', 'revenue', 'country', 'city', 'foundedYear', 'keywords', 'description'],
  },
];

/** Whether the parsed value says what was written: equal, or for bands inside the band's range. */
function understood(field: keyof Account, written: Account, read: Account): boolean {
  const [w, r] = [written[field], read[field]];
  if (field === 'employees' || field === 'revenue')
    return typeof r === 'number' && r > 0 && r / (w as number) < 20 && (w as number) / r < 20;
  if (Array.isArray(w)) return Array.isArray(r) && r.length === w.length;
  if (typeof w === 'string' && typeof r === 'string') return w.toLowerCase() === r.toLowerCase();
  return w === r;
}

export async function measureExports(count: number) {
  const accounts = [...generateAccounts({ seed: 11, count })];
  const results: Record<string, Record<string, string>> = {};
  for (const vendor of EXPORTS) {
    const text = [csvLine(vendor.header), ...accounts.map((a) => csvLine(vendor.row(a)))].join('');
    const started = performance.now();
    const parsed = new Map<string, Account>();
    for await (const records of readAccountCsv(Readable.from([text]))) {
      for (const record of records) {
        if (record.kind !== 'row') continue;
        const row = parseAccountRow(record.values);
        if (row.ok) parsed.set(row.account.domain, row.account);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const shares: Record<string, string> = { rows: `${parsed.size}/${count}`, seconds: seconds.toFixed(2) };
    for (const field of vendor.fields) {
      const written = accounts.filter((a) => a[field] !== null && !(Array.isArray(a[field]) && (a[field] as unknown[]).length === 0));
      const ok = written.filter((a) => {
        const read = parsed.get(a.domain);
        return read !== undefined && understood(field, a, read);
      }).length;
      shares[field] = `${((100 * ok) / Math.max(1, written.length)).toFixed(1)}%`;
    }
    results[vendor.name] = shares;
  }
  return results;
}

if (isMain(import.meta.url)) {
  const at = process.argv.indexOf('--count');
  const count = at === -1 ? 20_000 : Number(process.argv[at + 1]);
  console.log(JSON.stringify(await measureExports(count), null, 2));
}
