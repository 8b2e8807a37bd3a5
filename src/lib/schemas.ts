import { z } from 'zod';

/** A date or date-time as CRM exports write them: `2026-03-01` or `2026-03-01T10:00:00Z`. */
export const IsoDateInput = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .meta({ description: 'ISO 8601 date or date-time', example: '2026-10-01' });

export const toDate = (value: string | null | undefined) => (value ? new Date(value) : null);
