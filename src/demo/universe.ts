// Seeded synthetic account universe with a hidden "true" ICP, for tests, benchmarks and the demo
// workspace. Everything streams (a 1M-account universe never sits in memory) and is deterministic
// for a seed. CRM outcomes and signals are drawn from each account's hidden ICP fit, so a model
// trained on them should recover TRUE_ICP.
import { csvLine } from '../lib/csv.ts';
import { seededRandom } from '../lib/random.ts';
import type { OutcomeStatus } from '../outcomes/schema.ts';
import type { SignalType } from '../signals/schema.ts';
import { countryRegion } from '../accounts/countries.ts';
import { Account, type BusinessModel } from '../accounts/schema.ts';
import {
  AUDIENCES,
  BRAND_HEADS,
  BRAND_INFIXES,
  BRAND_LINKS,
  BRAND_TAILS,
  COMPETITORS,
  COUNTRIES,
  type Country,
  DEPARTMENTS,
  EVENTS,
  FUNDED_STAGES,
  type Industry,
  INDUSTRIES,
  INTENT_TOPICS,
  LEADERSHIP_ROLES,
  PLACE_HEADS,
  PLACE_TAILS,
  ROUND_SIZES,
  type StackContext,
  TECH_ADDONS,
  TECH_GROUPS,
  WEB_PAGES,
} from './catalog.ts';

// ---------------------------------------------------------------------------------------------
// PRNG

/** Draws for synthetic data on top of the one seeded PRNG (src/lib/random.ts: mulberry32, period 2^32, not crypto). */
export class Rng {
  /** Uniform in [0, 1). */
  readonly next: () => number;

  constructor(seed: number) {
    this.next = seededRandom(seed);
  }

  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  bernoulli(p: number): boolean {
    return this.next() < p;
  }

  /** Box–Muller; `1 - next()` keeps the logarithm away from 0. */
  normal(mean = 0, sd = 1): number {
    const radius = Math.sqrt(-2 * Math.log(1 - this.next()));
    return mean + sd * radius * Math.cos(2 * Math.PI * this.next());
  }

  /** exp(N(mu, sigma)): the median is e^mu. */
  logNormal(mu: number, sigma: number): number {
    return Math.exp(this.normal(mu, sigma));
  }

  /** Knuth's method; fine for the small means used here. */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    for (let product = this.next(); product > limit; product *= this.next()) k++;
    return k;
  }

  choice<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** One item, with probability proportional to its weight. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (let i = 0; i < entries.length; i++) total += entries[i][1];
    let target = this.next() * total;
    for (let i = 0; i < entries.length; i++) {
      target -= entries[i][1];
      if (target < 0) return entries[i][0];
    }
    return entries[entries.length - 1][0];
  }

  /** `k` distinct items (partial Fisher–Yates on a copy). */
  sample<T>(items: readonly T[], k: number): T[] {
    const pool = [...items];
    const n = Math.min(k, pool.length);
    for (let i = 0; i < n; i++) {
      const j = this.int(i, pool.length - 1);
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    return pool.slice(0, n);
  }
}

/**
 * 32-bit hash of a string (FNV-1a, then murmur3's finaliser). `hashString(label, seed)` seeds an
 * independent stream per label, e.g. one per account.
 */
export function hashString(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Accounts

/** Company ages are measured to this year, so the output never depends on the clock. */
export const REFERENCE_YEAR = 2025;

/** How often a CRM export lacks each field. Stage is also null for public bodies and charities, ~25% in all. */
const MISSING_RATES = {
  name: 0.02,
  industry: 0.06,
  employees: 0.1,
  revenue: 0.3,
  country: 0.04,
  city: 0.1,
  foundedYear: 0.15,
  businessModel: 0.1,
  stage: 0.2,
  technologies: 0.1,
  keywords: 0.12,
  description: 0.2,
};

const INDUSTRY_WEIGHTS = INDUSTRIES.map((industry) => [industry, industry.weight] as const);
const COUNTRY_WEIGHTS = COUNTRIES.map((country) => [country, country.weight] as const);

export interface GenerateAccountsOptions {
  seed: number;
  count: number;
}

export function* generateAccounts({ seed, count }: GenerateAccountsOptions): Generator<Account> {
  const rng = new Rng(hashString('accounts', seed));
  const domains = new DomainRegistry();
  for (let i = 0; i < count; i++) yield hideFields(drawCompany(rng, domains), rng);
}

function drawCompany(rng: Rng, domains: DomainRegistry): Account {
  const industry = rng.weighted(INDUSTRY_WEIGHTS);
  const country = rng.weighted(COUNTRY_WEIGHTS);
  const businessModel = rng.weighted(industry.businessModels);
  const age = Math.min(150, Math.floor(rng.logNormal(Math.log(industry.medianAge), 0.8)));
  // Older companies are bigger; the log-normal gives many small companies and a tail past 100k.
  const sizeMu = Math.log(industry.medianEmployees) + 0.5 * (Math.log(age + 1) - Math.log(industry.medianAge + 1));
  const employees = Math.min(400_000, Math.max(1, Math.round(rng.logNormal(sizeMu, 1.6))));
  const revenue = roundSignificant(
    Math.max(10_000, employees * industry.revenuePerEmployee * country.incomeFactor * rng.logNormal(0, 0.5)),
  );
  const { brand, name, domain } = drawIdentity(rng, industry, country, businessModel, domains);
  const city = rng.choice(country.cities);
  const offering = rng.choice(industry.offerings);
  const audience = rng.choice(AUDIENCES[businessModel]);
  const description = rng.bernoulli(0.25)
    ? `Based in ${city}, ${brand} ${offering} for ${audience}.`
    : `${brand} ${offering} for ${audience}.`;
  return {
    domain,
    name,
    industry: industry.id,
    employees,
    revenue,
    country: country.code,
    region: countryRegion(country.code),
    city,
    foundedYear: REFERENCE_YEAR - age,
    businessModel,
    stage: drawStage(rng, industry, businessModel, employees, age),
    technologies: drawTechnologies(rng, new Stack(industry, businessModel, employees, country)),
    keywords: rng.sample(industry.keywords, rng.int(2, 5)).sort(),
    description,
  };
}

interface Identity {
  /** Name without legal form, for the description. */
  brand: string;
  name: string;
  domain: string;
  stem: string;
  tld: string;
}

/**
 * Which domains are taken, kept as 30-bit hashes (small integers: ~20 MB at 1M accounts, not the strings).
 * A hash clash can only make a free domain look taken, never let a taken one through: domains stay unique.
 */
class DomainRegistry {
  private readonly taken = new Set<number>();

  claim(domain: string): boolean {
    const key = hashString(domain) >>> 2;
    if (this.taken.has(key)) return false;
    this.taken.add(key);
    return true;
  }
}

/** A taken domain means a namesake: draw other names, and only as a last resort number the domain ("veltora2.com"). */
function drawIdentity(rng: Rng, industry: Industry, country: Country, businessModel: BusinessModel, domains: DomainRegistry): Identity {
  let identity = drawName(rng, industry, country, businessModel);
  for (let retry = 0; retry < 8; retry++) {
    if (domains.claim(identity.domain)) return identity;
    identity = drawName(rng, industry, country, businessModel);
  }
  for (let n = 1; ; n++) {
    const domain = n === 1 ? identity.domain : `${identity.stem}${n}.${identity.tld}`;
    if (domains.claim(domain)) return { ...identity, domain };
  }
}

function drawName(rng: Rng, industry: Industry, country: Country, businessModel: BusinessModel): Identity {
  const publicBody = businessModel === 'government' || businessModel === 'nonprofit';
  // Councils and charities are named after (invented) places: "Northfield Council".
  const root =
    publicBody || rng.bernoulli(0.35)
      ? rng.choice(PLACE_HEADS) + rng.choice(PLACE_TAILS)
      : rng.choice(BRAND_HEADS) + rng.choice(BRAND_INFIXES) + rng.choice(BRAND_LINKS) + rng.choice(BRAND_TAILS);
  const word = publicBody || rng.bernoulli(0.45) ? rng.choice(industry.nameWords) : null;
  const brand = capitalise(root) + (word ? ` ${word}` : '');
  const name = rng.bernoulli(0.15) ? `${brand} ${rng.choice(country.legalForms)}` : brand;
  const stem = word && (publicBody || rng.bernoulli(0.5)) ? root + word.toLowerCase() : root;
  const tld = drawTld(rng, industry, country, businessModel);
  return { brand, name, domain: `${stem}.${tld}`, stem, tld };
}

function drawTld(rng: Rng, industry: Industry, country: Country, businessModel: BusinessModel): string {
  if (businessModel === 'government') return country.govTld ?? country.tld;
  if (businessModel === 'nonprofit' && rng.bernoulli(0.6)) return 'org';
  if (rng.bernoulli(country.localTldShare)) return country.tld;
  if (rng.bernoulli(0.2 * industry.techy)) return rng.bernoulli(0.7) ? 'io' : 'ai';
  return 'com';
}

/** Public when large and established, venture stages for young companies in venture-funded industries. */
function drawStage(rng: Rng, industry: Industry, businessModel: BusinessModel, employees: number, age: number): string | null {
  if (businessModel === 'government' || businessModel === 'nonprofit') return null;
  const publicChance = sigmoid(1.5 * (Math.log(employees) - Math.log(4000))) * (age >= 6 ? 1 : 0.2);
  if (rng.bernoulli(publicChance)) return 'public';
  if (!rng.bernoulli(industry.venture * (age <= 15 ? 1 : 0.25))) return 'private';
  const size = Math.log(employees) + rng.normal(0, 0.4);
  if (size < Math.log(15)) return 'seed';
  if (size < Math.log(60)) return 'series_a';
  if (size < Math.log(250)) return 'series_b';
  if (size < Math.log(800)) return 'series_c';
  return 'growth';
}

/** The stack being drawn, as the catalog's rules see it. A class, not an object literal, so no closure per account. */
class Stack implements StackContext {
  readonly techs = new Set<string>();
  readonly scale: number;
  readonly intensity: number;

  constructor(
    readonly industry: Industry,
    readonly businessModel: BusinessModel,
    readonly employees: number,
    readonly country: Country,
  ) {
    this.scale = Math.min(1.5, Math.max(0.4, 0.45 + 0.09 * Math.log(employees)));
    this.intensity = industry.digital * this.scale;
  }

  has(tech: string): boolean {
    return this.techs.has(tech);
  }
}

function drawTechnologies(rng: Rng, stack: Stack): string[] {
  for (const group of TECH_GROUPS) {
    if (!rng.bernoulli(group.presence(stack))) continue;
    const options = group.options(stack);
    const first = rng.weighted(options);
    stack.techs.add(first);
    if (rng.bernoulli(group.secondChance)) stack.techs.add(rng.weighted(options.filter(([tech]) => tech !== first)));
  }
  for (const addOn of TECH_ADDONS) if (rng.bernoulli(addOn.chance(stack))) stack.techs.add(addOn.tech);
  return [...stack.techs].sort();
}

/** Blank fields at CRM-export rates. Runs after drawing so the company behind the gaps stays realistic. */
function hideFields(account: Account, rng: Rng): Account {
  const noCountry = isMissing(rng, 'country');
  return {
    domain: account.domain,
    name: isMissing(rng, 'name') ? null : account.name,
    industry: isMissing(rng, 'industry') ? null : account.industry,
    employees: isMissing(rng, 'employees') ? null : account.employees,
    revenue: isMissing(rng, 'revenue') ? null : account.revenue,
    country: noCountry ? null : account.country,
    region: noCountry ? null : account.region,
    city: noCountry || isMissing(rng, 'city') ? null : account.city,
    foundedYear: isMissing(rng, 'foundedYear') ? null : account.foundedYear,
    businessModel: isMissing(rng, 'businessModel') ? null : account.businessModel,
    stage: isMissing(rng, 'stage') ? null : account.stage,
    technologies: isMissing(rng, 'technologies') ? [] : account.technologies,
    keywords: isMissing(rng, 'keywords') ? [] : account.keywords,
    description: isMissing(rng, 'description') ? null : account.description,
  };
}

function isMissing(rng: Rng, field: keyof typeof MISSING_RATES): boolean {
  return rng.bernoulli(MISSING_RATES[field]);
}

// ---------------------------------------------------------------------------------------------
// The hidden ICP

/** The attributes the synthetic CRM outcomes are drawn from; an ICP profile should recover them. */
export const TRUE_ICP = {
  industries: ['software', 'fintech'],
  businessModels: ['b2b'],
  employees: { min: 200, max: 2000 },
  countries: ['US', 'CA', 'GB', 'DE'],
  regions: ['north_america'],
  technologies: ['snowflake', 'salesforce'],
} as const;

// Near misses earn partial credit, so fit is graded rather than a hard rule.
const ADJACENT = {
  industries: ['cybersecurity', 'financial_services', 'marketing_advertising'],
  businessModels: ['b2b2c', 'marketplace'],
  places: ['europe'],
  technologies: ['hubspot', 'bigquery', 'databricks', 'dbt'],
};
const IDEAL_PLACES = [...TRUE_ICP.countries, ...TRUE_ICP.regions];
const NEAR_MISS = 0.35;
/** Credit for an unknown attribute: roughly its base rate, so gaps neither help nor sink an account. */
const UNKNOWN = 0.25;

// Logistic weights: a full fit scores ~0.9 before rescaling, one attribute missing ~0.5, two ~0.15.
const ICP_WEIGHTS = { industry: 2.2, businessModel: 1.6, size: 2.0, geography: 1.8, technology: 2.0 };
const ICP_BIAS = -7.4;
const ICP_FLOOR = sigmoid(ICP_BIAS);
const ICP_CEILING = sigmoid(ICP_BIAS + Object.values(ICP_WEIGHTS).reduce((a, b) => a + b, 0));

/** Hidden fit in [0, 1]: a soft (logistic) blend of how well each attribute matches TRUE_ICP. */
export function trueIcpScore(account: Account): number {
  const fit = {
    industry: grade([account.industry], TRUE_ICP.industries, ADJACENT.industries),
    businessModel: grade([account.businessModel], TRUE_ICP.businessModels, ADJACENT.businessModels),
    size: account.employees === null ? UNKNOWN : sizeFit(account.employees),
    geography: grade([account.country, account.region], IDEAL_PLACES, ADJACENT.places),
    technology: grade(account.technologies, TRUE_ICP.technologies, ADJACENT.technologies),
  };
  let z = ICP_BIAS;
  for (const key of Object.keys(ICP_WEIGHTS) as (keyof typeof ICP_WEIGHTS)[]) z += ICP_WEIGHTS[key] * fit[key];
  return (sigmoid(z) - ICP_FLOOR) / (ICP_CEILING - ICP_FLOOR);
}

/** 1 if any value is ideal, NEAR_MISS if one is adjacent, UNKNOWN if none is known, else 0. */
function grade(values: readonly (string | null)[], ideal: readonly string[], adjacent: readonly string[]): number {
  let known = false;
  let near = false;
  for (const value of values) {
    if (value === null) continue;
    if (ideal.includes(value)) return 1;
    known = true;
    near ||= adjacent.includes(value);
  }
  return near ? NEAR_MISS : known ? 0 : UNKNOWN;
}

/** 1 inside the employee band, decaying smoothly (in log employees) outside it. */
function sizeFit(employees: number): number {
  const { min, max } = TRUE_ICP.employees;
  const x = Math.log(Math.max(1, employees));
  const distance = Math.max(0, Math.log(min) - x, x - Math.log(max));
  return Math.exp(-0.5 * (distance / 0.6) ** 2);
}

function includes(list: readonly string[], value: string | null): boolean {
  return value !== null && list.includes(value);
}

// ---------------------------------------------------------------------------------------------
// CRM outcomes and signals

export interface DemoOutcome {
  domain: string;
  status: OutcomeStatus;
  amount: number | null;
  closedAt: string | null;
  churnedAt: string | null;
}

export interface DemoSignal {
  domain: string;
  type: SignalType;
  occurredAt: string;
  value: number | null;
  topic: string | null;
  source: string | null;
}

export interface CrmOptions {
  seed: number;
  /** Signals fall in the 90 days before `now`; deals close in the 3 years before it. */
  now: Date | string;
  /** Multiplies how many accounts have a CRM outcome (default 1, ~3% of the universe); < 1 for a young workspace. */
  outcomeScale?: number;
}

export interface AccountCrm {
  outcome: DemoOutcome | null;
  signals: DemoSignal[];
}

const DAY_MS = 86_400_000;
const SIGNAL_WINDOW_DAYS = 90;
const DEAL_WINDOW_DAYS = 3 * 365;

/**
 * One account's outcome and signals. The random stream is derived from the seed and the domain, so the
 * result does not depend on which other accounts are generated or in what order.
 */
export function crmForAccount(account: Account, options: CrmOptions): AccountCrm {
  const rng = new Rng(hashString(`crm:${account.domain}`, options.seed));
  const now = new Date(options.now).getTime();
  const fit = trueIcpScore(account);
  const outcome = drawOutcome(rng, account, fit, now, options.outcomeScale ?? 1);
  return { outcome, signals: drawSignals(rng, account, fit, outcome?.status ?? null, now) };
}

/** Sales works ICP-like accounts more and wins them far more often; poorly fitting customers churn. */
function drawOutcome(rng: Rng, account: Account, fit: number, now: number, scale: number): DemoOutcome | null {
  if (!rng.bernoulli(scale * (0.008 + 0.35 * fit))) return null;
  const { domain } = account;
  const amount = dealValue(rng, account);
  if (rng.bernoulli(0.12)) return { domain, status: 'open', amount, closedAt: null, churnedAt: null };
  if (rng.bernoulli(0.07 + 0.85 * fit * fit)) {
    if (rng.bernoulli(0.08 + 0.4 * (1 - fit) ** 2)) {
      // Churn comes at least six months after the close, and before now.
      const closed = now - rng.uniform(210, DEAL_WINDOW_DAYS) * DAY_MS;
      const churned = closed + rng.uniform(180, Math.min(900, (now - closed) / DAY_MS - 1)) * DAY_MS;
      return { domain, status: 'churned', amount, closedAt: iso(closed), churnedAt: iso(churned) };
    }
    return { domain, status: 'won', amount, closedAt: iso(now - rng.uniform(7, DEAL_WINDOW_DAYS) * DAY_MS), churnedAt: null };
  }
  // Some lost deals are known to have gone to a competitor: a weaker positive.
  if (rng.bernoulli(0.12)) return { domain, status: 'competitor_customer', amount: null, closedAt: null, churnedAt: null };
  return { domain, status: 'lost', amount, closedAt: iso(now - rng.uniform(7, DEAL_WINDOW_DAYS) * DAY_MS), churnedAt: null };
}

/** Annual deal value, USD: grows sub-linearly with company size. */
function dealValue(rng: Rng, account: Account): number {
  const employees = account.employees ?? 50;
  return Math.max(500, Math.round((12_000 * (employees / 100) ** 0.55 * rng.logNormal(0, 0.45)) / 100) * 100);
}

function drawSignals(rng: Rng, account: Account, fit: number, status: OutcomeStatus | null, now: number): DemoSignal[] {
  const dealBoost = status === 'open' ? 0.3 : status === 'won' ? 0.15 : 0;
  if (!rng.bernoulli(Math.min(0.9, 0.1 + 0.6 * fit + dealBoost))) return [];
  const employees = account.employees ?? 50;
  const funded = includes(FUNDED_STAGES, account.stage);
  const weights: [SignalType, number][] = [
    ['web_visit', 30 + 40 * fit],
    ['topic_surge', 15 + 25 * fit],
    ['event_attended', 10 + 10 * fit],
    ['event_sponsored', employees >= 200 ? 3 : 0.5],
    ['competitor_evaluation', 3 + 15 * fit],
    ['competitor_displaced', 1 + 4 * fit],
    ['funding_round', funded ? 6 : 0],
    ['hiring_surge', funded ? 12 : 8],
    ['leadership_change', 5],
  ];
  const signals: DemoSignal[] = [];
  for (let n = 1 + rng.poisson(0.8 + 4 * fit); n > 0; n--) {
    const type = rng.weighted(weights);
    const occurredAt = iso(now - rng.uniform(0, SIGNAL_WINDOW_DAYS) * DAY_MS);
    signals.push({ domain: account.domain, type, occurredAt, ...signalDetail(rng, type, account, fit, employees) });
  }
  return signals.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
}

function signalDetail(
  rng: Rng,
  type: SignalType,
  account: Account,
  fit: number,
  employees: number,
): Pick<DemoSignal, 'value' | 'topic' | 'source'> {
  switch (type) {
    case 'web_visit': // value: pages viewed in the visit
      return { value: 1 + Math.floor(rng.logNormal(Math.log(3) + 2 * fit, 0.8)), topic: rng.choice(WEB_PAGES), source: 'website' };
    case 'topic_surge': // value: surge score
      return { value: rng.int(60, 100), topic: rng.choice(INTENT_TOPICS), source: 'intent_feed' };
    case 'event_attended':
    case 'event_sponsored':
      return { value: null, topic: rng.choice(EVENTS), source: 'events' };
    case 'competitor_evaluation':
      return { value: null, topic: rng.choice(COMPETITORS), source: 'review_site' };
    case 'competitor_displaced':
      return { value: null, topic: rng.choice(COMPETITORS), source: 'technographics' };
    case 'funding_round': {
      // Only drawn for funded stages (weight 0 otherwise); value: round size, USD.
      const stage = account.stage as (typeof FUNDED_STAGES)[number];
      return { value: roundSignificant(ROUND_SIZES[stage] * rng.logNormal(0, 0.5)), topic: stage, source: 'news' };
    }
    case 'hiring_surge': // value: open roles
      return { value: Math.max(3, Math.round(employees * rng.uniform(0.05, 0.2))), topic: rng.choice(DEPARTMENTS), source: 'job_boards' };
    case 'leadership_change':
      return { value: null, topic: rng.choice(LEADERSHIP_ROLES), source: 'news' };
  }
}

export type AccountsSource = { accounts: Iterable<Account> } | { count: number };

/** Outcome and signals for every account, in one streaming pass; accounts come from `accounts` or are generated from the seed. */
export function* generateCrm(options: CrmOptions & AccountsSource): Generator<{ account: Account } & AccountCrm> {
  const accounts = 'accounts' in options ? options.accounts : generateAccounts({ seed: options.seed, count: options.count });
  for (const account of accounts) yield { account, ...crmForAccount(account, options) };
}

export interface Universe {
  accounts: Account[];
  outcomes: DemoOutcome[];
  signals: DemoSignal[];
}

/** A whole small universe in memory (tests, demo). Use generateCrm for large ones. */
export function generateUniverse(options: CrmOptions & { count: number }): Universe {
  const universe: Universe = { accounts: [], outcomes: [], signals: [] };
  for (const { account, outcome, signals } of generateCrm(options)) {
    universe.accounts.push(account);
    if (outcome) universe.outcomes.push(outcome);
    universe.signals.push(...signals);
  }
  return universe;
}

// ---------------------------------------------------------------------------------------------
// CSV

const CSV_FIELDS = Object.keys(Account.shape) as (keyof Account)[];

/**
 * CSV in the import format: a header of Account field names, then one row per account. Each string
 * ends with "\n", so the generator can be piped as is. RFC 4180 quoting; lists joined with ";"; null → empty.
 */
export function* accountsToCsvLines(accounts: Iterable<Account>): Generator<string> {
  yield csvLine(CSV_FIELDS);
  for (const account of accounts) yield csvLine(CSV_FIELDS.map((field) => account[field]));
}

// ---------------------------------------------------------------------------------------------
// Helpers

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Two significant figures, as revenue figures appear in data vendors' exports. */
function roundSignificant(value: number): number {
  const unit = 10 ** Math.max(0, Math.floor(Math.log10(value)) - 1);
  return Math.round(value / unit) * unit;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
