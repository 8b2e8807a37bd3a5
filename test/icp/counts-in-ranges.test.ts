/**
 * Counts over a whole universe (the ICP's tallies, the prospects per tier) are sent as one statement per
 * range of accounts: on the embedded database one statement holds the connection and the API's thread,
 * and one count over a 200,000-account universe held every other workspace's requests for 7–12 s.
 * The sums over ranges are the counts of one statement over the whole universe.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Queryable } from '../../src/db/pool.ts';
import { attributePredicate } from '../../src/icp/attributes.ts';
import { attributeCounts, maskTallies, totalTally } from '../../src/icp/repository.ts';
import { prospectsPerTier } from '../../src/prospects/repository.ts';
import { openTestDatabase } from '../support/db.ts';
import { jobCompleted, jobsApp, type JobsApp } from '../support/jobs.ts';

const WHOLE = 1_000_000_000;
const RANGE = 400;

/** A Queryable that keeps the text of every statement it sends. */
function recording(pool: pg.Pool): { db: Queryable; statements: string[] } {
  const statements: string[] = [];
  const query = (text: string, params?: unknown[]) => {
    statements.push(text);
    return pool.query(text, params);
  };
  return { db: { query } as unknown as Queryable, statements };
}

/** Statements that read the workspace's accounts for a count (the planning of the ranges aside). */
const counting = (statements: string[]) => statements.filter((s) => /\baccounts a\b/.test(s) && !/row_number\(\)/.test(s));

describe('counts over the universe, one range of accounts per statement', () => {
  let db: Database;
  let t: JobsApp;
  let ws: Awaited<ReturnType<JobsApp['newWorkspace']>>;

  beforeAll(async () => {
    db = await openTestDatabase();
    t = await jobsApp(db);
    ws = await t.newWorkspace(1_500);
    // Industries as imports spell them: the spelling most accounts have is the label, summed over every range.
    await db.pool.query(
      `UPDATE accounts SET industry_spelling = CASE WHEN id % 3 = 0 THEN 'SOFTWARE' ELSE 'Software' END
       WHERE workspace_id = $1 AND industry = 'software'`,
      [ws.id],
    );
  }, 300_000);
  afterAll(async () => {
    await t?.close();
    await db?.close();
  });

  it('the ICP tallies: ranges of 400 of 1,500 accounts sum to the counts of one statement, each statement one range', async () => {
    const predicates = [attributePredicate('industry', ['software']), attributePredicate('technology', ['salesforce'])];
    const whole = {
      total: await totalTally(db.pool, ws.id, WHOLE),
      values: await attributeCounts(db.pool, ws.id, 10, WHOLE),
      masks: await maskTallies(db.pool, ws.id, predicates, WHOLE),
    };
    const { db: recorder, statements } = recording(db.pool);
    const inRanges = {
      total: await totalTally(recorder, ws.id, RANGE),
      values: await attributeCounts(recorder, ws.id, 10, RANGE),
      masks: await maskTallies(recorder, ws.id, predicates, RANGE),
    };

    expect(whole.total.universe).toBe(1_500);
    expect(whole.total.won).toBeGreaterThan(0);
    expect(inRanges.total).toEqual(whole.total);
    const byValue = (rows: typeof whole.values) =>
      [...rows].sort((a, b) => `${a.attribute}:${a.value}`.localeCompare(`${b.attribute}:${b.value}`));
    expect(byValue(inRanges.values)).toEqual(byValue(whole.values));
    expect(whole.values.find((v) => v.attribute === 'industry' && v.value === 'software')?.spelling).toBe('Software');
    const byMask = (rows: typeof whole.masks) => [...rows].sort((a, b) => a.mask - b.mask);
    expect(byMask(inRanges.masks)).toEqual(byMask(whole.masks));

    // 4 ranges: the total, the values and their spellings, the masks each took one statement per range.
    const counts = counting(statements);
    expect(counts).toHaveLength(4 * 4);
    for (const text of counts) expect(text).toMatch(/a\.id > \$\d+::bigint AND/);
  });

  it('the prospects per tier of a scored run: the same sums, one statement per range', async () => {
    const trained = await t.app.inject({ method: 'POST', url: '/v1/models', headers: ws.auth, payload: {} });
    expect(trained.statusCode, trained.body).toBe(202);
    const job = await jobCompleted(db.pool, ws.id, trained.json().job.id, 240_000);
    await jobCompleted(db.pool, ws.id, (job.result as { scoringJob: { id: string } }).scoringJob.id, 240_000);
    const summary = await t.app.inject({ method: 'GET', url: '/v1/prospects/summary', headers: ws.auth });
    expect(summary.statusCode, summary.body).toBe(200);
    const { model, cutoffs, tiers } = summary.json();

    const { db: recorder, statements } = recording(db.pool);
    const whole = await prospectsPerTier(db.pool, model.runId, ws.id, cutoffs, WHOLE);
    const inRanges = await prospectsPerTier(recorder, model.runId, ws.id, cutoffs, RANGE);
    expect(whole).toEqual({ a: tiers.A, b: tiers.B, c: tiers.C, d: tiers.D });
    expect(inRanges).toEqual(whole);
    expect(counting(statements)).toHaveLength(4);
  }, 300_000);
});
