/**
 * Intent: its own sub-score, 0..1, from an account's time-stamped signals with exponential recency
 * decay. Kept out of the model features (src/features/spec.ts): won accounts were won long ago, and
 * the signals we hold about them now are not the ones they showed while buying.
 */
import { humanise } from '../lib/format.ts';
import { finiteOrNull } from '../lib/stats.ts';

/** Signals older than this no longer move intent (the longest half-life is 120 days). */
export const INTENT_WINDOW_DAYS = 365;

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

export interface IntentSignal {
  type: string;
  occurredAt: Date;
  value: number | null;
  topic: string | null;
}

interface SignalRule {
  label: string;
  /** Evidence of one fresh signal of magnitude 1, before saturation. */
  weight: number;
  /** Days after which a signal counts half. */
  halfLifeDays: number;
  /** How `value` scales the signal (default: it does not). */
  magnitude?: (value: number) => number;
}

/**
 * Weights say how strongly a signal suggests buying now; half-lives how long it stays news.
 * Active buying (competitor evaluation, web visits, topic surges) fades within weeks; trigger
 * events (funding, leadership change, displacing a competitor) open a window of months.
 */
export const SIGNAL_RULES: Readonly<Record<string, SignalRule>> = {
  competitor_evaluation: { label: 'Evaluating a competitor', weight: 0.7, halfLifeDays: 30 },
  // value = number of visits: 1 → 1, 3 → 2, 15+ → 4
  web_visit: { label: 'Visited your website', weight: 0.15, halfLifeDays: 14, magnitude: (v) => clamp(Math.log2(1 + v), 0, 4) },
  // value = surge score 0–100: 50 → 1, 100 → 2
  topic_surge: { label: 'Researching your topics', weight: 0.35, halfLifeDays: 21, magnitude: (v) => clamp(v / 50, 0, 2) },
  event_attended: { label: 'Attended an event', weight: 0.3, halfLifeDays: 45 },
  event_sponsored: { label: 'Sponsored an event', weight: 0.3, halfLifeDays: 60 },
  funding_round: { label: 'Raised funding', weight: 0.5, halfLifeDays: 90 },
  hiring_surge: { label: 'Hiring fast', weight: 0.3, halfLifeDays: 60 },
  leadership_change: { label: 'New leadership', weight: 0.3, halfLifeDays: 90 },
  competitor_displaced: { label: 'Displaced a competitor', weight: 0.4, halfLifeDays: 120 },
};

/** Signal types the API accepts beyond the list above count a little. */
const UNKNOWN_SIGNAL_RULE: Omit<SignalRule, 'label'> = { weight: 0.1, halfLifeDays: 30 };

export interface IntentDriver {
  type: string;
  label: string;
  /** Decayed evidence of this signal type (before saturation); drivers are sorted by it. */
  weight: number;
  count: number;
  lastOccurredAt: Date;
  topics: string[];
}

export interface IntentResult {
  /** 1 − exp(−total evidence): one fresh competitor evaluation ≈ 0.5, several strong signals → near 1. */
  score: number;
  drivers: IntentDriver[];
}

const DAY_MS = 86_400_000;
/** Drivers below this much evidence (e.g. a visit several half-lives ago) are not worth mentioning. */
const MIN_DRIVER_WEIGHT = 0.01;

export function intentScore(signals: IntentSignal[], now: Date): IntentResult {
  const byType = new Map<string, IntentDriver>();
  let total = 0;
  for (const s of signals) {
    // Stored before values were checked, a signal may carry what no signal means: a date that is no time
    // (skipped), a value that is no finite number (read as no value) or below zero (read as zero). Each
    // signal's evidence is then finite, and so is the score.
    const time = s.occurredAt.getTime();
    if (!Number.isFinite(time)) continue;
    const rule = SIGNAL_RULES[s.type] ?? { label: humanise(s.type), ...UNKNOWN_SIGNAL_RULE };
    const ageDays = Math.max(0, (now.getTime() - time) / DAY_MS);
    const value = finiteOrNull(s.value);
    const magnitude = rule.magnitude && value !== null ? rule.magnitude(Math.max(0, value)) : 1;
    const evidence = rule.weight * magnitude * 0.5 ** (ageDays / rule.halfLifeDays);
    total += evidence;

    const driver = byType.get(s.type) ?? { type: s.type, label: rule.label, weight: 0, count: 0, lastOccurredAt: s.occurredAt, topics: [] };
    driver.weight += evidence;
    driver.count += 1;
    if (s.occurredAt > driver.lastOccurredAt) driver.lastOccurredAt = s.occurredAt;
    if (s.topic && !driver.topics.includes(s.topic)) driver.topics.push(s.topic);
    byType.set(s.type, driver);
  }
  const drivers = [...byType.values()]
    .filter((d) => d.weight >= MIN_DRIVER_WEIGHT)
    .sort((a, b) => b.weight - a.weight || a.type.localeCompare(b.type));
  return { score: 1 - Math.exp(-total), drivers };
}
