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
import type { FeatureInfo, SingleValuedField, SparseVector } from '../features/spec.ts';
import type { IntentResult } from '../signals/intent.ts';
import { phraseWords, salesRegion } from '../features/vocabulary.ts';
import { topContributions, type Contributions } from './explain.ts';
import { formatMoney, formatShare } from '../lib/format.ts';

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

/** 3×, 1.4×, 0.5×. */
const formatRatio = (ratio: number) => `${ratio >= 2.95 ? Math.round(ratio) : ratio.toFixed(1).replace(/\.0$/, '')}×`;

const BAND_RANGE: Record<SizeBand, string> = { smb: 'under-500', mid_market: '500–2,000', enterprise: '2,000+' };

/** Verbs after "7 of 9 won accounts …" and "4% of the universe …" for the multi-valued blocks. */
const VERBS: Partial<Record<FeatureInfo['kind'], [plural: string, singular: string]>> = {
  technology: ['do', 'does'],
  keyword: ['are', 'is'],
  term: ['do', 'does'],
};

/** Whether the account has a value for a single-valued field: "Not in Software" is only a fact when the industry is known. */
function fieldKnown(account: Account, field: SingleValuedField): boolean {
  switch (field) {
    case 'size':
      return sizeBand(account.employees, account.revenue) !== null;
    case 'business_model':
      return account.businessModel !== null;
    case 'region':
      return salesRegion(account) !== null;
    case 'country':
      return account.country !== null;
    case 'industry':
      return account.industry !== null;
    case 'stage':
      return account.stage !== null;
  }
}

function listKnown(account: Account, kind: FeatureInfo['kind']): boolean {
  if (kind === 'technology') return account.technologies.length > 0;
  if (kind === 'keyword') return account.keywords.length > 0;
  if (kind === 'term') return !!account.description;
  return true;
}

function categoricalSentence(info: FeatureInfo, present: boolean, account: Account, evidence: ReasonEvidence): string | null {
  const label = present ? info.label : info.absentLabel;
  if (label === null) return null;
  if (!present && info.field !== null && !fieldKnown(account, info.field)) return null;
  // An empty list is no data, not "none": "Doesn't use Oracle" needs a known tech stack.
  if (!present && !listKnown(account, info.kind)) return null;
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

/**
 * A numeric reason, only when the workspace's data backs its direction: a size band whose win rate is
 * above average for a positive reason (below for a negative one), or a value above/below the median
 * won account in the direction the model moved. A value that merely equals the median is no reason.
 */
/**
 * A sentence, and whether it is context rather than a reason to call: a value close to the median won
 * account's says the account is ordinary there, so it never leads (see buildReasons).
 */
interface Sentence {
  label: string;
  context?: true;
}

function numericSentence(key: string, account: Account, positive: boolean, evidence: ReasonEvidence): Sentence | string | null {
  const median = evidence.wonMedian ?? {};
  const against = (value: number, med: number | undefined, head: string, show: (x: number) => string): Sentence | string | null => {
    if (med === undefined) return null;
    const ratio = value / med;
    // Close to the median won account: like them (positive context), never a negative reason.
    if (ratio >= 0.8 && ratio <= 1.25)
      return positive ? { label: `${head} — close to the median won account (${show(med)})`, context: true } : null;
    const side = ratio > 1 ? 'above' : 'below';
    return positive ? null : `${head} — ${side} the median won account (${show(med)})`;
  };
  switch (key) {
    case 'num:log_employees': {
      if (account.employees == null) return null;
      const head = `${count(account.employees)} employees`;
      const band = sizeBand(account.employees, null)!;
      const rate = evidence.winRateBySizeBand?.[band];
      if (rate !== undefined && evidence.overallWinRate) {
        const ratio = rate / evidence.overallWinRate;
        if (positive ? ratio >= 1.2 : ratio <= 0.8)
          return `${head} — in the ${BAND_RANGE[band]} band, where your win rate is ${formatRatio(ratio)} average`;
      }
      return against(account.employees, median.employees, head, (x) => count(Math.round(x)));
    }
    case 'num:log_revenue':
      return account.revenue == null
        ? null
        : against(account.revenue, median.revenue, `${formatMoney(account.revenue)} revenue`, formatMoney);
    case 'num:company_age': {
      if (account.foundedYear == null || median.foundedYear === undefined) return null;
      const years = Math.abs(account.foundedYear - median.foundedYear);
      if (years <= 2)
        return positive
          ? { label: `Founded in ${account.foundedYear} — like the median won account (${Math.round(median.foundedYear)})`, context: true }
          : null;
      if (positive) return null;
      return `Founded in ${account.foundedYear} — ${account.foundedYear < median.foundedYear ? 'older' : 'younger'} than the median won account (${Math.round(median.foundedYear)})`;
    }
    case 'num:log_technologies':
      return account.technologies.length === 0
        ? null
        : against(account.technologies.length, median.technologies, `${account.technologies.length} technologies detected`, (x) =>
            String(Math.round(x)),
          );
    default:
      return null;
  }
}

function sentence(
  info: FeatureInfo,
  present: boolean,
  positive: boolean,
  account: Account,
  evidence: ReasonEvidence,
): Sentence | string | null {
  switch (info.kind) {
    case 'numeric':
      return numericSentence(info.key, account, positive, evidence);
    case 'unknown':
      // "Industry unknown" explains nothing a seller can repeat: missing data is for /v1/accounts/coverage.
      return null;
    default:
      // A reason must say why the account fits (or not): "Uses Snowflake" pulling the score down is
      // only a reason when won accounts mostly lack it — the sign is the model's, the sentence the evidence.
      return categoricalSentence(info, present, account, evidence);
  }
}

/**
 * The `limit` largest contributions (either sign) that make a sentence, largest first; context (a value
 * close to the median won account's) only after every reason, when there is room left.
 * `contributions` and `vector` are indexed like `features` (see `explainFit`, `featurise`).
 */
export function buildReasons(input: {
  contributions: Contributions;
  vector: SparseVector;
  features: FeatureInfo[];
  account: Account;
  evidence: ReasonEvidence;
  limit?: number;
  /** Contributions smaller than this (probability points) are noise, not reasons. */
  minWeight?: number;
}): Reason[] {
  const { contributions, vector, features, account, evidence } = input;
  const limit = input.limit ?? 4;
  const reasons: Reason[] = [];
  const context: Reason[] = [];
  const present = new Set(vector.index);
  for (const { index, key, contribution } of phrasesForWords(contributions, features, present, vector, input.minWeight ?? 0.005)) {
    if (reasons.length >= limit) break;
    const said = sentence(features[index], present.has(index), contribution > 0, account, evidence);
    if (said === null) continue;
    const { label, context: isContext } = typeof said === 'string' ? { label: said, context: undefined } : said;
    const reason: Reason = {
      feature: key,
      label,
      direction: contribution > 0 ? 'positive' : 'negative',
      weight: round4(Math.abs(contribution)),
    };
    (isContext ? context : reasons).push(reason);
  }
  return [...reasons, ...context].slice(0, limit);
}

/**
 * The contributions of at least `minWeight`, largest first, where a phrase the account's description has
 * speaks for its own words: their contributions are added to the phrase's, so a reason reads
 * `mentions "open source"`, never `mentions "source"` beside it (or instead of it). A word in two of the
 * account's phrases goes to the one that contributed more. Runs for every account scored: one pass over the contributions.
 */
function phrasesForWords(
  contributions: Contributions,
  features: FeatureInfo[],
  present: Set<number>,
  vector: SparseVector,
  minWeight: number,
) {
  const wordsOf = phraseWordFeatures(features);
  const phrases = vector.index.filter((f) => wordsOf.has(f));
  if (phrases.length === 0) return topContributions(contributions, features, Infinity, minWeight);
  const index = contributions.index.slice();
  const value = contributions.value.slice();
  // Where each phrase's contribution is (-1: none yet), then the phrases by the size of it.
  const slot = phrases.map((f) => index.indexOf(f));
  const order = phrases
    .map((_, p) => p)
    .sort((a, b) => Math.abs(slot[b] < 0 ? 0 : value[slot[b]]) - Math.abs(slot[a] < 0 ? 0 : value[slot[a]]) || phrases[a] - phrases[b]);
  const phraseOfWord = new Map<number, number>();
  for (const p of order) for (const word of wordsOf.get(phrases[p])!) if (!phraseOfWord.has(word)) phraseOfWord.set(word, p);
  for (let at = 0; at < index.length; at++) {
    const p = present.has(index[at]) ? phraseOfWord.get(index[at]) : undefined;
    if (p === undefined) continue;
    if (slot[p] < 0) {
      // The phrase itself was on no decision path: it takes the word's place.
      index[at] = phrases[p];
      slot[p] = at;
    } else {
      value[slot[p]] += value[at];
      value[at] = 0;
    }
  }
  return topContributions({ index, value }, features, Infinity, minWeight);
}

/** Per model's features, once: each phrase feature's index with the indexes of its words' features (the words the vocabulary kept). */
const phraseWordsByFeatures = new WeakMap<FeatureInfo[], Map<number, number[]>>();

function phraseWordFeatures(features: FeatureInfo[]): Map<number, number[]> {
  let words = phraseWordsByFeatures.get(features);
  if (words) return words;
  const byKey = new Map(features.map((f, i) => [f.key, i]));
  words = new Map();
  features.forEach((f, i) => {
    const parts = f.kind === 'term' ? phraseWords(f.term!) : [];
    if (parts.length > 0)
      words!.set(
        i,
        parts.flatMap((word) => byKey.get(`term:${word}`) ?? []),
      );
  });
  phraseWordsByFeatures.set(features, words);
  return words;
}

const DAY_MS = 86_400_000;
const wholeDaysSince = (then: Date, now: Date) => Math.max(0, Math.floor((now.getTime() - then.getTime()) / DAY_MS));

/** "today", "3 days ago", "2 weeks ago", "4 months ago". */
export function formatAge(then: Date, now: Date): string {
  const days = wholeDaysSince(then, now);
  if (days === 0) return 'today';
  if (days === 1) return 'yesterday';
  if (days < 14) return `${days} days ago`;
  if (days < 60) return `${Math.round(days / 7)} weeks ago`;
  return `${Math.round(days / 30)} months ago`;
}

/** When formatAge(then, ·) may next read differently after `now` (ms since the epoch): at the next whole day since `then`. */
export function ageChangesAt(then: Date, now: Date): number {
  return then.getTime() + (wholeDaysSince(then, now) + 1) * DAY_MS;
}

/** Intent drivers as reasons: "Visited your website — 3 times, last 2 days ago". Always positive. */
export function intentReasons(intent: IntentResult, now: Date, limit = 2): Reason[] {
  return intentReasonParts(intent, limit).map(({ reason, lastOccurredAt }) => ({
    ...reason,
    label: `${reason.label}${formatAge(lastOccurredAt, now)}`,
  }));
}

/**
 * intentReasons without the age at the end of the label ("Visited your website — 3 times, last "),
 * and when that was: a stored reason tells its age when it is read.
 */
export function intentReasonParts(intent: IntentResult, limit = 2): { reason: Reason; lastOccurredAt: Date }[] {
  return intent.drivers.slice(0, limit).map((d) => {
    const times = d.count > 1 ? `${d.count} times, last ` : '';
    const topics = d.topics.length > 0 ? ` (${d.topics.slice(0, 3).join(', ')})` : '';
    return {
      reason: { feature: `intent:${d.type}`, label: `${d.label}${topics} — ${times}`, direction: 'positive', weight: round4(d.weight) },
      lastOccurredAt: d.lastOccurredAt,
    };
  });
}
