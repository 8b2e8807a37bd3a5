import type pg from 'pg';
import { ACCOUNT_COLUMNS, addAccountFilters, toAccount, type AccountListFilters, type AccountRow } from '../accounts/repository.ts';
import { normaliseDomain } from '../accounts/normalise.ts';
import { Conditions } from '../db/conditions.ts';
import { withTransaction, type Database } from '../db/pool.ts';
import { refreshVectors, storedVocabulary, vectorLiteral } from '../features/service.ts';
import { describeFeatures } from '../features/spec.ts';
import { ensureVectorIndex } from '../features/vector-index.ts';
import { ApiError } from '../http/errors.ts';
import { cosineSimilarity } from '../model/ranking.ts';
import { seededRandom } from '../model/forest.ts';
import { ELIGIBILITY_JOINS, NOT_IN_CRM_SQL } from './eligibility.ts';
import { EXCLUDED_SQL } from '../exclusions/service.ts';
import { sharedFeatures } from './service.ts';

/** Nearest-neighbour queries per request: many seeds are first grouped into this many centroids. */
const MAX_QUERIES = 8;
/** A candidate's similarity is the mean of its similarities to this many nearest seeds. */
const NEAREST_SEEDS = 3;

export interface LookalikeRequest {
  seedDomains: string[];
  limit: number;
  filters: AccountListFilters;
  includeCustomers: boolean;
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** k-means with a seeded start: a few centroids that stand for many seeds, so the query count stays bounded. */
export function groupSeeds(vectors: number[][], k: number): number[][] {
  if (vectors.length <= k) return vectors;
  const random = seededRandom(vectors.length);
  let centroids = Array.from({ length: k }, (_, i) => vectors[Math.floor((i + random()) * (vectors.length / k))]);
  for (let iteration = 0; iteration < 10; iteration++) {
    const groups = centroids.map(() => [] as number[][]);
    for (const v of vectors) {
      let best = 0;
      centroids.forEach((c, i) => {
        if (cosineSimilarity(v, c) > cosineSimilarity(v, centroids[best])) best = i;
      });
      groups[best].push(v);
    }
    centroids = groups.map((g, i) => (g.length === 0 ? centroids[i] : g[0].map((_, d) => mean(g.map((v) => v[d])))));
  }
  return centroids;
}

/**
 * Accounts most similar to the seeds, no model needed: pgvector k-NN around the seeds (or their
 * centroids), merged and re-ranked by exact similarity to the nearest seeds. Seeds, and unless asked
 * accounts already in the CRM, are left out; exclusion rules and filters apply in the query.
 */
export async function findLookalikes(db: Database, workspaceId: string, request: LookalikeRequest) {
  const pool = db.pool;
  const domains = [...new Set(request.seedDomains.map((d) => normaliseDomain(d) ?? d.trim().toLowerCase()))];
  const seedRows = async () =>
    (
      await pool.query<{ id: string; domain: string; embedding: number[] | null }>(
        `SELECT a.id, a.domain, v.embedding FROM accounts a LEFT JOIN account_vectors v ON v.account_id = a.id
         WHERE a.workspace_id = $1 AND a.domain = ANY($2::text[]) ORDER BY a.domain`,
        [workspaceId, domains],
      )
    ).rows;
  let seeds = await seedRows();
  // Seeds imported since the last vectorising job: bring vectors up to date (incremental) first.
  if (seeds.some((s) => s.embedding === null)) {
    await refreshVectors(pool, workspaceId);
    seeds = await seedRows();
  }
  const found = new Set(seeds.map((s) => s.domain));
  const unknownSeeds = domains.filter((d) => !found.has(d));
  if (seeds.length === 0) throw new ApiError(400, 'unknown_seeds', 'None of the seed domains is in the universe', { unknownSeeds });
  const vocabulary = (await storedVocabulary(pool, workspaceId))!.vocabulary;
  const features = describeFeatures(vocabulary);
  const search = await ensureVectorIndex(db);

  const seedVectors = seeds.map((s) => s.embedding!);
  const queries = groupSeeds(seedVectors, MAX_QUERIES);
  const perQuery = Math.min(1000, request.limit * 2 + seeds.length);
  const c = new Conditions().add(workspaceId, (p) => `v.workspace_id = ${p}`).add(seeds.map((s) => s.id), (p) => `a.id <> ALL(${p}::bigint[])`);
  c.where.push(`NOT ${EXCLUDED_SQL}`);
  if (!request.includeCustomers) c.where.push(NOT_IN_CRM_SQL);
  addAccountFilters(c, request.filters);
  const vectorParam = c.param(null);
  const limitParam = c.param(perQuery);
  const candidates = new Map<string, AccountRow & { embedding: number[] }>();
  await withTransaction(pool, async (client) => {
    // With HNSW, keep scanning the graph until enough rows pass the filters (pgvector ≥ 0.8).
    if (search === 'hnsw') {
      await client.query('SET LOCAL hnsw.iterative_scan = relaxed_order');
      await client.query(`SET LOCAL hnsw.ef_search = ${Math.max(40, perQuery)}`);
    }
    for (const q of queries) {
      c.params[Number(vectorParam.slice(1)) - 1] = vectorLiteral(q);
      const { rows } = await client.query<AccountRow & { embedding: number[] }>(
        `SELECT ${ACCOUNT_COLUMNS}, v.embedding FROM account_vectors v JOIN accounts a ON a.id = v.account_id ${ELIGIBILITY_JOINS}
         WHERE ${c.sql()} ORDER BY v.embedding <=> ${vectorParam}::vector LIMIT ${limitParam}`,
        c.params,
      );
      for (const r of rows) candidates.set(r.id, r);
    }
  });

  const ranked = [...candidates.values()]
    .map((row) => {
      const sims = seeds
        .map((s, i) => ({ seed: s, vector: seedVectors[i], similarity: cosineSimilarity(row.embedding, seedVectors[i]) }))
        .sort((a, b) => b.similarity - a.similarity)
        .slice(0, NEAREST_SEEDS);
      return { row, sims, similarity: mean(sims.map((s) => s.similarity)) };
    })
    .sort((a, b) => b.similarity - a.similarity || Number(a.row.id) - Number(b.row.id))
    .slice(0, request.limit);
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  return {
    data: ranked.map(({ row, sims, similarity }) => ({
      domain: row.domain,
      name: row.name,
      similarity: round(similarity),
      resembles: sims.map((s) => ({ domain: s.seed.domain, similarity: round(s.similarity), shared: sharedFeatures(features, row.embedding, s.vector) })),
      account: toAccount(row),
    })),
    unknownSeeds,
    search,
  };
}
