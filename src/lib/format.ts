// Numbers as people read them, in reasons, labels and summaries.

/** 4%, <1%, 100%. */
export function formatShare(share: number): string {
  return share > 0 && share < 0.01 ? '<1%' : `${Math.round(share * 100)}%`;
}

/** $900K, $150M, $1.2B. */
export function formatMoney(usd: number): string {
  const [divisor, unit] = usd >= 1e9 ? [1e9, 'B'] : usd >= 1e6 ? [1e6, 'M'] : usd >= 1e3 ? [1e3, 'K'] : [1, ''];
  const value = usd / divisor;
  return `$${value >= 10 || Number.isInteger(value) ? Math.round(value) : value.toFixed(1)}${unit}`;
}

/** `series_b` → "Series B", `google-analytics` → "Google Analytics". */
export function humanise(slug: string): string {
  return slug
    .split(/[_\-\s]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(' ');
}
