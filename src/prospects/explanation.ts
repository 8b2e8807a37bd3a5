import { type AccountRow, toAccount } from '../accounts/repository.ts';
import type { Account } from '../accounts/schema.ts';
import { sharedLabels, type SparseVector } from '../features/spec.ts';
import type { criteriaScore } from '../icp/criteria.ts';
import type { Contributions } from '../model/explain.ts';
import { buildReasons, formatAge, intentReasonParts, type Reason } from '../model/reasons.ts';
import type { IntentResult, IntentSignal } from '../signals/intent.ts';
import { type AccountScore, scoreAccount, type ScoringModel } from './scoring.ts';

export interface Explanation {
  reasons: Reason[];
  similarTo: { domain: string; similarity: number }[];
}

/** What explains one score, as scoreAccount computes it. */
export interface ExplanationInput {
  account: Account;
  vectors: { features: SparseVector; similarity: SparseVector };
  contributions: Contributions | null;
  similar: { index: number; similarity: number }[];
  intent: IntentResult;
  criteria: ReturnType<typeof criteriaScore> | null;
}

/** What explains a score: the account and what scoreAccount found. */
export const explanationInput = (account: Account, s: AccountScore): ExplanationInput => ({
  account,
  vectors: { features: s.features, similarity: s.similarityVector },
  contributions: s.contributions,
  similar: s.similar,
  intent: s.intentResult,
  criteria: s.criteria,
});

/**
 * An explanation as a scoring run stores it (account_scores.explanation): the page shows it as it is,
 * except that an intent reason's label ends with the age of its last signal, told when it is read
 * (`lastAt`), so "2 days ago" stays true while the run is current.
 */
export interface StoredExplanation {
  reasons: (Reason & { lastAt?: string })[];
  similarTo: { domain: string; similarity: number }[];
}

/**
 * Reasons a seller can repeat: the forest's largest contributions as evidence sentences, then what
 * the intent signals say; without a forest (cold start), what the account shares with its nearest won
 * accounts and which declared ICP criteria it meets.
 */
export function explainScore(model: ScoringModel, input: ExplanationInput, now: Date): Explanation {
  const { reasons, similarTo } = storedExplanation(model, input);
  return readExplanation({ reasons, similarTo }, now);
}

/** The explanation a scoring run stores for one account. */
export function storedExplanation(model: ScoringModel, input: ExplanationInput): StoredExplanation {
  const { artifact, features } = model;
  const { account, vectors, contributions, similar, intent, criteria } = input;
  const similarTo = similar.map((s) => ({ domain: artifact.won[s.index].domain, similarity: Math.round(s.similarity * 1e5) / 1e5 }));
  const reasons: Reason[] = contributions
    ? buildReasons({ contributions, vector: vectors.features, features, account, evidence: artifact.evidence, limit: 3 })
    : similar.slice(0, 2).map((s) => {
        const shared = sharedLabels(artifact.vocabulary, vectors.similarity, artifact.won[s.index].vector);
        const won = artifact.won[s.index].domain;
        return {
          feature: `similar:${won}`,
          label: `Like ${won}, a won account${shared.length ? ` — ${shared.join(', ')}` : ''}`,
          direction: 'positive' as const,
          weight: Math.round(s.similarity * 1e4) / 1e4,
        };
      });
  const criteriaReasons: Reason[] = (criteria?.matched ?? []).slice(0, 2).map((c) => ({
    feature: `criterion:${c.field}`,
    label: `Meets your ICP criterion — ${c.label}`,
    direction: 'positive',
    weight: c.weight,
  }));
  const intentReasons = intentReasonParts(intent).map(({ reason, lastOccurredAt }) => ({
    ...reason,
    lastAt: lastOccurredAt.toISOString(),
  }));
  return { reasons: [...reasons, ...criteriaReasons, ...intentReasons], similarTo };
}

/** A stored explanation as shown at `now`. */
export function readExplanation(stored: StoredExplanation, now: Date): Explanation {
  return {
    reasons: stored.reasons.map(({ lastAt, ...reason }) =>
      lastAt === undefined ? reason : { ...reason, label: `${reason.label}${formatAge(new Date(lastAt), now)}` },
    ),
    similarTo: stored.similarTo,
  };
}

/**
 * The explanations of a page's rows. A run stores each explanation when it scores the account
 * (storedExplanation), so a page only dates the intent reasons; a row stored without one (runs scored
 * before sql/011) is scored again here with the run's model (`signalsFor`: recent signals by account
 * id) and explained as scoring would have.
 */
export async function pageExplanations(
  model: ScoringModel,
  rows: (AccountRow & { intent: number; explanation: StoredExplanation | null })[],
  now: Date,
  signalsFor: (accountIds: string[]) => Promise<Map<string, IntentSignal[]>>,
): Promise<Explanation[]> {
  const signals = await signalsFor(rows.filter((r) => r.explanation === null && r.intent > 0).map((r) => r.id));
  return rows.map((r) => {
    if (r.explanation) return readExplanation(r.explanation, now);
    const account = toAccount(r);
    return explainScore(model, explanationInput(account, scoreAccount(model, account, r.id, signals.get(r.id) ?? [], now)), now);
  });
}
