/**
 * Declared ICP criteria: weighted hypotheses ("fintech, 200–2,000 employees, on Snowflake") for a
 * workspace with too few won accounts to learn from. Stored per workspace, scored per account by
 * `criteriaScore` (for cold-start ranking), and checked against the data by `checkCriteria`.
 */
import { REGIONS } from '../accounts/countries.ts';
import {
  type Parsed,
  normaliseCountry,
  parseBusinessModel,
  parseEmployees,
  parseIndustry,
  parseList,
  parseRevenue,
  parseStage,
  show,
} from '../accounts/normalise.ts';
import { SIZE_BANDS, type Account } from '../accounts/schema.ts';
import type { Queryable } from '../db/pool.ts';
import { invalidValues } from '../lib/errors.ts';
import { formatMoney, formatShare } from '../lib/format.ts';
import { MIN_WON_FOR_MODEL } from './schema.ts';
import { saveCriteria } from './repository.ts';
import { attributePredicate, type Predicate } from './attributes.ts';
import { attributeLabel, KINDS, type Spellings } from './kinds.ts';
import type { Tally } from './repository.ts';
import {
  FDR,
  MIN_STRONG_LIFT,
  MIN_WON_SUPPORT,
  RANGE_FIELDS,
  type AttributeKind,
  type CriterionCheck,
  type IcpAttribute,
  type IcpCounts,
  type IcpCriteria,
  type IcpCriteriaUpdate,
  type IcpCriterion,
  type RangeField,
} from './schema.ts';
import { benjaminiHochberg, liftOf, logHypergeometricTail, round4 } from './statistics.ts';

// ---------------------------------------------------------------------------------------------
// Normalisation and storage

/** A slug that must be one of `allowed`: "North America" → north_america. */
const oneOf =
  (allowed: readonly string[], what: string) =>
  (input: string): Parsed<string | null> => {
    const slug = parseStage(input);
    if (!slug.ok || slug.value === null) return slug;
    return allowed.includes(slug.value) ? slug : { ok: false, error: `${show(input)} is not ${what} (one of ${allowed.join(', ')})` };
  };

const listItem = (input: string): Parsed<string | null> => {
  const parsed = parseList([input]);
  return parsed.ok ? { ok: true, value: parsed.value[0] ?? null } : parsed;
};

/** Each value normalised exactly as the account field it is compared with. */
const NORMALISERS: Record<AttributeKind, (input: string) => Parsed<string | null>> = {
  businessModel: parseBusinessModel,
  industry: parseIndustry,
  sizeBand: oneOf(SIZE_BANDS, 'a size band'),
  region: oneOf(REGIONS, 'a region'),
  country: (input) => {
    const code = normaliseCountry(input);
    return code ? { ok: true, value: code } : { ok: false, error: `${show(input)} is not a known country` };
  },
  stage: parseStage,
  technology: listItem,
  keyword: listItem,
};

const isRange = <C extends { field: string }>(c: C): c is Extract<C, { field: RangeField }> =>
  (RANGE_FIELDS as readonly string[]).includes(c.field);

const RANGE_PARSERS: Record<RangeField, (input: unknown) => Parsed<number | null>> = { employees: parseEmployees, revenue: parseRevenue };

/** Normalises declared criteria, or throws a 400 naming every bad value. */
export function normaliseCriteria(update: IcpCriteriaUpdate): IcpCriterion[] {
  const errors: string[] = [];
  const criteria = update.criteria.map((c, index): IcpCriterion => {
    const errorsBefore = errors.length;
    const fail = (error: string) => void errors.push(`criteria.${index}: ${error}`);
    if (isRange(c)) {
      const [min, max] = [c.min, c.max].map((bound) => {
        const parsed = RANGE_PARSERS[c.field](bound);
        if (parsed.ok) return parsed.value;
        fail(`${c.field} ${parsed.error}`);
        return null;
      });
      if (min === null && max === null && errors.length === errorsBefore) fail('give min, max or both');
      if (min !== null && max !== null && min > max) fail('min is larger than max');
      return { field: c.field, min, max, weight: c.weight };
    }
    const values = new Set<string>();
    for (const input of c.values) {
      const parsed = NORMALISERS[c.field](input);
      if (!parsed.ok) fail(parsed.error);
      else if (parsed.value === null) fail(`${c.field}: an empty value`);
      else values.add(parsed.value);
    }
    if (values.size === 0 && errors.length === errorsBefore) fail('no usable values');
    return { field: c.field, values: [...values], weight: c.weight };
  });
  if (errors.length > 0) throw invalidValues('invalid_criteria', errors);
  return criteria;
}

/** Replaces the workspace's criteria (an empty list clears them). */
export async function putCriteria(db: Queryable, workspaceId: string, update: IcpCriteriaUpdate): Promise<IcpCriteria> {
  const criteria = normaliseCriteria(update);
  return { criteria, updatedAt: (await saveCriteria(db, workspaceId, criteria)).toISOString() };
}

// ---------------------------------------------------------------------------------------------
// Matching

const RANGE_FORMATS: Record<RangeField, { value: (n: number) => string; unit: string }> = {
  employees: { value: (n) => n.toLocaleString('en-US'), unit: 'employees' },
  revenue: { value: formatMoney, unit: 'revenue' },
};

/** "Industry: Software or Fintech", "Uses Snowflake or Salesforce", "200–2,000 employees", "$50M+ revenue". */
export function criterionLabel(c: IcpCriterion, spellings: Spellings = {}): string {
  if (isRange(c)) {
    const { value, unit } = RANGE_FORMATS[c.field];
    if (c.min !== null && c.max !== null) return `${value(c.min)}–${value(c.max)} ${unit}`;
    return c.min !== null ? `${value(c.min)}+ ${unit}` : `Up to ${value(c.max ?? 0)} ${unit}`;
  }
  const values = attributeLabel(c.field, c.values, spellings);
  return c.field === 'technology' || c.field === 'keyword' ? values : `${KINDS[c.field].title}: ${values}`;
}

export function criterionPredicate(c: IcpCriterion): Predicate {
  if (isRange(c)) {
    const column = c.field === 'employees' ? 'a.employees' : 'a.revenue';
    return (bind) =>
      [c.min !== null && `${column} >= ${bind(c.min)}`, c.max !== null && `${column} <= ${bind(c.max)}`].filter(Boolean).join(' AND ');
  }
  return attributePredicate(c.field, c.values);
}

/** Whether the account meets the criterion; null when the account lacks the field. Same rule as criterionPredicate. */
function meets(account: Account, c: IcpCriterion): boolean | null {
  if (isRange(c)) {
    const x = account[c.field];
    if (x === null) return null;
    return (c.min === null || x >= c.min) && (c.max === null || x <= c.max);
  }
  const raw = KINDS[c.field].of(account);
  const values = raw === null ? [] : typeof raw === 'string' ? [raw] : raw;
  return values.length === 0 ? null : values.some((v) => c.values.includes(v));
}

export interface CriterionResult {
  field: IcpCriterion['field'];
  label: string;
  weight: number;
  /** The account lacks the field (no employee count, no technographic data): missed, but not a mismatch. */
  unknown: boolean;
}

/**
 * How well an account fits the declared criteria: score = matched weight / total weight, 0..1
 * (0 when no criteria are declared), with the criteria it met and missed, for reasons.
 */
export function criteriaScore(
  account: Account,
  criteria: IcpCriterion[],
  spellings: Spellings = {},
): { score: number; matched: CriterionResult[]; missed: CriterionResult[] } {
  const matched: CriterionResult[] = [];
  const missed: CriterionResult[] = [];
  let total = 0;
  let met = 0;
  for (const c of criteria) {
    const result = meets(account, c);
    total += c.weight;
    if (result) met += c.weight;
    (result ? matched : missed).push({ field: c.field, label: criterionLabel(c, spellings), weight: c.weight, unknown: result === null });
  }
  return { score: total > 0 ? met / total : 0, matched, missed };
}

// ---------------------------------------------------------------------------------------------
// Checking criteria against the data

const formatLift = (lift: number) => `${lift.toFixed(1)}×`;

/**
 * Each criterion's lift among won accounts and a verdict. The test is two-sided (a criterion can
 * be contradicted), Fisher's exact, Benjamini–Hochberg over the declared criteria. `tallies[i]`
 * counts the accounts meeting criterion i; `attributes` (strong ones) name what the wins
 * over-index on instead.
 */
export function checkCriteria(criteria: IcpCriterion[], tallies: Tally[], counts: IcpCounts, attributes: IcpAttribute[]): CriterionCheck[] {
  const { won, universe } = counts;
  // An industry attribute's label is its name as most accounts spell it: criteria name it so too.
  const spellings: Spellings = {
    industry: new Map(attributes.filter((a) => a.attribute === 'industry').map((a) => [a.value, a.label])),
  };
  const measured = criteria.map((criterion, i) => {
    const { won: wonWith, universe: universeWith } = tallies[i];
    const enough = won >= MIN_WON_FOR_MODEL && universeWith > 0 && Math.max(wonWith, (won * universeWith) / universe) >= MIN_WON_SUPPORT;
    const draw = { population: universe, successes: universeWith, draws: won };
    const pTwoSided = Math.min(
      1,
      2 * Math.exp(Math.min(logHypergeometricTail(draw, wonWith, 'upper'), logHypergeometricTail(draw, wonWith, 'lower'))),
    );
    return {
      criterion,
      wonWith,
      universeWith,
      enough,
      pTwoSided,
      lift: universeWith > 0 ? liftOf(wonWith, universeWith, won, universe) : null,
    };
  });
  const judged = measured.filter((m) => m.enough);
  const q = new Map(benjaminiHochberg(judged.map((m) => m.pTwoSided)).map((value, i) => [judged[i], value]));

  return measured.map((m) => {
    const label = criterionLabel(m.criterion, spellings);
    const qValue = q.get(m);
    const lift = m.lift?.lift ?? null;
    const verdict: CriterionCheck['verdict'] =
      qValue === undefined || lift === null
        ? 'not_enough_data'
        : qValue <= FDR && lift >= MIN_STRONG_LIFT
          ? 'supported'
          : qValue <= FDR && lift <= 1 / MIN_STRONG_LIFT
            ? 'contradicted'
            : 'not_supported';
    const evidence = `${m.wonWith} of ${won} won accounts (${formatShare(m.wonWith / won)}) vs ${formatShare(m.universeWith / universe)} of the universe`;
    const instead = verdict === 'supported' || verdict === 'not_enough_data' ? undefined : strongestInstead(m.criterion, attributes);
    const insteadNote = instead ? `; your wins over-index on ${instead.label} (${formatLift(instead.lift)})` : '';
    const note = {
      supported: `${label}: ${evidence}, ${formatLift(lift ?? 0)} — supported by your wins.`,
      not_supported: `${label}: ${evidence} — your wins do not clearly over-index on it${insteadNote}.`,
      contradicted: `${label}: ${evidence} — contradicted: your wins under-index on it${insteadNote}.`,
      not_enough_data: `${label}: ${evidence} — not enough data to judge yet.`,
    }[verdict];
    return {
      criterion: m.criterion,
      label,
      wonWith: m.wonWith,
      universeWith: m.universeWith,
      lift: lift === null ? null : round4(lift),
      liftInterval: m.lift ? { low: round4(m.lift.interval.low), high: round4(m.lift.interval.high) } : null,
      verdict,
      note,
    };
  });
}

/** The most significant strong attribute of the criterion's kind that it does not name (size band for ranges). */
function strongestInstead(c: IcpCriterion, attributes: IcpAttribute[]): IcpAttribute | undefined {
  const kind: AttributeKind = isRange(c) ? 'sizeBand' : c.field;
  const named = isRange(c) ? [] : c.values;
  return attributes.find((a) => a.strength === 'strong' && a.attribute === kind && !named.includes(a.value));
}
