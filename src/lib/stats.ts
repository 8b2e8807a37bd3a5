// Small statistics shared by training, reports and benches.

/** The median; null for no values. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = values.slice().sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * A stored number as a number the maths can use: null for what is not a finite number (NaN and ±Infinity
 * may be stored in double precision columns, and reach JSON texts as the strings "NaN" and "Infinity").
 */
export function finiteOrNull(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}
