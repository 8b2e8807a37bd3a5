/**
 * Text a spreadsheet would run as a formula when the CSV is opened (OWASP "CSV injection"):
 * cells starting with = + - @, a tab or a carriage return.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell, RFC 4180: quoted when it holds a comma, quote or line break; null is empty; lists are joined with ";".
 * Text that a spreadsheet would read as a formula gets a leading single quote (OWASP); numbers stay numbers, so -3 is written as -3.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = Array.isArray(value) ? value.join(';') : String(value);
  if (typeof value !== 'number' && typeof value !== 'bigint' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV line, ending in "\n". */
export const csvLine = (values: readonly unknown[]) => `${values.map(csvCell).join(',')}\n`;
