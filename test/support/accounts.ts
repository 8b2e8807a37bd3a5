import type { Account } from '../../src/accounts/schema.ts';

/** An account with nothing known but its domain: tests add the fields they are about. */
export const EMPTY_ACCOUNT: Omit<Account, 'domain'> = {
  name: null,
  industry: null,
  employees: null,
  revenue: null,
  country: null,
  region: null,
  city: null,
  foundedYear: null,
  businessModel: null,
  stage: null,
  technologies: [],
  keywords: [],
  description: null,
};

/** An account with these fields and nothing else known. */
export const account = (fields: Partial<Account> & { domain: string }): Account => ({ ...EMPTY_ACCOUNT, ...fields });
