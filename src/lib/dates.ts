/**
 * Dates as CRM and intent exports write them: ISO dates and date-times ("2024-03-15",
 * "2024-03-15 00:00", "2024-03-15T10:22:01Z"), and day/month orders ("15/03/2024", "3/15/2024",
 * "15.03.2024 10:22") read by a `dateFormat` or, without one, when only one order makes sense.
 */
import { MIN_DATE_YEAR } from './schemas.ts';

export const DATE_FORMATS = ['DD/MM/YYYY', 'MM/DD/YYYY'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i;
const NUMERIC = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[T ,]\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm)?)?$/i;
const YEAR_MS = 366 * 24 * 3600 * 1000;

/** The instant (UTC unless the text gives an offset), or why the text is not a date. */
export function parseDate(text: string, format?: DateFormat): { ok: true; value: Date } | { ok: false; error: string } {
  const shown = JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
  let year: number;
  let month: number;
  let day: number;
  let time: [number, number, number] = [0, 0, 0];
  let offset = 'Z';
  const iso = ISO.exec(text.trim());
  const numeric = iso ? null : NUMERIC.exec(text.trim());
  if (iso) {
    [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    if (iso[4] !== undefined) time = [Number(iso[4]), Number(iso[5]), Number(iso[6] ?? 0)];
    if (iso[7] !== undefined) offset = iso[7].toUpperCase() === 'Z' ? 'Z' : iso[7].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  } else if (numeric) {
    const [first, second] = [Number(numeric[1]), Number(numeric[2])];
    year = Number(numeric[3]);
    const dayFirst = format === 'DD/MM/YYYY' || (format === undefined && first > 12);
    const monthFirst = format === 'MM/DD/YYYY' || (format === undefined && second > 12);
    if (!dayFirst && !monthFirst) {
      return { ok: false, error: `${shown} could be day/month or month/day: send dateFormat=DD/MM/YYYY or dateFormat=MM/DD/YYYY` };
    }
    [day, month] = dayFirst ? [first, second] : [second, first];
    if (numeric[4] !== undefined) {
      let hours = Number(numeric[4]);
      const meridiem = numeric[7]?.toLowerCase();
      if (meridiem === 'pm' && hours < 12) hours += 12;
      if (meridiem === 'am' && hours === 12) hours = 0;
      time = [hours, Number(numeric[5]), Number(numeric[6] ?? 0)];
    }
  } else return { ok: false, error: `${shown} is not a date (expected e.g. 2024-03-15, 2024-03-15 10:22 or 15/03/2024)` };
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || time[0] > 23 || time[1] > 59 || time[2] > 59) {
    return { ok: false, error: `${shown} is not a date that exists` };
  }
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const date = new Date(`${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(time[0])}:${pad(time[1])}:${pad(time[2])}${offset}`);
  if (year < MIN_DATE_YEAR || date.getTime() > Date.now() + YEAR_MS) {
    return { ok: false, error: `${shown} is not a date from ${MIN_DATE_YEAR} to one year from now` };
  }
  return { ok: true, value: date };
}
