/**
 * Hostile input: values the database would refuse are 4xx with a reason,
 * never a 500 with the database's words; a CSV row the database refuses costs only that row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';

describe('hostile input', () => {
  let t: TestApp;
  let ws: Awaited<ReturnType<TestApp['newWorkspace']>>;
  beforeAll(async () => {
    t = await createTestApp();
    ws = await t.newWorkspace();
  });
  afterAll(() => t.close());

  const post = (url: string, payload: unknown) => t.app.inject({ method: 'POST', url, headers: ws.auth, payload: payload as object });
  const importCsv = (body: string | Buffer) =>
    t.app.inject({ method: 'POST', url: '/v1/accounts/import', headers: { ...ws.auth, 'content-type': 'text/csv' }, payload: body });
  const count = async (where = '') =>
    (await t.db.pool.query(`SELECT count(*)::int AS n FROM accounts WHERE workspace_id = $1 ${where}`, [ws.id])).rows[0].n as number;

  const errorsOf = (res: { json(): { error: { details: { rejected: { errors: string[] }[] } } } }) =>
    res.json().error.details.rejected[0].errors.join('; ');

  describe('account values outside what the database accepts are rejected with a reason (422, not 500)', () => {
    it.each([
      ['employees 3,000,000,000', { employees: 3_000_000_000 }, /employees: .*more than 2147483647 employees/],
      ['employees "3B"', { employees: '3B' }, /employees: .*more than 2147483647/],
      ['a NUL byte in the name', { name: 'Acme\u0000Corp' }, /name: contains a NUL character/],
      ['a NUL byte in a technology', { technologies: ['sales\u0000force'] }, /technologies: item 1 contains a NUL character/],
      ['an unpaired surrogate', { city: 'Paris\ud800' }, /city: .*surrogate/],
      ['a 1 MB name', { name: 'x'.repeat(1_000_000) }, /name: is 1000000 characters long; at most 500/],
      ['an 11k description', { description: 'd'.repeat(11_000) }, /description: .*at most 10000/],
      [
        '5,000 technologies',
        { technologies: Array.from({ length: 5_000 }, (_, i) => `tech ${i}`) },
        /technologies: has more than 1000 items/,
      ],
      ['a 201-character technology', { technologies: ['t'.repeat(201)] }, /technologies: item 1 .*longer than 200/],
      ['revenue "1e308t"', { revenue: '1e308t' }, /revenue: .*too large/],
      ['revenue 1e14', { revenue: 1e14 }, /revenue: .*more than 1e\+13/],
    ])('%s', async (_what, fields, message) => {
      const res = await post('/v1/accounts', { accounts: [{ domain: 'hostile.com', ...fields }] });
      expect(res.statusCode, res.body).toBe(422);
      expect(errorsOf(res)).toMatch(message);
    });

    it('2,147,483,647 employees and revenue 1e13 are still accepted', async () => {
      const res = await post('/v1/accounts', { accounts: [{ domain: 'huge.com', employees: 2 ** 31 - 1, revenue: 1e13 }] });
      expect(res.statusCode, res.body).toBe(200);
    });
  });

  describe('signal and outcome dates from 1900 to a year from now', () => {
    beforeAll(async () => {
      await post('/v1/accounts', { accounts: [{ domain: 'dated.com' }] });
    });
    it.each(['0000-01-01', '0000-01-01T00:00:00Z', '9999-12-31', '9999-12-31T23:59:59Z', '1899-12-31'])(
      'signal occurredAt %s → 400',
      async (date) => {
        const res = await post('/v1/signals', { signals: [{ domain: 'dated.com', type: 'web_visit', occurredAt: date }] });
        expect(res.statusCode, res.body).toBe(400);
        expect(res.json().error.message).toMatch(/from 1900-01-01 to one year from now/);
      },
    );
    it('outcome closedAt 9999-01-01 → 400; 2024-05-01 → stored', async () => {
      const bad = await post('/v1/outcomes', { outcomes: [{ domain: 'dated.com', status: 'won', closedAt: '9999-01-01' }] });
      expect(bad.statusCode, bad.body).toBe(400);
      expect(bad.json().error.message).toMatch(/closedAt.*from 1900-01-01/);
      const good = await post('/v1/outcomes', { outcomes: [{ domain: 'dated.com', status: 'won', closedAt: '2024-05-01' }] });
      expect(good.statusCode, good.body).toBe(200);
    });
    it('a NUL byte in a signal topic → 400', async () => {
      const res = await post('/v1/signals', {
        signals: [{ domain: 'dated.com', type: 'topic_surge', occurredAt: '2025-01-01', topic: 'a\u0000b' }],
      });
      expect(res.statusCode, res.body).toBe(400);
    });
  });

  describe('CSV import', () => {
    it('reports the row the database refuses with its line, keeps every good row of its batch and after it, and never quotes the database', async () => {
      // A rule only the database knows: validation cannot see it, so this is the database refusing a row.
      await t.db.pool.query("ALTER TABLE accounts ADD CONSTRAINT test_no_forbidden CHECK (name IS DISTINCT FROM 'Forbidden Co')");
      try {
        const rows = Array.from({ length: 4_500 }, (_, i) => `row${i}.com,${i === 2_100 ? 'Forbidden Co' : `Company ${i}`},${i + 1}`);
        const res = await importCsv(`domain,name,employees\n${rows.join('\n')}\n`);
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json();
        expect(body.rejectedCount).toBe(1);
        expect(body.rejected[0]).toMatchObject({ line: 2_102, domain: 'row2100.com' });
        expect(body.rejected[0].errors[0]).toMatch(/the database does not accept this row/);
        expect(res.body).not.toMatch(/constraint|test_no_forbidden|violat/i);
        expect(body.inserted).toBe(4_499);
        expect(await count("AND domain LIKE 'row%'")).toBe(4_499);
      } finally {
        await t.db.pool.query('ALTER TABLE accounts DROP CONSTRAINT test_no_forbidden');
      }
    });

    it('rejects employees 3,000,000,000 in one row with its line and keeps the rest', async () => {
      const res = await importCsv('domain,employees\nbig1.com,10\nbig2.com,3000000000\nbig3.com,12\n');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ inserted: 2, rejectedCount: 1, rejected: [{ line: 3, domain: 'big2.com' }] });
    });

    it('rejects a Latin-1 file with 415 and says to re-save it as UTF-8', async () => {
      const latin1 = Buffer.from('domain,name\nmueller.de,Café Müller\n', 'latin1');
      const res = await importCsv(latin1);
      expect(res.statusCode, res.body).toBe(415);
      expect(res.json().error).toMatchObject({ code: 'invalid_encoding', details: { line: 2 } });
      expect(res.json().error.message).toMatch(/not UTF-8.*re-save the file as UTF-8/);
      expect(await count("AND domain = 'mueller.de'")).toBe(0);
    });

    it('rejects UTF-16 with a message naming it', async () => {
      const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('domain\nx.com\n', 'utf16le')]);
      const res = await importCsv(utf16);
      expect(res.statusCode, res.body).toBe(415);
      expect(res.json().error.message).toMatch(/UTF-16.*UTF-8/);
    });

    it('accepts UTF-8 with a BOM, multi-byte characters across chunk boundaries included', async () => {
      const names = Array.from({ length: 3_000 }, (_, i) => `bom${i}.com,Café Müller 東京 ${i} 🚀`);
      const csv = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`domain,name\n${names.join('\n')}\n`)]);
      const res = await importCsv(csv);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ inserted: 3_000, rejectedCount: 0 });
      const { rows } = await t.db.pool.query("SELECT name FROM accounts WHERE workspace_id = $1 AND domain = 'bom2999.com'", [ws.id]);
      expect(rows[0].name).toBe('Café Müller 東京 2999 🚀');
    });
  });
});
