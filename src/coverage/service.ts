/**
 * Data coverage: how much of what the active model relies on an account's data has.
 *
 * Reliance per account field = the sum of the forest's feature importances (mean decrease in
 * impurity, normalised to 1 over all features) of the features that come from that field:
 *   industry:*, unknown:industry → industry        tech:*, num:log_technologies → technologies
 *   num:log_employees, employees:*, size:*, unknown:size → employees (the size band comes from employees first)
 *   num:log_revenue, revenue:* → revenue           num:company_age, founded:* → foundedYear
 *   country:*, region:*, unknown:country, unknown:region → country (the sales region is derived from the country)
 *   area:* → region    city:* → city    model:*, unknown:business_model → businessModel
 *   stage:*, unknown:stage → stage    keyword:* → keywords    term:* → description
 * A cold-start model (no forest) reads every field through its similarity space alike: each field weighs 1/12.
 *
 * An account's coverage share = Σ reliance of the fields it has / Σ reliance. The fit response's
 * confidence drops one step (high → medium → low) below COVERAGE_LOWERS (0.5) and is low below
 * COVERAGE_LOW (0.25): a score computed mostly from "unknown" says little about the account.
 */
import type pg from 'pg';
import type { Account } from '../accounts/schema.ts';
import { featureImportances } from '../model/metrics.ts';
import type { Confidence } from '../model/ranking.ts';
import { describeFeatures, type FeatureInfo } from '../features/spec.ts';
import { activeModelRef, modelArtifact, type ModelArtifact } from '../model/repository.ts';
import { round4 } from '../icp/statistics.ts';
import { countMissing } from './repository.ts';
import { COVERAGE_FIELDS, type CoverageField, type DataCoverage } from './schema.ts';

const FIELD_OF_PREFIX: Record<string, CoverageField> = {
  industry: 'industry',
  size: 'employees',
  employees: 'employees',
  revenue: 'revenue',
  founded: 'foundedYear',
  country: 'country',
  region: 'country',
  area: 'region',
  city: 'city',
  model: 'businessModel',
  stage: 'stage',
  tech: 'technologies',
  keyword: 'keywords',
  term: 'description',
};
const FIELD_OF_NUMERIC: Record<string, CoverageField> = {
  log_employees: 'employees',
  log_revenue: 'revenue',
  company_age: 'foundedYear',
  log_technologies: 'technologies',
};
const FIELD_OF_UNKNOWN: Record<string, CoverageField> = {
  size: 'employees',
  business_model: 'businessModel',
  region: 'country',
  country: 'country',
  industry: 'industry',
  stage: 'stage',
};

/** The account field a model feature key (`industry:software`, `num:log_employees`, `unknown:industry`) comes from. */
export function fieldOfFeature(key: string): CoverageField | null {
  const colon = key.indexOf(':');
  const prefix = key.slice(0, colon);
  const rest = key.slice(colon + 1);
  if (prefix === 'num') return FIELD_OF_NUMERIC[rest] ?? null;
  if (prefix === 'unknown') return FIELD_OF_UNKNOWN[rest] ?? null;
  return FIELD_OF_PREFIX[prefix] ?? null;
}

/** Whether the account has a value for the field. */
export function hasField(account: Account, field: CoverageField): boolean {
  const value = account[field];
  if (value === null || value === undefined) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'string') return value.trim() !== '';
  return true;
}

export type Reliance = Record<CoverageField, number>;

const equalReliance = (): Reliance => Object.fromEntries(COVERAGE_FIELDS.map((f) => [f, 1 / COVERAGE_FIELDS.length])) as Reliance;

/** Reliance per field from feature keys and their importances (normalised to sum 1; equal when there are none). */
export function relianceFrom(importances: { key: string; importance: number }[]): Reliance {
  const reliance = Object.fromEntries(COVERAGE_FIELDS.map((f) => [f, 0])) as Reliance;
  let total = 0;
  for (const { key, importance } of importances) {
    const field = fieldOfFeature(key);
    if (!field || !(importance > 0)) continue;
    reliance[field] += importance;
    total += importance;
  }
  if (total === 0) return equalReliance();
  for (const f of COVERAGE_FIELDS) reliance[f] /= total;
  return reliance;
}

const relianceCache = new Map<string, Reliance>();

/** The model's reliance per field, computed once per model version. */
/** What coverage needs of a model version (the scoring model has it). */
export interface RelianceModel {
  id: string;
  artifact: ModelArtifact;
  features: FeatureInfo[];
}

export function modelReliance(model: RelianceModel): Reliance {
  const cached = relianceCache.get(model.id);
  if (cached) return cached;
  const forest = model.artifact.forest;
  const reliance = forest
    ? relianceFrom(featureImportances(forest).map((importance, i) => ({ key: model.features[i]?.key ?? '', importance })))
    : equalReliance();
  if (relianceCache.size >= 16) relianceCache.delete(relianceCache.keys().next().value!);
  relianceCache.set(model.id, reliance);
  return reliance;
}

/** Coverage of one account under a reliance. */
export function coverageOf(account: Account, reliance: Reliance): DataCoverage {
  let have = 0;
  let total = 0;
  const missing: { field: CoverageField; reliance: number }[] = [];
  for (const field of COVERAGE_FIELDS) {
    const r = reliance[field];
    total += r;
    if (hasField(account, field)) have += r;
    else if (r > 0) missing.push({ field, reliance: round4(r) });
  }
  missing.sort((a, b) => b.reliance - a.reliance || COVERAGE_FIELDS.indexOf(a.field) - COVERAGE_FIELDS.indexOf(b.field));
  return { share: total > 0 ? round4(have / total) : 1, missing: missing.slice(0, 3) };
}

/** The helper prospect and fit responses call: `dataCoverageFor(model)(account)`. */
export function dataCoverageFor(model: RelianceModel): (account: Account) => DataCoverage {
  const reliance = modelReliance(model);
  return (account) => coverageOf(account, reliance);
}

/** Below this share the fit's confidence drops one step. */
export const COVERAGE_LOWERS = 0.5;
/** Below this share the fit's confidence is low. */
export const COVERAGE_LOW = 0.25;

export function confidenceWithCoverage(confidence: Confidence, coverage: Pick<DataCoverage, 'share'>): Confidence {
  if (coverage.share < COVERAGE_LOW) return 'low';
  if (coverage.share < COVERAGE_LOWERS) return confidence === 'high' ? 'medium' : 'low';
  return confidence;
}

async function loadReliance(pool: pg.Pool, modelId: string): Promise<Reliance> {
  const cached = relianceCache.get(modelId);
  if (cached) return cached;
  const artifact = await modelArtifact(pool, modelId);
  return modelReliance({ id: modelId, artifact, features: describeFeatures(artifact.vocabulary) });
}

/** GET /v1/accounts/coverage: per field, accounts missing it and the active model's reliance on it, what to enrich first on top. */
export async function accountsCoverage(pool: pg.Pool, workspaceId: string) {
  const { accounts, missing } = await countMissing(pool, workspaceId);
  const model = await activeModelRef(pool, workspaceId);
  const reliance = model ? await loadReliance(pool, model.id) : null;
  const fields = COVERAGE_FIELDS.map((field) => {
    const missingShare = accounts > 0 ? missing[field] / accounts : 0;
    const r = reliance ? reliance[field] : null;
    return {
      field,
      missing: missing[field],
      missingShare: round4(missingShare),
      reliance: r === null ? null : round4(r),
      priority: r === null ? null : round4(r * missingShare),
    };
  });
  fields.sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0) || (b.reliance ?? 0) - (a.reliance ?? 0) || b.missingShare - a.missingShare);
  return { accounts, model, fields };
}
