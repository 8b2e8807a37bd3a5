/**
 * Postgres errors that mean "this value cannot be stored" rather than "the database failed". Their
 * text quotes internals (types, columns, constraint names), so clients get `reason` instead.
 */
const DATA_ERRORS: Record<string, string> = {
  '22001': 'a text value is longer than the database accepts',
  '22003': 'a number is outside the range the database accepts',
  '22007': 'a date is not in a format the database accepts',
  '22008': 'a date is outside the range the database accepts',
  '22021': 'a text value holds a character the database cannot store',
  '22P02': 'a value is not in the format the database expects',
  '22P05': 'a text value holds a character the database cannot store',
  '23502': 'a required value is missing',
  '23514': 'a value breaks a rule of the database',
  '54000': 'a value is larger than the database can store',
};

/** The client-safe reason a statement was refused because of the data it carried, or null for any other failure. */
export function dataErrorReason(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? (DATA_ERRORS[code] ?? null) : null;
}
