// The service against the best of several baselines: which baseline is best on a rule, and the margins over rules.

/** The baseline with the highest precision (the first named on a tie); null when none has a figure. */
export function bestBaseline<Name extends string>(precisions: Record<Name, number | null>): { name: Name; precision: number } | null {
  let best: { name: Name; precision: number } | null = null;
  for (const [name, precision] of Object.entries(precisions) as [Name, number | null][]) {
    if (precision !== null && Number.isFinite(precision) && (best === null || precision > best.precision)) best = { name, precision };
  }
  return best;
}

/** The mean margin (service − best baseline) over the rules that have one, and the rule with the lowest. */
export function marginSummary(
  rules: { rule: string; margin: number | null }[],
): { mean: number; worst: { rule: string; margin: number } } | null {
  const known = rules.filter((r): r is { rule: string; margin: number } => r.margin !== null && Number.isFinite(r.margin));
  if (known.length === 0) return null;
  const worst = known.reduce((w, r) => (r.margin < w.margin ? r : w));
  return { mean: known.reduce((sum, r) => sum + r.margin, 0) / known.length, worst: { rule: worst.rule, margin: worst.margin } };
}
