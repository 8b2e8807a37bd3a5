/** One CSV cell, RFC 4180: quoted when it holds a comma, quote or line break; null is empty; lists are joined with ";". */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = Array.isArray(value) ? value.join(';') : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV line, ending in "\n". */
export const csvLine = (values: readonly unknown[]) => `${values.map(csvCell).join(',')}\n`;
