import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';

describe('POST /v1/signals/import', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(undefined, { settings: { vectorRefreshDebounceMs: 60 * 60_000 }, retrainDebounceMs: 60 * 60_000 });
  });
  afterAll(() => t.close());

  const post = (auth: Record<string, string>, body: string, query = '', contentType = 'text/csv') =>
    t.app.inject({ method: 'POST', url: `/v1/signals/import${query}`, headers: { ...auth, 'content-type': contentType }, payload: body });
  const signals = async (workspaceId: string) =>
    (
      await t.db.pool.query(
        `SELECT a.domain, s.type, s.occurred_at, s.value, s.topic, s.source FROM signals s JOIN accounts a ON a.id = s.account_id
         WHERE s.workspace_id = $1 ORDER BY a.domain, s.occurred_at`,
        [workspaceId],
      )
    ).rows.map((r) => ({
      domain: r.domain,
      type: r.type,
      occurredAt: r.occurred_at.toISOString(),
      value: r.value,
      topic: r.topic,
      source: r.source,
    }));

  async function workspaceWith(domains: string[]) {
    const ws = await t.newWorkspace();
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/accounts',
      headers: ws.auth,
      payload: { accounts: domains.map((domain) => ({ domain })) },
    });
    expect(res.statusCode, res.body).toBe(200);
    return ws;
  }

  const recent = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);

  it('an intent vendor file (one type for the file): good rows stored, bad rows and unknown domains with their lines', async () => {
    const ws = await workspaceWith(['acme.com', 'globex.com']);
    const csv = [
      'Company Name,Domain,Topic Name,Composite Score,Date',
      `Acme,https://www.acme.com,Data Warehouse,72,${recent(3)}`,
      `Globex,globex.com,ETL,65,${recent(4)}`,
      `Initech,initech.io,ETL,60,${recent(4)}`,
      `Broken,globex.com,ETL,-5,yesterday`,
    ].join('\n');
    const res = await post(ws.auth, csv, '?type=topic_surge');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      rows: 4,
      inserted: 2,
      duplicates: 0,
      unknownDomains: [{ line: 4, domain: 'initech.io' }],
      rejectedCount: 1,
    });
    expect(body.rejected).toEqual([
      {
        line: 5,
        errors: [
          'occurredAt: "yesterday" is not a date (expected e.g. 2024-03-15, 2024-03-15 10:22 or 15/03/2024)',
          'value: "-5" is not a number of at least 0',
        ],
      },
    ]);
    expect(await signals(ws.id)).toEqual([
      {
        domain: 'acme.com',
        type: 'topic_surge',
        occurredAt: `${recent(3)}T00:00:00.000Z`,
        value: 72,
        topic: 'Data Warehouse',
        source: null,
      },
      { domain: 'globex.com', type: 'topic_surge', occurredAt: `${recent(4)}T00:00:00.000Z`, value: 65, topic: 'ETL', source: null },
    ]);
    expect((await post(ws.auth, csv, '?type=topic_surge')).json()).toMatchObject({ inserted: 0, duplicates: 2 });
  });

  it("an activity file: types from the activity column, a types mapping for the vendor's own names, day-first dates", async () => {
    const ws = await workspaceWith(['acme.com']);
    const csv = [
      'Company Domain,Activity,Activity Date,Page Views,Source',
      'acme.com,Page View,03/02/2026 10:15,12,website',
      'acme.com,Pricing page,04/02/2026 11:00,3,website',
      'acme.com,Webinar,05/02/2026,,zoom',
      'acme.com,Smoke signal,05/02/2026,,',
    ].join('\n');
    const types = encodeURIComponent(JSON.stringify({ 'Pricing page': 'web_visit' }));
    const res = await post(ws.auth, csv, `?types=${types}&dateFormat=DD/MM/YYYY`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ inserted: 3, rejectedCount: 1 });
    expect(res.json().rejected[0]).toMatchObject({
      line: 5,
      errors: [expect.stringMatching(/^type: "Smoke signal" is not a signal type; map it with types=/)],
    });
    expect((await signals(ws.id)).map((s) => [s.type, s.occurredAt, s.value])).toEqual([
      ['web_visit', '2026-02-03T10:15:00.000Z', 12],
      ['web_visit', '2026-02-04T11:00:00.000Z', 3],
      ['event_attended', '2026-02-05T00:00:00.000Z', null],
    ]);
  });

  it('a text/tab-separated-values file is read as tab-separated, even with a comma in its first line', async () => {
    const ws = await workspaceWith(['acme.com']);
    const tsv = `Domain\tTopic Name\tComposite Score\tDate\tNotes, internal\nacme.com\tETL, batch\t72\t${recent(3)}\tx\n`;
    const res = await post(ws.auth, tsv, '?type=topic_surge', 'text/tab-separated-values');
    expect(res.statusCode, res.body).toBe(200);
    expect(await signals(ws.id)).toEqual([
      expect.objectContaining({ domain: 'acme.com', type: 'topic_surge', topic: 'ETL, batch', value: 72 }),
    ]);
  });

  it('a dry run stores nothing; a file without a type says how to give one', async () => {
    const ws = await workspaceWith(['acme.com']);
    const dry = await post(ws.auth, `domain,type,date\nacme.com,funding_round,${recent(1)}\n`, '?dryRun=true');
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json().sample).toEqual([
      {
        line: 2,
        domain: 'acme.com',
        type: 'funding_round',
        occurredAt: `${recent(1)}T00:00:00.000Z`,
        value: null,
        topic: null,
        source: null,
      },
    ]);
    expect(await signals(ws.id)).toEqual([]);
    const noType = await post(ws.auth, `domain,date\nacme.com,${recent(1)}\n`);
    expect(noType.statusCode).toBe(400);
    expect(noType.json().error.code).toBe('missing_type_column');
  });
});
