import type pg from 'pg';
import { ACCOUNT_COLUMNS, addAccountFilters, toAccount, type AccountListFilters, type AccountRow } from '../accounts/repository.ts';
import { normaliseDomain } from '../accounts/normalise.ts';
import { Conditions } from '../db/conditions.ts';
import { withTransaction, type Database } from '../db/pool.ts';
import { refreshVectors, storedVocabulary, vectorLiteral } from '../features/service.ts';
import { describeFeatures } from '../features/spec.ts';
import { vectorSearch } from '../features/vector-index.ts';
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
      let bestSimilarity = cosineSimilarity(v, centroids[0]);
      for (let i = 1; i < centroids.length; i++) {
        const similarity = cosineSimilarity(v, centroids[i]);
        if (similarity > bestSimilarity) {
          best = i;
          bestSimilarity = similarity;
        }
      }
      groups[best].push(v);
    }
    centroids = groups.map((g, i) => (g.length === 0 ? centroids[i] : g[0].map((_, d) => mean(g.map((v) => v[d])))));
  }
  return centroids;
}

interface Seed {
  id: string;
  domain: string;
}

/** A vector by its non-zero entries (0-based indexes, ascending), as pgvector's sparsevec text gives it. */
export interface SparseVector {
  dim: number;
  index: number[];
  value: number[];
}

/** pgvector's sparsevec text, `{1:0.5,7:1}/236` (1-based indexes). */
export function parseSparseVector(text: string): SparseVector {
  const close = text.indexOf('}');
  const index: number[] = [];
  const value: number[] = [];
  if (close > 1) {
    for (const entry of text.slice(1, close).split(',')) {
      const colon = entry.indexOf(':');
      index.push(Number(entry.slice(0, colon)) - 1);
      value.push(Number(entry.slice(colon + 1)));
    }
  }
  return { dim: Number(text.slice(close + 2)), index, value };
}

export function denseVector(v: SparseVector): number[] {
  const dense = new Array<number>(v.dim).fill(0);
  v.index.forEach((i, k) => (dense[i] = v.value[k]));
  return dense;
}

/**
 * Candidates ranked by their mean similarity to their NEAREST_SEEDS most similar seeds, best first
 * (ties by id), the best `limit`. Candidate vectors are mostly zeros (≈ 20 of 236 dimensions), so
 * each similarity runs over the candidate's non-zero entries only, in index order: the same sums,
 * term for term, as cosineSimilarity over the dense vectors.
 */
export function rankCandidates(candidates: Map<string, SparseVector>, seeds: Seed[], seedVectors: number[][], limit: number) {
  const dim = seedVectors[0]?.length ?? 0;
  const flat = new Float64Array(seedVectors.length * dim);
  const seedNorms = seedVectors.map((v, s) => {
    if (v.length !== dim) throw new Error('vectors differ in length');
    flat.set(v, s * dim);
    return v.reduce((sum, x) => sum + x * x, 0);
  });
  const ranked = [...candidates].map(([id, vector]) => {
    if (vector.dim !== dim) throw new Error('vectors differ in length');
    const { index, value } = vector;
    let norm = 0;
    for (let k = 0; k < value.length; k++) norm += value[k] * value[k];
    // The NEAREST_SEEDS highest similarities, ties in seed order (as a stable sort would leave them).
    const sims: { seed: Seed; vector: number[]; similarity: number }[] = [];
    for (let s = 0; s < seedVectors.length; s++) {
      let dot = 0;
      const base = s * dim;
      for (let k = 0; k < index.length; k++) dot += value[k] * flat[base + index[k]];
      const similarity = norm === 0 || seedNorms[s] === 0 ? 0 : dot / Math.sqrt(norm * seedNorms[s]);
      if (sims.length === NEAREST_SEEDS && similarity <= sims[NEAREST_SEEDS - 1].similarity) continue;
      let at = sims.length;
      while (at > 0 && sims[at - 1].similarity < similarity) at--;
      sims.splice(at, 0, { seed: seeds[s], vector: seedVectors[s], similarity });
      if (sims.length > NEAREST_SEEDS) sims.pop();
    }
    return { id, vector, sims, similarity: mean(sims.map((x) => x.similarity)) };
  });
  return ranked.sort((a, b) => b.similarity - a.similarity || Number(a.id) - Number(b.id)).slice(0, limit);
}

/**
 * Accounts most similar to the seeds, no model needed: pgvector k-NN around the seeds (or their
 * centroids), merged and re-ranked by exact similarity to the nearest seeds. Seeds, and unless asked
 * accounts already in the CRM, are left out; exclusion rules and filters apply in the query.
 */
export async function findLookalikes(db: Database, workspaceId: string, request: LookalikeRequest) {
  const pool = db.pool;
  const domains = [...new Set(request.seedDomains.map((d) => normaliseDomain(d) ?? d.trim().toLowerCase()))];
  // Vectors travel as JSON text: on PGlite that is several times cheaper than rows of pgvector values.
  const seedRows = async () => {
    const { rows } = await pool.query<{ seeds: string | null }>(
      `SELECT json_agg(json_build_array(a.id::text, a.domain, v.embedding::text) ORDER BY a.domain)::text AS seeds
       FROM accounts a LEFT JOIN account_vectors v ON v.account_id = a.id
       WHERE a.workspace_id = $1 AND a.domain = ANY($2::text[])`,
      [workspaceId, domains],
    );
    return (JSON.parse(rows[0]?.seeds ?? '[]') as [string, string, string | null][]).map(([id, domain, embedding]) => ({
      id,
      domain,
      embedding: embedding === null ? null : (JSON.parse(embedding) as number[]),
    }));
  };
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
  const search = await vectorSearch(db);

  const seedVectors = seeds.map((s) => s.embedding!);
  const queries = groupSeeds(seedVectors, MAX_QUERIES);
  const perQuery = Math.min(1000, request.limit * 2 + seeds.length);
  const c = new Conditions().add(workspaceId, (p) => `v.workspace_id = ${p}`).add(seeds.map((s) => s.id), (p) => `a.id <> ALL(${p}::bigint[])`);
  c.where.push(`NOT ${EXCLUDED_SQL}`);
  if (!request.includeCustomers) c.where.push(NOT_IN_CRM_SQL);
  addAccountFilters(c, request.filters);
  const vectorAt = c.params.length; // the query vector's slot: each k-NN query fills it with its own vector
  const vectorParam = c.param(null);
  const limitParam = c.param(perQuery);
  // Candidate id → vector. Only ids and (sparse) vectors come back from the k-NN queries; account
  // fields are read for the accounts returned, after ranking.
  const candidates = new Map<string, SparseVector>();
  const chosen = await withTransaction(pool, async (client) => {
    // With HNSW, keep scanning the graph until enough rows pass the filters (pgvector ≥ 0.8).
    if (search === 'hnsw') {
      // And make the planner use the index at all: it estimates that well under 1 % of accounts pass the
      // eligibility and exclusion conditions, so it would rather compute every distance and sort
      // (≈ 0.5–1 s per query at 100k on PGlite, and exact, so the index was never used).
      await client.query('SET LOCAL enable_sort = off');
      await client.query('SET LOCAL hnsw.iterative_scan = relaxed_order');
      await client.query(`SET LOCAL hnsw.ef_search = ${Math.max(40, perQuery)}`);
    }
    for (const q of queries) {
      const { rows } = await client.query<{ found: string | null }>(
        `SELECT json_agg(json_build_array(k.id::text, k.embedding::sparsevec::text))::text AS found FROM (
           SELECT a.id, v.embedding FROM account_vectors v JOIN accounts a ON a.id = v.account_id ${ELIGIBILITY_JOINS}
           WHERE ${c.sql()} ORDER BY v.embedding <=> ${vectorParam}::vector LIMIT ${limitParam}) k`,
        c.params.map((value, i) => (i === vectorAt ? vectorLiteral(q) : value)),
      );
      for (const [id, embedding] of JSON.parse(rows[0]?.found ?? '[]') as [string, string][]) candidates.set(id, parseSparseVector(embedding));
    }
    const ranked = rankCandidates(candidates, seeds, seedVectors, request.limit);
    const { rows } = await client.query<{ accounts: string | null }>(
      `SELECT json_agg(k)::text AS accounts FROM (SELECT ${ACCOUNT_COLUMNS}, a.id::text AS id_text FROM accounts a WHERE a.id = ANY($1::bigint[])) k`,
      [ranked.map((r) => r.id)],
    );
    const accounts = new Map((JSON.parse(rows[0]?.accounts ?? '[]') as (AccountRow & { id_text: string })[]).map((a) => [a.id_text, { ...a, id: a.id_text }]));
    return ranked.flatMap((r) => {
      const row = accounts.get(r.id);
      return row ? [{ ...r, row }] : []; // an account deleted in between is left out
    });
  });

  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  return {
    data: chosen.map(({ row, vector, sims, similarity }) => {
      const dense = denseVector(vector);
      return {
        domain: row.domain,
        name: row.name,
        similarity: round(similarity),
        resembles: sims.map((s) => ({ domain: s.seed.domain, similarity: round(s.similarity), shared: sharedFeatures(features, dense, s.vector) })),
        account: toAccount(row),
      };
    }),
    unknownSeeds,
    search,
  };
}
