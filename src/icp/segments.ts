/**
 * Segments: combinations of 2–3 strong attributes ("B2B, Software, Uses Salesforce") with their
 * win rate, deal value, churn and addressable market. Built only from strong attributes, so the
 * search stays small (at most 12 candidates: 286 combinations) and every part of a segment
 * already stands on real evidence.
 */
import { ATTRIBUTE_KINDS, MIN_WON_SUPPORT, type AttributeKind, type IcpAttribute, type IcpCounts, type IcpSegment } from './schema.ts';
import { rates, tallyWhere } from './attributes.ts';
import type { Tally } from './repository.ts';
import { liftOf, round4, significant3 } from './statistics.ts';

const MAX_CANDIDATES = 12;
/** Keeps one kind (say, a dozen software keywords) from crowding out the others. */
const MAX_CANDIDATES_PER_KIND = 3;
const MAX_SEGMENTS = 10;

/** Kinds with one value per account cannot pair with themselves; a country and a region describe one place. */
const exclusiveGroup = (kind: AttributeKind) => (kind === 'technology' || kind === 'keyword' ? null : kind === 'country' ? 'region' : kind);

/** The strong attributes segments are built from, most significant first (`attributes` is sorted so). */
export function segmentCandidates(attributes: IcpAttribute[]): IcpAttribute[] {
  const perKind = new Map<AttributeKind, number>();
  const candidates: IcpAttribute[] = [];
  for (const a of attributes) {
    if (a.strength !== 'strong' || candidates.length === MAX_CANDIDATES) continue;
    const n = perKind.get(a.attribute) ?? 0;
    if (n === MAX_CANDIDATES_PER_KIND) continue;
    perKind.set(a.attribute, n + 1);
    candidates.push(a);
  }
  return candidates;
}

/** Index sets of 2 and 3 candidates that can co-occur. */
function combinations(candidates: IcpAttribute[]): number[][] {
  const compatible = (set: number[], j: number) => {
    const group = exclusiveGroup(candidates[j].attribute);
    return group === null || set.every((i) => exclusiveGroup(candidates[i].attribute) !== group);
  };
  const sets: number[][] = [];
  for (let i = 0; i < candidates.length; i++) {
    for (let j = i + 1; j < candidates.length; j++) {
      if (!compatible([i], j)) continue;
      sets.push([i, j]);
      for (let k = j + 1; k < candidates.length; k++) if (compatible([i, j], k)) sets.push([i, j, k]);
    }
  }
  return sets;
}

/**
 * The top segments, most significant first (one-sided Fisher test of the won accounts in the
 * segment against its universe share). Significance, unlike lift, weighs size: a segment of five
 * accounts that happen to be won does not outrank one of three hundred that won forty.
 * `groups` are mask tallies whose bit i is candidate i.
 */
export function buildSegments(candidates: IcpAttribute[], groups: (Tally & { mask: number })[], counts: IcpCounts): IcpSegment[] {
  const segments: (IcpSegment & { logP: number })[] = [];
  for (const set of combinations(candidates)) {
    const t = tallyWhere(
      groups,
      set.reduce((mask, i) => mask | (2 ** i), 0),
    );
    if (t.won < MIN_WON_SUPPORT) continue;
    const values = set
      .map((i) => candidates[i])
      .sort((a, b) => ATTRIBUTE_KINDS.indexOf(a.attribute) - ATTRIBUTE_KINDS.indexOf(b.attribute))
      .map(({ attribute, value, label }) => ({ attribute, value, label }));
    const { lift, interval, logP } = liftOf(t.won, t.universe, counts.won, counts.universe);
    const segmentRates = rates(t);
    segments.push({
      logP,
      values,
      label: values.map((v) => v.label).join(', '),
      matching: t.universe,
      ...segmentRates,
      winRateLift: segmentRates.winRate !== null && counts.winRate ? round4(segmentRates.winRate / counts.winRate) : null,
      lift: round4(lift),
      liftInterval: { low: round4(interval.low), high: round4(interval.high) },
      pValue: significant3(Math.exp(logP)),
    });
  }
  return segments
    .sort((a, b) => a.logP - b.logP)
    .slice(0, MAX_SEGMENTS)
    .map(({ logP, ...segment }) => segment);
}
