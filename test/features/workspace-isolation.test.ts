/**
 * Two workspaces of very different sizes share the vector table (and, on PostgreSQL, its HNSW index):
 * the small one's lookalikes must never come back short because of the large one's rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshVectors } from '../../src/features/service.ts';
import { ensureVectorIndex } from '../../src/features/vector-index.ts';
import { generateUniverse } from '../../src/demo/universe.ts';
import { upsertAccounts } from '../../src/accounts/repository.ts';
import { createTestApp, type TestApp } from '../support/app.ts';

const NOW = new Date('2026-11-01T00:00:00Z');

describe('vector search per workspace', () => {
  let t: TestApp;
  let large: Awaited<ReturnType<TestApp['newWorkspace']>>;
  let small: Awaited<ReturnType<TestApp['newWorkspace']>>;
  const smallDomains: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    large = await t.newWorkspace('Large');
    small = await t.newWorkspace('Small');
    // The same generator for both, so the large workspace's vectors crowd the small one's in the index.
    const many = generateUniverse({ seed: 3, count: 2_000, now: NOW }).accounts;
    const few = generateUniverse({ seed: 4, count: 100, now: NOW }).accounts.map((a) => ({ ...a, domain: `small-${a.domain}` }));
    for (let i = 0; i < many.length; i += 1000) await upsertAccounts(t.db.pool, large.id, many.slice(i, i + 1000));
    await upsertAccounts(t.db.pool, small.id, few);
    smallDomains.push(...few.map((a) => a.domain));
    await refreshVectors(t.db.pool, large.id);
    await refreshVectors(t.db.pool, small.id);
    await ensureVectorIndex(t.db);
  }, 300_000);
  afterAll(() => t.close());

  it("answers a small workspace's lookalikes in full, from its own accounts only", async () => {
    const seeds = smallDomains.slice(0, 5);
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/lookalikes',
      headers: small.auth,
      payload: { seedDomains: seeds, limit: 60 },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.data).toHaveLength(60);
    const own = new Set(smallDomains);
    for (const d of body.data) expect(own.has(d.domain)).toBe(true);
    expect(body.data.some((d: { domain: string }) => seeds.includes(d.domain))).toBe(false);
    // Best first, by cosine to the seeds' centroid.
    for (let i = 1; i < body.data.length; i++) expect(body.data[i - 1].similarity).toBeGreaterThanOrEqual(body.data[i].similarity);
    expect(body.search).toBe('exact');
  });

  it("does not find the small workspace's seeds from the large workspace", async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/lookalikes',
      headers: large.auth,
      payload: { seedDomains: smallDomains.slice(0, 2), limit: 10 },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('unknown_seeds');
  });
});
