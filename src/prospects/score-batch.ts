/** Scoring a batch of accounts into account_scores rows: the compute-thread task of a scoring run (./score-runs.ts). */
import { accountsFromText } from '../accounts/repository.ts';
import { computeTask } from '../compute/thread.ts';
import { dataCoverageFor } from '../coverage/service.ts';
import type { ModelArtifact } from '../model/repository.ts';
import { signalsFromText } from '../signals/repository.ts';
import { explanationInput, storedExplanation, type StoredExplanation } from './explanation.ts';
import { storedProspectText } from './prospect-text.ts';
import { toProspect } from './render.ts';
import { loadedScoringModel, roundScore, scoreAccount, UnscorableAccount } from './scoring.ts';

export interface ScoreBatchInput {
  modelId: string;
  /** Sent when the compute thread lacks the model (it answers `{ missingModel: true }`). */
  artifact?: ModelArtifact;
  /** A batch of accounts as `accountBatchTexts` reads it, and their recent signals as `recentSignalsText` does. */
  accounts: string;
  signals: string;
  now: Date;
}

/** An account a scoring run left out, and why (logged, and counted on the job). */
export interface SkippedAccount {
  accountId: string;
  domain: string;
  reason: string;
}

/** One account_scores row as scoring writes it (pages read the same columns). */
export interface ScoreRow {
  account_id: string;
  score: number;
  fit: number;
  similarity: number;
  intent: number;
  criteria: number | null;
  /** Only for a row without a stored text: the text holds it (explanationOfStoredText), and a second copy made rows long enough for PostgreSQL to compress each one as it was written. */
  explanation: StoredExplanation | null;
  /** The prospect as a page shows it, with holes (./prospect-text.ts); null: rendered when read. */
  prospect: string | null;
  /** The account's content_hash as scored: a page renders an account edited since from its current values. */
  account_hash: string;
}

/**
 * The account_scores rows of a batch, as the JSON text the store statement reads: a compute-thread task
 * (SCORE_BATCH_TASK). Text in and text out, so the thread that talks to the database neither builds nor
 * clones thousands of objects per batch.
 */
export function scoreBatch(input: ScoreBatchInput): { missingModel: true } | { rows: string; skipped: SkippedAccount[] } {
  const model = loadedScoringModel(input.modelId, input.artifact);
  if (!model) return { missingModel: true };
  const signals = signalsFromText(input.signals);
  const coverage = dataCoverageFor(model);
  const forest = Boolean(model.artifact.forest);
  const rows: ScoreRow[] = [];
  const skipped: SkippedAccount[] = [];
  for (const { id, account, contentHash } of accountsFromText(input.accounts)) {
    // One account that cannot be scored is left out with its reason; the rest of the run goes on.
    try {
      const s = scoreAccount(model, account, id, signals.get(id) ?? [], input.now);
      const scores = {
        score: roundScore(s.score),
        fit: roundScore(s.fit ?? 0),
        similarity: roundScore(s.similarity),
        intent: roundScore(s.intent),
        criteria: s.criteria ? roundScore(s.criteria.score) : null,
      };
      const explanation = storedExplanation(model, explanationInput(account, s));
      const prospect = storedProspectText(toProspect(account, scores, explanation, forest, coverage), explanation.reasons);
      rows.push({ account_id: id, ...scores, explanation: prospect === null ? explanation : null, prospect, account_hash: contentHash });
    } catch (err) {
      const reason = err instanceof UnscorableAccount ? (err.details as { reason: string }).reason : `scoring failed (${String(err)})`;
      skipped.push({ accountId: id, domain: account.domain, reason });
    }
  }
  return { rows: JSON.stringify(rows), skipped };
}

/** Scoring a batch on the compute thread. */
export const SCORE_BATCH_TASK = computeTask(import.meta.url, scoreBatch);
