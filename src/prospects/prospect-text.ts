/**
 * A prospect as its scoring run stores it (account_scores.prospect, sql/019_prospect_texts.sql): the
 * JSON a page sends for it, checked against the Prospect schema once, when the account is scored, so
 * that a page joins stored texts instead of parsing, rendering, checking and serialising 100 objects.
 * What is known only later is left as holes, filled when a page is read: the tier (the run's cut-offs
 * are set when the run completes) and, at the end of each intent reason's label, the age of its last
 * signal ("… last 4 days ago"). A hole is HOLE, what it holds, HOLE: nothing for the tier, the signal's
 * time (ISO 8601) for an age. JSON.stringify never writes HOLE (U+0001) as it is, only escaped.
 */
import { ageChangesAt, formatAge } from '../model/reasons.ts';
import type { Tier } from '../model/ranking.ts';
import type { StoredExplanation } from './explanation.ts';
import { Prospect } from './schema.ts';

const HOLE = '\u0001';
/** HOLE as JSON.stringify writes it inside a string. */
const WRITTEN_HOLE = '\\u0001';

/**
 * The stored text of `prospect`, its tier left as a hole; `reasons` are its reasons as the run stores
 * them, an intent reason with the time of its last signal (its age is left as a hole). Null when the
 * account's own text holds what JSON.stringify writes for HOLE: that row is rendered when read instead.
 */
export function storedProspectText(prospect: Omit<Prospect, 'tier'>, reasons: StoredExplanation['reasons']): string | null {
  // The response schema's check, and its order of fields, as a page's serialiser applies them (any tier: a hole replaces it).
  const checked = Prospect.encode({ ...prospect, tier: 'A' });
  const ages = reasons.filter((r) => r.lastAt !== undefined).length;
  const text = JSON.stringify({
    ...checked,
    tier: `${HOLE}${HOLE}`,
    reasons: checked.reasons.map((r, i) => {
      const { lastAt } = reasons[i];
      return lastAt === undefined ? r : { ...r, label: `${r.label}${HOLE}${lastAt}${HOLE}` };
    }),
  });
  if (text.split(WRITTEN_HOLE).length - 1 !== 2 * (1 + ages)) return null;
  return text.replaceAll(WRITTEN_HOLE, HOLE);
}

/**
 * A stored prospect text as a page shows it at `now`, in `tier`, and until when it reads so (ms since the
 * epoch): when the first of its ages changes, never without one. One pass over the text: a page fills 100.
 */
export function shownProspectText(stored: string, tier: Tier, now: Date): { text: string; sameUntil: number } {
  const parts = stored.split(HOLE);
  let sameUntil = Number.POSITIVE_INFINITY;
  for (let i = 1; i < parts.length; i += 2) {
    if (parts[i] === '') {
      parts[i] = tier;
      continue;
    }
    const lastAt = new Date(parts[i]);
    sameUntil = Math.min(sameUntil, ageChangesAt(lastAt, now));
    parts[i] = formatAge(lastAt, now);
  }
  return { text: parts.join(''), sameUntil };
}

/**
 * The explanation a stored text was written from (what storedExplanation gave when the run scored the
 * account): its reasons, an intent reason with the time of its last signal, and its nearest won
 * accounts. A run keeps no other copy of it; a page reads it back for an account edited since.
 */
export function explanationOfStoredText(stored: string): StoredExplanation {
  const { reasons, similarTo } = JSON.parse(stored.replaceAll(HOLE, WRITTEN_HOLE)) as Pick<Prospect, 'reasons' | 'similarTo'>;
  return {
    reasons: reasons.map((reason) => {
      const [label, lastAt] = reason.label.split(HOLE);
      return lastAt === undefined ? reason : { ...reason, label, lastAt };
    }),
    similarTo,
  };
}
