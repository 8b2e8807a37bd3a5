/**
 * Attribute lift: which values (industry, size band, region, technology, ...) won accounts have
 * more often than the universe. Every count comes from SQL over the whole universe (one scan,
 * `unnest` for the list fields), so a million accounts never reach JavaScript.
 */
import type { Queryable } from '../db/pool.ts';
import { attributeLabel, KINDS } from './kinds.ts';
import { MIN_WON_FOR_MODEL } from './schema.ts';
import {
  FDR,
  MIN_STRONG_LIFT,
  MIN_WON_SUPPORT,
  type AttributeKind,
  type IcpAttribute,
  type IcpCounts,
  type IcpSnapshot,
} from './schema.ts';
import { attributeCounts, totalTally, type Tally } from './repository.ts';
import { benjaminiHochberg, liftOf, round4, significant3 } from './statistics.ts';

// ---------------------------------------------------------------------------------------------
// Tallies (counted in SQL by ./repository.ts)

const EMPTY_TALLY: Tally = {
  universe: 0,
  won: 0,
  lost: 0,
  churned: 0,
  open: 0,
  competitorCustomer: 0,
  untouched: 0,
  wonAmount: 0,
  wonAmountCount: 0,
};

/** A condition on account `a` in SQL; `bind` adds a query parameter and returns its placeholder. */
export type Predicate = (bind: (value: unknown) => string) => string;

/** The account has any of `values` for this attribute. */
export function attributePredicate(kind: AttributeKind, values: string[]): Predicate {
  const { sql, multi } = KINDS[kind];
  return (bind) => (multi ? `${sql} && ${bind(values)}::text[]` : `${sql} = ANY(${bind(values)}::text[])`);
}

/** The tally of accounts meeting every predicate in `mask`. */
export function tallyWhere(groups: (Tally & { mask: number })[], mask: number): Tally {
  const total = { ...EMPTY_TALLY };
  for (const g of groups) {
    if ((g.mask & mask) !== mask) continue;
    for (const key of Object.keys(total) as (keyof Tally)[]) total[key] += g[key];
  }
  return total;
}

/** Win rate, churn rate and average deal of a tally, as the API reports them. */
export function rates(t: Tally) {
  return {
    won: t.won,
    lost: t.lost,
    churned: t.churned,
    winRate: t.won + t.lost > 0 ? round4(t.won / (t.won + t.lost)) : null,
    churnRate: t.won + t.churned > 0 ? round4(t.churned / (t.won + t.churned)) : null,
    averageDealValue: t.wonAmountCount > 0 ? Math.round(t.wonAmount / t.wonAmountCount) : null,
    untouched: t.untouched,
  };
}

// ---------------------------------------------------------------------------------------------
// The analysis

/**
 * The workspace's attribute analysis: outcome counts, and lift, interval, p/q-values and strength
 * for every attribute value at least one won account has — strong first, then most significant
 * first. The training job stores it on the model (models.icp_profile), so drift between model
 * versions can be shown.
 */
export async function computeIcpAttributes(db: Queryable, workspaceId: string): Promise<IcpSnapshot> {
  const computedAt = new Date().toISOString();
  const tally = await totalTally(db, workspaceId);
  const counts: IcpCounts = { universe: tally.universe, ...rates(tally), open: tally.open, competitorCustomer: tally.competitorCustomer };
  if (tally.won === 0) return { computedAt, counts, attributes: [] };

  const rows = await attributeCounts(db, workspaceId, MIN_WON_SUPPORT);
  const { won, universe } = tally;
  const measured = rows.map((r) => ({ ...r, ...liftOf(r.won_with, r.universe_with, won, universe) }));
  // The family is every value held by at least MIN_WON_SUPPORT universe accounts: rarer ones can never
  // be strong, and filtering on the universe count alone does not bias the test (it is a fixed margin).
  const tested = measured.filter((m) => m.universe_with >= MIN_WON_SUPPORT);
  const testedIndex = new Map(tested.map((m, i) => [m, i]));
  const qValues = benjaminiHochberg(
    tested.map((m) => Math.exp(m.logP)),
    rows[0]?.tested ?? 0,
  );
  const enough = won >= MIN_WON_FOR_MODEL;

  const attributes = measured.map((m) => {
    const index = testedIndex.get(m);
    const qValue = index === undefined ? null : qValues[index];
    const strong = enough && m.won_with >= MIN_WON_SUPPORT && qValue !== null && qValue <= FDR && m.lift >= MIN_STRONG_LIFT;
    return {
      logP: m.logP,
      attribute: {
        attribute: m.attribute,
        value: m.value,
        label: attributeLabel(m.attribute, m.value, m.spelling === null ? {} : { [m.attribute]: new Map([[m.value, m.spelling]]) }),
        strength: strong ? 'strong' : m.lift > 1 ? 'weak' : 'none',
        lift: round4(m.lift),
        liftInterval: { low: round4(m.interval.low), high: round4(m.interval.high) },
        wonWith: m.won_with,
        universeWith: m.universe_with,
        wonShare: round4(m.won_with / won),
        universeShare: round4(m.universe_with / universe),
        pValue: significant3(Math.exp(m.logP)),
        qValue: qValue === null ? null : significant3(qValue),
      } satisfies IcpAttribute,
    };
  });
  const rank = { strong: 0, weak: 1, none: 2 };
  attributes.sort((a, b) => rank[a.attribute.strength] - rank[b.attribute.strength] || a.logP - b.logP);
  return { computedAt, counts, attributes: attributes.map((a) => a.attribute) };
}
