import { z } from 'zod';

/** Dates before this year are typing mistakes (`0000-01-01`, `0201-…`), not CRM history. */
export const MIN_DATE_YEAR = 1900;
const YEAR_MS = 366 * 24 * 3600 * 1000;

/** From 1900 to one year from now: a signal dated 9999 would never decay, one dated 0000 breaks date maths. */
function plausibleDate(value: string): boolean {
  const time = Date.parse(value);
  return Number(value.slice(0, 4)) >= MIN_DATE_YEAR && Number.isFinite(time) && time <= Date.now() + YEAR_MS;
}

/** A date or date-time as CRM exports write them: `2026-03-01` or `2026-03-01T10:00:00Z`. */
export const IsoDateInput = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .refine(plausibleDate, { message: `must be a date from ${MIN_DATE_YEAR}-01-01 to one year from now` })
  .meta({ description: `ISO 8601 date or date-time, from ${MIN_DATE_YEAR} to one year from now`, example: '2026-10-01' });

export const toDate = (value: string | null | undefined) => (value ? new Date(value) : null);

/** An environment variable set to the empty string counts as unset. */
export const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

/**
 * A query parameter that holds a JSON object of name → value (an import's mapping, deal stages, signal
 * types); a 400 says `notJson` when the text is not JSON, `invalid` when it is not such an object.
 */
export function jsonObjectParam<V extends z.ZodType>(value: V, messages: { notJson: string; invalid: string }) {
  return z
    .string()
    .max(20_000)
    .transform((text, ctx) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        ctx.addIssue({ code: 'custom', message: messages.notJson });
        return z.NEVER;
      }
      const record = z.record(z.string(), value).safeParse(parsed);
      if (record.success) return record.data;
      ctx.addIssue({ code: 'custom', message: messages.invalid });
      return z.NEVER;
    })
    .optional();
}
