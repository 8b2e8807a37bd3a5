/**
 * Filters on account fields, read the way imports read the fields: a country as a name or an ISO
 * code in any case ("USA", "united states", "us" → US), an industry in any case and spacing.
 */
import { z } from 'zod';
import { normaliseCountry } from './normalise.ts';

export const CountryFilter = z
  .string()
  .trim()
  .max(100)
  .transform((text, ctx) => {
    const country = normaliseCountry(text);
    if (country !== null) return country;
    ctx.addIssue({
      code: 'custom',
      message: `${JSON.stringify(text)} is not a country: send an ISO 3166-1 code (US or USA) or its English name (United States)`,
    });
    return z.NEVER;
  })
  .meta({ type: 'string', description: 'A country: ISO 3166-1 alpha-2 or alpha-3 code or English name, any case', example: 'US' });

/** Industries are stored lower-cased with single spaces (parseIndustry): so is the filter. */
export const IndustryFilter = z
  .string()
  .trim()
  .max(500)
  .transform((text) => text.toLowerCase().replace(/\s+/g, ' '))
  .meta({ type: 'string', description: 'An industry, any case', example: 'software' });
