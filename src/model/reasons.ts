/**
 * Reasons a seller can repeat: the largest contributions to an account's fit, each turned into a
 * sentence with evidence from the workspace's own data, e.g.
 *   "Uses Snowflake — 7 of 9 won accounts do, 4% of the universe does"
 *   "1,200 employees — in the 500–2,000 band, where your win rate is 3× average"
 *   "Industry: Retail — 0 of 9 won accounts, 8% of the universe"
 * The evidence is computed by the caller (SQL) and passed in as a plain object.
 */
import type { Account, SizeBand } from '../accounts/schema.ts';
import { sizeBand } from '../accounts/normalise.ts';
import type { FeatureInfo, IntentResult } from '../features/spec.ts';
import { topContributions } from './explain.ts';

export interface ReasonEvidence {
  /** Won accounts in the workspace. */
  wonCount: number;
  /** Feature key (`tech:snowflake`, `industry:software`, `size:mid_market`, …) → won accounts with that value. */
  wonWith: Record<string, number>;
  /** Feature key → share of universe accounts with that value, 0..1. */
  universeShare: Record<string, number>;
  /** Win rate, won / (won + lost), per size band (as `sizeBand` defines it) and overall. */
  winRateBySizeBand?: Partial<Record<SizeBand, number>>;
  overallWinRate?: number;
  /** Medians over won accounts, for the numeric reasons. */
  wonMedian?: { employees?: number; revenue?: number; foundedYear?: number; technologies?: number };
}

export interface Reason {
  /** Feature key (`tech:snowflake`) or, for intent, `intent:<signal type>`. */
  feature: string;
  label: string;
  direction: 'positive' | 'negative';
  /** Size of the effect: |contribution to the fit probability| for fit reasons, decayed evidence for intent reasons. */
  weight: number;
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
const count = (n: number) => n.toLocaleString('en-US');

/** $900K, $150M, $1.2B. */
export function formatMoney(usd: number): string {
  const [divisor, unit] = usd >= 1e9 ? [1e9, 'B'] : usd >= 1e6 ? [1e6, 'M'] : usd >= 1e3 ? [1e3, 'K'] : [1, ''];
  const value = usd / divisor;
  return `$${value >= 10 || Number.isInteger(value) ? Math.round(value) : value.toFixed(1)}${unit}`;
}

/** 4%, <1%, 100%. */
export function formatShare(share: number): string {
  return share > 0 && share < 0.01 ? '<1%' : `${Math.round(share * 100)}%`;
}

/** 3×, 1.4×, 0.5×. */
const formatRatio = (ratio: number) => `${ratio >= 2.95 ? Math.round(ratio) : ratio.toFixed(1).replace(/\.0$/, '')}×`;

const BAND_RANGE: Record<SizeBand, string> = { smb: 'under-500', mid_market: '500–2,000', enterprise: '2,000+' };

/** Verbs after "7 of 9 won accounts …" and "4% of the universe …" for the multi-valued blocks. */
const VERBS: Partial<Record<FeatureInfo['kind'], [plural: string, singular: string]>> = {
  technology: ['do', 'does'],
  keyword: ['are', 'is'],
};

function categoricalSentence(info: FeatureInfo, present: boolean, evidence: ReasonEvidence): string | null {
  const label = present ? info.label : info.absentLabel;
  if (label === null) return null;
  const won = evidence.wonWith[info.key];
  const share = evidence.universeShare[info.key];
  const verbs = VERBS[info.kind];
  // "Outside Germany — where 6 of 9 won accounts are": the universe share would describe Germany, not this account.
  if (!present && !verbs) return won === undefined ? label : `${label} — where ${won} of ${evidence.wonCount} won accounts are`;
  const parts: string[] = [];
  if (won !== undefined) parts.push(`${won} of ${evidence.wonCount} won accounts${verbs ? ` ${verbs[0]}` : ''}`);
  if (share !== undefined) parts.push(`${formatShare(share)} of the universe${verbs ? ` ${verbs[1]}` : ''}`);
  return parts.length > 0 ? `${label} — ${parts.join(', ')}` : label;
}

function numericSentence(key: string, account: Account, evidence: ReasonEvidence): string | null {
  const median = evidence.wonMedian ?? {};
  switch (key) {
    case 'num:log_employees': {
      if (account.employees == null) return null;
      const head = `${count(account.employees)} employees`;
      const band = sizeBand(account.employees, null)!;
      const rate = evidence.winRateBySizeBand?.[band];
      if (rate !== undefined && evidence.overallWinRate) {
        return `${head} — in the ${BAND_RANGE[band]} band, where your win rate is ${formatRatio(rate / evidence.overallWinRate)} average`;
      }
      return median.employees !== undefined ? `${head} — median won account: ${count(Math.round(median.employees))}` : head;
    }
    case 'num:log_revenue': {
      if (account.revenue == null) return null;
      const head = `${formatMoney(account.revenue)} revenue`;
      return median.revenue !== undefined ? `${head} — median won account: ${formatMoney(median.revenue)}` : head;
    }
    case 'num:company_age': {
      if (account.foundedYear == null) return null;
      const head = `Founded in ${account.foundedYear}`;
      return median.foundedYear !== undefined ? `${head} — median won account: ${Math.round(median.foundedYear)}` : head;
    }
    case 'num:log_technologies': {
      if (account.technologies.length === 0) return null;
      const head = `${account.technologies.length} technologies detected`;
      return median.technologies !== undefined ? `${head} — median won account: ${Math.round(median.technologies)}` : head;
    }
    default:
      return null;
  }
}

function sentence(info: FeatureInfo, value: number, account: Account, evidence: ReasonEvidence): string | null {
  switch (info.kind) {
    case 'unused':
      return null;
    case 'numeric':
      return numericSentence(info.key, account, evidence);
    case 'missing':
      return value > 0 ? info.label : info.absentLabel;
    default:
      return categoricalSentence(info, value > 0, evidence);
  }
}

/**
 * The `limit` largest contributions (either sign) that make a sentence, largest first.
 * `contributions` and `vector` are indexed like `features` (see `explainFit`, `featurise`).
 */
export function buildReasons(input: {
  contributions: number[];
  vector: ArrayLike<number>;
  features: FeatureInfo[];
  account: Account;
  evidence: ReasonEvidence;
  limit?: number;
  /** Contributions smaller than this (probability points) are noise, not reasons. */
  minWeight?: number;
}): Reason[] {
  const { contributions, vector, features, account, evidence } = input;
  const reasons: Reason[] = [];
  for (const { index, key, contribution } of topContributions(contributions, features, Infinity, input.minWeight ?? 0.005)) {
    if (reasons.length >= (input.limit ?? 4)) break;
    const label = sentence(features[index], vector[index], account, evidence);
    if (label === null) continue;
    reasons.push({ feature: key, label, direction: contribution > 0 ? 'positive' : 'negative', weight: round4(Math.abs(contribution)) });
  }
  return reasons;
}

/** "today", "3 days ago", "2 weeks ago", "4 months ago". */
export function formatAge(then: Date, now: Date): string {
  const days = Math.max(0, Math.floor((now.getTime() - then.getTime()) / 86_400_000));
  if (days === 0) return 'today';
  if (days === 1) return 'yesterday';
  if (days < 14) return `${days} days ago`;
  if (days < 60) return `${Math.round(days / 7)} weeks ago`;
  return `${Math.round(days / 30)} months ago`;
}

/** Intent drivers as reasons: "Visited your website — 3 times, last 2 days ago". Always positive. */
export function intentReasons(intent: IntentResult, now: Date, limit = 2): Reason[] {
  return intent.drivers.slice(0, limit).map((d) => {
    const times = d.count > 1 ? `${d.count} times, last ` : '';
    const topics = d.topics.length > 0 ? ` (${d.topics.slice(0, 3).join(', ')})` : '';
    return {
      feature: `intent:${d.type}`,
      label: `${d.label}${topics} — ${times}${formatAge(d.lastOccurredAt, now)}`,
      direction: 'positive',
      weight: round4(d.weight),
    };
  });
}
