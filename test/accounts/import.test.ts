import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_BATCH_ROWS } from '../../src/accounts/service.ts';
import { accountsToCsvLines, generateAccounts } from '../../src/demo/universe.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

const csvOf = (count: number, seed = 7) => [...accountsToCsvLines(generateAccounts({ seed, count }))].join('');

describe('POST /v1/accounts/import (CSV)', () => {
  let t: TestApp;
  beforeAll(async () => {
    // No re-vectorising after these imports: it is not what this file tests, and for the 100,000-row
    // workspace it is minutes of work (an HNSW build on PostgreSQL, and on PGlite above 50k vectors)
    // that closing the app would wait for. The debounced job stays queued and never runs here.
    t = await createTestApp(undefined, { settings: { vectorRefreshDebounceMs: 60 * 60_000 } });
  });
  afterAll(() => t.close());

  const importCsv = (auth: object, body: string | Readable, query = '', contentType = 'text/csv') =>
    t.app.inject({ method: 'POST', url: `/v1/accounts/import${query}`, headers: { ...auth, 'content-type': contentType }, payload: body });

  it('imports 100,000 rows streamed; re-importing the same file changes nothing', async () => {
    const ws = await t.newWorkspace();
    const csv = csvOf(100_000);
    const first = await importCsv(ws.auth, Readable.from([csv]));
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ rows: 100_000, inserted: 100_000, updated: 0, unchanged: 0, rejectedCount: 0 });
    const second = await importCsv(ws.auth, Readable.from([csv]));
    expect(second.json()).toMatchObject({ rows: 100_000, inserted: 0, updated: 0, unchanged: 100_000, rejectedCount: 0 });
    const { rows } = await t.db.pool.query('SELECT count(*)::int AS n FROM accounts WHERE workspace_id = $1', [ws.id]);
    expect(rows[0].n).toBe(100_000);
  }, 180_000);

  it('stores the good rows of a file with 3 broken rows and names exactly those lines', async () => {
    const ws = await t.newWorkspace();
    const lines = csvOf(50, 11).split('\n');
    lines[5] = 'not a domain,Broken Co,,,,,,,,,,,,'; // line 6: invalid domain
    lines[20] = lines[20].replace(/,[^,]*$/, ',x,extra,cols'); // line 21: too many columns
    lines[33] = `${lines[33].replace(/^([^,]*),/, '$1,"unclosed quote ')}\nstill,inside`; // line 34: quote never closed
    const res = await importCsv(ws.auth, lines.join('\n'));
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.rejected.map((r: { line: number }) => r.line)).toEqual([6, 21, 34]);
    expect(body.rejectedCount).toBe(3);
    for (const r of body.rejected) expect(r.errors.length).toBeGreaterThan(0);
    // Rows before the open quote are kept; what the open quote swallowed is reported with its start line.
    expect(body.inserted).toBe(body.rows - 3);
    expect(body.inserted).toBeGreaterThanOrEqual(30);
  });

  it('keeps every good row around bad rows at batch boundaries, including a row the database refuses', async () => {
    const ws = await t.newWorkspace();
    const B = IMPORT_BATCH_ROWS;
    const lines = csvOf(3 * B + 500, 13).split('\n'); // lines[i] is line i + 1; line 1 is the header
    const bad = [B, B + 1, B + 2, 2 * B + 1, 3 * B + 11]; // the last row of the first batch, the first of the next, ...
    for (const i of bad) lines[i] = lines[i].replace(/^[^,]*/, 'not a domain');
    lines[2 * B + 6] = lines[2 * B + 6].replace(/^[^,]*/, 'refuse.com'); // refused by the database, in the third batch
    await t.db.pool.query(`CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.domain = 'refuse.com' THEN RAISE EXCEPTION 'refused' USING ERRCODE = 'check_violation'; END IF; RETURN NEW; END $$`);
    await t.db.pool.query('CREATE TRIGGER test_refuse BEFORE INSERT ON accounts FOR EACH ROW EXECUTE FUNCTION test_refuse()');
    try {
      const res = await importCsv(ws.auth, lines.join('\n'));
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      const expectedLines = [...bad, 2 * B + 6].map((i) => i + 1).sort((a, b) => a - b);
      expect(body.rejected.map((r: { line: number }) => r.line)).toEqual(expectedLines);
      expect(body.rejected.find((r: { line: number }) => r.line === 2 * B + 7).errors[0]).toMatch(/^the database does not accept this row/);
      expect(body).toMatchObject({ rows: 3 * B + 500, rejectedCount: 6, inserted: 3 * B + 494 });
      const { rows } = await t.db.pool.query('SELECT count(*)::int AS n FROM accounts WHERE workspace_id = $1', [ws.id]);
      expect(rows[0].n).toBe(3 * B + 494);
    } finally {
      await t.db.pool.query('DROP TRIGGER test_refuse ON accounts');
      await t.db.pool.query('DROP FUNCTION test_refuse()');
    }
  });

  it('accepts header variants, reports unknown columns and keeps the last duplicate', async () => {
    const ws = await t.newWorkspace();
    const csv =
      'Website,Company Name,employee_count,Founded Year,Tech Stack,favourite_colour\r\n' +
      'https://www.alpha.com,Alpha,51-200,2015,Salesforce;Snowflake,blue\r\n' +
      'alpha.com,Alpha Two,"1,200",2016,HubSpot,red\r\n';
    const body = (await importCsv(ws.auth, csv)).json();
    expect(body).toMatchObject({
      rows: 2,
      inserted: 1,
      unknownColumns: ['favourite_colour'],
      duplicates: [{ domain: 'alpha.com', line: 3, replaces: 2 }],
    });
    const got = (await t.app.inject({ method: 'GET', url: '/v1/accounts/alpha.com', headers: ws.auth })).json();
    expect(got.account).toMatchObject({ name: 'Alpha Two', employees: 1200, foundedYear: 2016, technologies: ['hubspot'] });
  });

  it('rejects a body that is not CSV (415), an empty body and a header without a domain (400)', async () => {
    const ws = await t.newWorkspace();
    const json = await importCsv(ws.auth, '{"accounts": []}', '', 'application/json');
    expect(json.statusCode).toBe(415);
    expect(json.json().error.code).toBe('unsupported_media_type');
    expect(json.json().error.message).toBe('Send the file as text/csv or text/tab-separated-values (got application/json)');
    const empty = await importCsv(ws.auth, '');
    expect(empty.statusCode).toBe(400);
    const noDomain = await importCsv(ws.auth, 'name,industry\nAcme,software\n');
    expect(noDomain.statusCode).toBe(400);
    expect(noDomain.json().error.code).toBe('missing_domain_column');
    expect(noDomain.json().error.message).toMatch(/^The CSV header has no domain or website column \(found: "name", "industry"\)/);
    expect(noDomain.json().error.details.header).toEqual(['name', 'industry']);
  });

  it('leaves no half-written batch when the database fails mid-import', async () => {
    const ws = await t.newWorkspace();
    const lines = csvOf(2 * IMPORT_BATCH_ROWS + 1000, 5).split('\n');
    lines[IMPORT_BATCH_ROWS + 1000] = lines[IMPORT_BATCH_ROWS + 1000].replace(/^[^,]*/, 'explode.com'); // in the second batch
    await t.db.pool.query(`CREATE FUNCTION test_explode() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.domain = 'explode.com' THEN RAISE EXCEPTION 'simulated disk failure'; END IF; RETURN NEW; END $$`);
    await t.db.pool.query('CREATE TRIGGER test_explode BEFORE INSERT ON accounts FOR EACH ROW EXECUTE FUNCTION test_explode()');
    try {
      const res = await importCsv(ws.auth, lines.join('\n'));
      expect(res.statusCode).toBe(500);
      expect(res.json().error).toMatchObject({
        code: 'import_failed',
        details: { storedRows: IMPORT_BATCH_ROWS, failedFromLine: IMPORT_BATCH_ROWS + 2 },
      });
      const { rows } = await t.db.pool.query('SELECT count(*)::int AS n FROM accounts WHERE workspace_id = $1', [ws.id]);
      expect(rows[0].n).toBe(IMPORT_BATCH_ROWS);
    } finally {
      await t.db.pool.query('DROP TRIGGER test_explode ON accounts');
      await t.db.pool.query('DROP FUNCTION test_explode()');
    }
  });

  it('reads text/tab-separated-values as tab-separated, in the foreground and the background, even when its first line has a comma', async () => {
    const ws = await t.newWorkspace();
    const tsv = (domain: string) => `domain\tname\tNotes, internal\n${domain}\tAcme, Inc.\tkey account\n`;
    // As text/csv, the comma of the first line makes it comma-separated: no domain column.
    expect((await importCsv(ws.auth, tsv('acme-tsv.com'))).json().error.code).toBe('missing_domain_column');
    const res = await importCsv(ws.auth, tsv('acme-tsv.com'), '', 'text/tab-separated-values; charset=utf-8');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ rows: 1, inserted: 1, unknownColumns: ['Notes, internal'] });
    const queued = await importCsv(ws.auth, tsv('acme-tsv-async.com'), '?async=true', 'text/tab-separated-values');
    expect(queued.statusCode, queued.body).toBe(202);
    let job: { status: string; result?: unknown } = { status: 'unknown' };
    for (let i = 0; i < 200 && job.status !== 'completed' && job.status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await t.app.inject({ method: 'GET', url: `/v1/jobs/${queued.json().job.id}`, headers: ws.auth })).json().job;
    }
    expect(job).toMatchObject({ status: 'completed', result: { rows: 1, inserted: 1 } });
    for (const domain of ['acme-tsv.com', 'acme-tsv-async.com']) {
      const got = await t.app.inject({ method: 'GET', url: `/v1/accounts/${domain}`, headers: ws.auth });
      expect(got.json().account.name, domain).toBe('Acme, Inc.');
    }
  });

  it('imports in the background with ?async=true and shows progress on the job', async () => {
    const ws = await t.newWorkspace();
    const res = await importCsv(ws.auth, csvOf(5_000, 3), '?async=true');
    expect(res.statusCode).toBe(202);
    const jobId = res.json().job.id;
    let job: { status: string; progress?: { rowsDone?: number }; result?: unknown } = { status: 'unknown' };
    for (let i = 0; i < 200; i++) {
      job = (await t.app.inject({ method: 'GET', url: `/v1/jobs/${jobId}`, headers: ws.auth })).json().job;
      if (job.status === 'completed' || job.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(job.status).toBe('completed');
    expect(job.progress?.rowsDone).toBe(5_000);
    expect(job.result).toMatchObject({ rows: 5_000, inserted: 5_000 });
    const other = await t.newWorkspace();
    expect((await t.app.inject({ method: 'GET', url: `/v1/jobs/${jobId}`, headers: other.auth })).statusCode).toBe(404);
  });
});
