import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountBatchTexts, accountsFromText, staleVectorBatchTexts, upsertAccounts } from '../../src/accounts/repository.ts';
import type { Database } from '../../src/db/pool.ts';
import { generateAccounts } from '../../src/demo/universe.ts';
import { refreshVectors, storedVocabulary } from '../../src/features/service.ts';
import { MAX_SIMILARITY_NONZEROS, parseSparsevec, SIMILARITY_DIM, similarityVector, sparseDot } from '../../src/features/spec.ts';
import { createWorkspace } from '../../src/workspaces/service.ts';
import { openTestDatabase } from '../support/db.ts';

describe('account vectors', () => {
  let db: Database;
  let workspaceId: string;
  const accounts = [...generateAccounts({ seed: 9, count: 3_000 })];
  beforeAll(async () => {
    db = await openTestDatabase();
    workspaceId = (await createWorkspace(db.pool, 'Vectors')).workspace.id;
    await upsertAccounts(db.pool, workspaceId, accounts);
  });
  afterAll(() => db.close());

  it('vectorises every account once, then only the accounts that changed', async () => {
    const first = await refreshVectors(db.pool, workspaceId);
    expect(first.vectorised).toBe(3_000);
    // Stored as sparsevec: unit-length TF-IDF vectors of the vocabulary's dimension, as similarityVector computes them.
    const { rows } = await db.pool.query<{ domain: string; embedding: string }>(
      `SELECT a.domain, v.embedding::text AS embedding FROM account_vectors v JOIN accounts a ON a.id = v.account_id
       WHERE v.workspace_id = $1 ORDER BY a.domain LIMIT 50`,
      [workspaceId],
    );
    expect(rows).toHaveLength(50);
    const { vocabulary } = (await storedVocabulary(db.pool, workspaceId))!;
    const byDomain = new Map(accounts.map((a) => [a.domain, a]));
    for (const row of rows) {
      expect(row.embedding.endsWith(`/${SIMILARITY_DIM}`)).toBe(true);
      const stored = parseSparsevec(row.embedding);
      expect(stored.index.length).toBeGreaterThan(0);
      expect(stored.index.length).toBeLessThanOrEqual(MAX_SIMILARITY_NONZEROS);
      expect(Math.hypot(...stored.value)).toBeCloseTo(1, 4);
      const expected = similarityVector(byDomain.get(row.domain)!, vocabulary);
      expect(stored.index).toEqual(expected.index);
      expect(sparseDot(stored, expected)).toBeCloseTo(1, 4);
    }

    expect((await refreshVectors(db.pool, workspaceId)).vectorised).toBe(0);
    await upsertAccounts(db.pool, workspaceId, [{ ...accounts[0], employees: (accounts[0].employees ?? 10) * 10 }, accounts[1]]);
    const again = await refreshVectors(db.pool, workspaceId);
    expect(again).toEqual({ vocabularyVersion: first.vocabularyVersion, vectorised: 1 });
  });

  it('reads stale accounts window by window, each with its content hash, skipping windows with none', async () => {
    const { version } = (await storedVocabulary(db.pool, workspaceId))!;
    const { rows } = await db.pool.query<{ id: string; domain: string }>(
      'SELECT id, domain FROM accounts WHERE workspace_id = $1 ORDER BY id',
      [workspaceId],
    );
    // Changed: two accounts in the first window of 700, one in the fourth; none in the others.
    const changed = [rows[3], rows[650], rows[2_500]].map((r) => r.domain);
    await db.pool.query("UPDATE accounts SET content_hash = 'changed-' || domain WHERE workspace_id = $1 AND domain = ANY($2)", [
      workspaceId,
      changed,
    ]);
    const batches = [];
    for await (const text of staleVectorBatchTexts(db.pool, workspaceId, version, 700)) batches.push(accountsFromText(text));
    expect(batches.map((b) => b.map((a) => a.account.domain))).toEqual([changed.slice(0, 2), changed.slice(2)]);
    expect(batches.flatMap((b) => b.map((a) => a.contentHash))).toEqual(changed.map((d) => `changed-${d}`));
    expect((await refreshVectors(db.pool, workspaceId)).vectorised).toBe(3);
  });

  it('reads a range of accounts in id windows: every account of the range once, in order, batches of at most the size', async () => {
    const { rows } = await db.pool.query<{ id: string }>('SELECT id FROM accounts WHERE workspace_id = $1 ORDER BY id', [workspaceId]);
    const range = { fromId: rows[99].id, toId: rows[2_599].id };
    const batches = [];
    for await (const batch of accountBatchTexts(db.pool, workspaceId, 700, range)) batches.push(batch);
    const ids = batches.flatMap((b) => accountsFromText(b.text).map((a) => a.id));
    expect(ids).toEqual(rows.slice(100, 2_600).map((r) => r.id));
    expect(batches.map((b) => accountsFromText(b.text).length)).toEqual([700, 700, 700, 400]);
    expect(batches.map((b) => b.afterId)).toEqual([rows[99].id, rows[799].id, rows[1_499].id, rows[2_199].id]);
  });

  it('rebuilds the vocabulary, and every vector, once the universe has grown by a quarter', async () => {
    const before = await refreshVectors(db.pool, workspaceId);
    await upsertAccounts(db.pool, workspaceId, [...generateAccounts({ seed: 10, count: 1_000 })]);
    const after = await refreshVectors(db.pool, workspaceId);
    expect(after.vocabularyVersion).toBe(before.vocabularyVersion + 1);
    // Readers get the rebuilt vocabulary, not the one remembered from before.
    const stored = (await storedVocabulary(db.pool, workspaceId))!;
    expect(stored.version).toBe(after.vocabularyVersion);
    expect(stored.vocabulary.universeSize).toBeGreaterThan(3_700);
    expect(await storedVocabulary(db.pool, workspaceId)).toBe(stored); // and the same object while it stands
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM accounts WHERE workspace_id = $1', [workspaceId]);
    expect(rows[0].n).toBeGreaterThan(3_700);
    expect(after.vectorised).toBe(rows[0].n);
  });
});
