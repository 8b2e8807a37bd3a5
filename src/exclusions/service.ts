import { normaliseCountry, normaliseDomain, parseIndustry } from '../accounts/normalise.ts';
import { MAX_TEXT_CHARS } from '../accounts/row.ts';
import type { Queryable } from '../db/pool.ts';
import { invalidValues } from '../lib/errors.ts';
import { saveExclusions } from './repository.ts';
import type { ExclusionRules } from './schema.ts';

/** Replaces the workspace's rules; values are normalised the way account fields are, so they match. */
export async function putExclusions(db: Queryable, workspaceId: string, input: ExclusionRules): Promise<ExclusionRules> {
  const errors: string[] = [];
  // Every value is kept or refused, never dropped: a rule the client sent and we ignored would let excluded accounts through.
  const industries = input.industries.map((value, index) => {
    const parsed = parseIndustry(value);
    if (!parsed.ok) return void errors.push(`industries: item ${index + 1} ${parsed.error}`);
    if (parsed.value === null) return void errors.push(`industries: item ${index + 1} is empty`);
    if (parsed.value.length > MAX_TEXT_CHARS) {
      return void errors.push(
        `industries: item ${index + 1} is ${parsed.value.length} characters long; at most ${MAX_TEXT_CHARS} are accepted`,
      );
    }
    return parsed.value;
  });
  const countries = input.countries.map((c) => normaliseCountry(c) ?? void errors.push(`countries: "${c}" is not a country`));
  const domains = input.domains.map((d) => normaliseDomain(d) ?? void errors.push(`domains: "${d}" is not a domain`));
  if (input.minEmployees !== null && input.maxEmployees !== null && input.minEmployees > input.maxEmployees) {
    errors.push('minEmployees is larger than maxEmployees');
  }
  if (errors.length > 0) throw invalidValues('invalid_exclusions', errors);
  const rules: ExclusionRules = {
    industries: [...new Set(industries as string[])],
    countries: [...new Set(countries as string[])],
    domains: [...new Set(domains as string[])],
    minEmployees: input.minEmployees,
    maxEmployees: input.maxEmployees,
  };
  await saveExclusions(db, workspaceId, rules);
  return rules;
}
