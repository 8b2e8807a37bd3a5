import { normaliseCountry, normaliseDomain, parseIndustry } from '../accounts/normalise.ts';
import type { Queryable } from '../db/pool.ts';
import { DomainError } from '../lib/errors.ts';
import { saveExclusions } from './repository.ts';
import type { ExclusionRules } from './schema.ts';

/** Replaces the workspace's rules; values are normalised the way account fields are, so they match. */
export async function putExclusions(db: Queryable, workspaceId: string, input: ExclusionRules): Promise<ExclusionRules> {
  const errors: string[] = [];
  const countries = input.countries.map((c) => normaliseCountry(c) ?? void errors.push(`countries: "${c}" is not a country`));
  const domains = input.domains.map((d) => normaliseDomain(d) ?? void errors.push(`domains: "${d}" is not a domain`));
  if (input.minEmployees !== null && input.maxEmployees !== null && input.minEmployees > input.maxEmployees) {
    errors.push('minEmployees is larger than maxEmployees');
  }
  if (errors.length > 0) throw new DomainError('invalid', 'invalid_exclusions', errors.join('; '), { errors });
  const rules: ExclusionRules = {
    industries: [...new Set(input.industries.map((i) => parseIndustry(i)).flatMap((p) => (p.ok && p.value ? [p.value] : [])))],
    countries: [...new Set(countries as string[])],
    domains: [...new Set(domains as string[])],
    minEmployees: input.minEmployees,
    maxEmployees: input.maxEmployees,
  };
  await saveExclusions(db, workspaceId, rules);
  return rules;
}
