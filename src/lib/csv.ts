/**
 * Where text would run as a formula when the CSV is opened (OWASP "CSV injection"): a start with
 * = + - @, a tab or a carriage return, at the cell's start or after a ";" (list items are joined
 * with ";", and a spreadsheet set to split on ";" makes each of them a cell of its own).
 */
const FORMULA_STARTS = /(^|;)(?=[=+\-@\t\r])/g;

/**
 * One CSV cell, RFC 4180: quoted when it holds a comma, quote or line break; null is empty; lists are joined with ";".
 * Every part of a text that a spreadsheet could read as a formula, the cell and each ";"-separated item, gets a
 * leading single quote (OWASP); numbers stay numbers, so -3 is written as -3.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = Array.isArray(value) ? value.join(';') : String(value);
  if (typeof value !== 'number' && typeof value !== 'bigint') text = text.replace(FORMULA_STARTS, "$1'");
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV line, ending in "\n". */
export const csvLine = (values: readonly unknown[]) => `${values.map(csvCell).join(',')}\n`;
