import type { Account } from '../accounts/schema.ts';
import type { DataCoverage } from '../coverage/schema.ts';
import { csvLine } from '../lib/csv.ts';
import type { Explanation } from './explanation.ts';
import type { Prospect } from './schema.ts';

/** A scored account's scores, as a run stores them (rounded; fit 0 without a forest). */
export interface ProspectScores {
  score: number;
  fit: number;
  similarity: number;
  intent: number;
  criteria: number | null;
}

/**
 * A scored account as the API shows it (JSON), but for its tier (the run's cut-offs place it). `forest`:
 * whether the model has one (else fit is null: cold start).
 */
export function toProspect(
  account: Account,
  s: ProspectScores,
  explanation: Explanation,
  forest: boolean,
  coverage: (account: Prospect['account']) => DataCoverage,
): Omit<Prospect, 'tier'> {
  return {
    domain: account.domain,
    name: account.name,
    score: s.score,
    subscores: { fit: forest ? s.fit : null, similarity: s.similarity, intent: s.intent, criteria: s.criteria },
    reasons: explanation.reasons,
    similarTo: explanation.similarTo,
    account,
    dataCoverage: coverage(account),
  };
}

/** One naming style for every column: the JSON field names (camelCase). */
export const CSV_COLUMNS = [
  'rank',
  'domain',
  'name',
  'score',
  'tier',
  'fit',
  'similarity',
  'intent',
  'reason1',
  'reason2',
  'reason3',
  'moreReasons',
  'similarTo',
  'industry',
  'employees',
  'revenue',
  'country',
  'region',
  'city',
  'foundedYear',
  'businessModel',
  'stage',
  'technologies',
  'keywords',
] as const;

/** The CSV line of one prospect: reasons flattened into columns a rep can read in a spreadsheet. */
export function prospectCsvLine(p: Prospect, rank: number): string {
  const [r1, r2, r3, ...more] = p.reasons.map((r) => `${r.direction === 'negative' ? '(−) ' : ''}${r.label}`);
  const a = p.account;
  const values = [
    rank,
    p.domain,
    p.name,
    p.score,
    p.tier,
    p.subscores.fit,
    p.subscores.similarity,
    p.subscores.intent,
    r1,
    r2,
    r3,
    more.join(' | '),
    p.similarTo.map((s) => `${s.domain} (${s.similarity.toFixed(2)})`).join('; '),
    a.industry,
    a.employees,
    a.revenue,
    a.country,
    a.region,
    a.city,
    a.foundedYear,
    a.businessModel,
    a.stage,
    a.technologies,
    a.keywords,
  ];
  return csvLine(values);
}
