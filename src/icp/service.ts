import type { Queryable } from '../db/pool.ts';
import { DomainError } from '../lib/errors.ts';
import { formatMoney, formatShare } from '../lib/format.ts';
import { MIN_WON_FOR_MODEL } from './schema.ts';
import { attributePredicate, computeIcpAttributes, tallyWhere } from './attributes.ts';
import { maskTallies } from './repository.ts';
import { checkCriteria, criterionPredicate } from './criteria.ts';
import { getCriteria } from './repository.ts';
import { icpDrift, type ModelProfiles } from './drift.ts';
import {
  MIN_STRONG_LIFT,
  MIN_WON_SUPPORT,
  type AttributeKind,
  type IcpAttribute,
  type IcpCounts,
  type IcpProfile,
  type IcpSegment,
} from './schema.ts';
import { buildSegments, segmentCandidates } from './segments.ts';

const count = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, noun: string) => `${count(n)} ${noun}${n === 1 ? '' : 's'}`;

/** The kinds a thin profile describes the few won accounts by. */
const DESCRIPTIVE_KINDS: AttributeKind[] = ['businessModel', 'industry', 'sizeBand', 'region'];

function evidenceNote(counts: IcpCounts): string {
  if (counts.won < MIN_WON_FOR_MODEL) {
    return (
      `Evidence is thin: ${plural(counts.won, 'won account')}, and at least ${MIN_WON_FOR_MODEL} are needed before an attribute can be called strong. ` +
      'Until then, declare the ICP you believe in (PUT /v1/icp/criteria) and treat these lifts as anecdotes.'
    );
  }
  return (
    `${plural(counts.won, 'won account')} against a universe of ${count(counts.universe)}. An attribute is strong when at least ` +
    `${MIN_WON_SUPPORT} won accounts have it, its lift is at least ${MIN_STRONG_LIFT}× and it survives a false-discovery-rate ` +
    'correction over every value tested.'
  );
}

/** The sentence for a slide: the top segment with its win rate and addressable market, then other strong attributes. */
function summarise(counts: IcpCounts, attributes: IcpAttribute[], segments: IcpSegment[]): string {
  if (counts.won < MIN_WON_FOR_MODEL) {
    const typical = DESCRIPTIVE_KINDS.flatMap((kind) => {
      const best = attributes.filter((a) => a.attribute === kind).sort((a, b) => b.wonWith - a.wonWith)[0];
      return best ? [best.label] : [];
    });
    const seen = typical.length > 0 ? ` So far your wins are mostly: ${typical.join(', ')}.` : '';
    return `Only ${plural(counts.won, 'won account')} so far: too few to say what your ICP is.${seen}`;
  }
  const strong = attributes.filter((a) => a.strength === 'strong');
  if (strong.length === 0) return `No attribute clearly over-indexes among your ${count(counts.won)} won accounts yet.`;
  const top = segments[0];
  if (!top)
    return `Your won accounts over-index on ${strong
      .slice(0, 5)
      .map((a) => a.label)
      .join(', ')}.`;

  const inTop = (a: IcpAttribute) => top.values.some((v) => v.attribute === a.attribute && v.value === a.value);
  const others = strong.filter((a) => !inTop(a)).slice(0, 4);
  const winRate =
    top.winRateLift !== null && top.winRate !== null && counts.winRate !== null
      ? `win rate ${top.winRateLift.toFixed(1)}× average (${formatShare(top.winRate)} vs ${formatShare(counts.winRate)})`
      : `${plural(top.won, 'won account')}`;
  const deal = top.averageDealValue !== null ? `, average deal ${formatMoney(top.averageDealValue)}` : '';
  const also = others.length > 0 ? ` Won accounts also over-index on: ${others.map((a) => a.label).join(', ')}.` : '';
  return `${top.label}: ${winRate}${deal}; ${count(top.untouched)} untouched accounts match.${also}`;
}

/**
 * The ICP the workspace's outcomes imply: attribute lift, top segments, declared criteria checked
 * against the data, drift since the previous model, and a summary. Three scans of the universe in
 * SQL (totals, attribute counts, segment and criteria masks) whatever its size.
 */
export async function icpProfile(db: Queryable, workspaceId: string, profiles: ModelProfiles): Promise<IcpProfile> {
  const { counts, attributes } = await computeIcpAttributes(db, workspaceId);
  if (counts.won + counts.lost + counts.churned + counts.open + counts.competitorCustomer === 0) {
    throw new DomainError(
      'invalid',
      'no_outcomes',
      'No CRM outcomes yet: the ICP is learned from them. Record won, lost and churned deals with POST /v1/outcomes.',
    );
  }
  if (counts.won === 0) {
    throw new DomainError(
      'invalid',
      'no_won_accounts',
      'No won accounts yet: the ICP is what your won accounts have in common. Record won deals with POST /v1/outcomes.',
    );
  }
  const { criteria } = await getCriteria(db, workspaceId);
  const candidates = segmentCandidates(attributes);
  // Bits 0..k-1 are the segment candidates, the rest the criteria.
  const predicates = [...candidates.map((c) => attributePredicate(c.attribute, [c.value])), ...criteria.map(criterionPredicate)];
  const groups = predicates.length > 0 ? await maskTallies(db, workspaceId, predicates) : [];
  const segments = buildSegments(candidates, groups, counts);
  const criteriaTallies = criteria.map((_, i) => tallyWhere(groups, 2 ** (candidates.length + i)));
  return {
    evidence: counts.won < MIN_WON_FOR_MODEL ? 'thin' : 'sufficient',
    evidenceNote: evidenceNote(counts),
    summary: summarise(counts, attributes, segments),
    counts,
    attributes,
    segments,
    criteria: checkCriteria(criteria, criteriaTallies, counts, attributes),
    drift: await icpDrift(db, workspaceId, profiles),
  };
}
