// Ranking quality on real company data: the service's trained prospects against three scikit-learn
// baselines (random forest, histogram gradient boosting, logistic regression) and its seed lookalikes
// against a TF-IDF cosine kNN, on the same labels and candidate sets, in the same run.
//
//   npm run bench:quality                          every rule, 3 seeds (a full run: see the README)
//   npm run bench:quality -- --quick               1 seed
//   npm run bench:quality -- --seeds 2 --rules rare-category,generated-icp --verbose
//   flags: --seeds N (seeds 1..N), --rules a,b (names below), --quick (= --seeds 1), --verbose (per-seed figures)
//   env: QUALITY_DATA_DIR (default ../shared/data) when the checkout is not beside the shared data
//
// The service runs in this process (buildApp on a fresh in-memory PGlite with the in-process job queue,
// one database per rule and seed) and is driven only through its public HTTP API with app.inject:
// POST /v1/workspaces, POST /v1/accounts/import (text/csv), POST /v1/signals (generated universe only),
// POST /v1/outcomes, POST /v1/models, GET /v1/jobs/{id}, GET /v1/models/{id}, GET /v1/prospects
// (409 until the scoring run has finished: polled), POST /v1/lookalikes. The outcome-triggered retrain
// is debounced by a day (buildApp's retrainDebounceMs), so it never starts a second model mid-run.
//
// Real data, first universe: ../shared/data/crunchbase-2015-acquisitions.csv (Crunchbase data export of 2015-12-04,
// CC BY-NC 4.0; read at bench time, never copied into the repository). The universe is every distinct
// organisation, acquired or acquirer, keyed by permalink (26,665, the malformed last row's two included):
//   domain       <permalink's last segment>.example, accents dropped, lower case, anything but a-z0-9
//                 turned into "-", cut to 60 characters ("/organization/003-ru" → 003-ru.example)
//   name         company_name / acquirer_name
//   industry     the first category of the "|"-separated list (Crunchbase lists them alphabetically)
//   keywords     all the categories (";"-separated in the CSV)
//   country      the alpha-3 code as given (the service accepts alpha-3); Crunchbase's pre-2002 "ROM"
//                 becomes ROU; a value the service does not know as a country is left empty
//   region       company_region / acquirer_region (Crunchbase's city-region, e.g. "SF Bay Area")
//   city         company_city / acquirer_city
//   (state codes have no Account field; missing values stay missing, nothing is dropped)
// The file has no founding dates, head counts, revenue or descriptions: its rules are on categories and places.
//
// Real data, second universe: the Fortune 1000 (2021) list the npm package email-enricher@1.0.4 ships
// (MIT), fetched at bench time with `npm pack` into the git-ignored .bench-data/ (never committed):
// 994 companies (the package keys them by domain stem, so 6 namesakes are lost), all in the United States.
//   domain       the Website's host name without "www."; industry = sector (21); employees; revenue = the
//                 list's $M × 1,000,000; country US; region = the state code; city
//
// Generated universe (src/demo/universe.ts, 20,000 accounts per seed): founding years, head counts,
// revenue and descriptions. Rule generated-icp keeps its own CRM outcomes; the other generated rules are
// labelled like the real ones, on the fields as the CRM export has them (hidden fields never match).
//
// Rules (the hidden ICP; an account "matches" when the rule holds): see RULES below. The sales region
// of rule categories-region is countryRegion(country), as the service derives it. Rule shapes: one
// category; category + country; OR of categories + region; numeric thresholds (founding year; employees
// and revenue) with categories and countries; an OR of industries with an OR of synonymous tags; a
// negation; words of the description alone.
//
// Labelling, per rule and seed (Rng from src/demo/universe.ts): won = min(300, 30 % of the matching
// accounts), of which 5 % (rounded) are noise drawn from non-matching accounts, each with a deal amount;
// as many non-matching accounts lost. The generated universe (rule generated-icp) keeps its own CRM
// outcomes and intent signals instead, exactly as bench/engine.ts measures it (20,000 accounts per seed;
// matching = trueIcpScore ≥ 0.5), so its figure compares with P@100 ≥ 0.86.
//
// Measures:
//   trained P@k   among the top k prospects in the prospect pool (accounts with no CRM outcome), the
//                 share that match; k = min(100, matching accounts in the pool).
//   lookalike P@50  10 matching seeds from the pool, POST /v1/lookalikes {limit: 50}: the share of the
//                 50 that match (fewer than 50 returned count as misses).
//   baselines     bench/quality_baselines.py on exactly the same labels and pools (its docstring has the
//                 settings): RandomForestClassifier, HistGradientBoostingClassifier and LogisticRegression,
//                 each on one-hot attributes, description words (TF-IDF) and log employees, log revenue and
//                 founding year where the universe has them (won = 1, lost and unlabelled = 0), ranking the
//                 prospect pool by predict_proba; best = the highest P@k of the three (means over seeds),
//                 margin = service − best. TF-IDF cosine to the seeds' mean over the accounts the API's
//                 lookalikes consider (no won/lost/churned/open outcome, seeds left out), on the one-hot
//                 attributes and bucketed numbers. Attributes: industry, categories/keywords (multi-hot),
//                 country, region, city; on the generated universe also technologies, business model, stage.
//   pass          service ≥ best baseline − 0.02 trained, ≥ TF-IDF − 0.02 lookalikes (and P@100 ≥ 0.86 on
//                 generated-icp).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { FastifyInstance } from 'fastify';
import { countryRegion } from '../src/accounts/countries.ts';
import { normaliseCountry } from '../src/accounts/normalise.ts';
import { buildApp } from '../src/app.ts';
import type { JobQueue } from '../src/jobs/queue.ts';
import { migrate } from '../src/db/migrate.ts';
import { openDatabase } from '../src/db/pool.ts';
import type { Account } from '../src/accounts/schema.ts';
import {
  accountsToCsvLines,
  generateAccounts,
  generateCrm,
  Rng,
  trueIcpScore,
  type DemoOutcome,
  type DemoSignal,
} from '../src/demo/universe.ts';
import { csvLine } from '../src/lib/csv.ts';
import { bestBaseline, marginSummary } from './quality-margins.ts';
import { describeMachine, fmt, log, machineInfo, mean, parseArgs, ROOT, round, SHARED_MACHINE_NOTE, today } from './lib.ts';

// QUALITY_DATA_DIR: where the shared data is when the checkout is not next to it (a git worktree, say).
const DATA_FILE = path.resolve(process.env.QUALITY_DATA_DIR ?? path.join(ROOT, '..', 'shared', 'data'), 'crunchbase-2015-acquisitions.csv');
const FORTUNE_PACKAGE = 'email-enricher@1.0.4';
const FORTUNE_DIR = path.join(ROOT, '.bench-data', 'email-enricher-1.0.4');
const PYTHON = '/usr/bin/python3';
const BASELINES_SCRIPT = path.join(ROOT, 'bench', 'quality_baselines.py');
const RESULTS_FILE = path.join(ROOT, 'bench', 'results-quality.json');
const ADMIN_TOKEN = 'quality-bench-admin-token-0123456789';
const WON_SHARE = 0.3;
const MAX_WON = 300;
const NOISE_SHARE = 0.05;
const TOP_K = 100;
const LOOKALIKE_SEEDS = 10;
const LOOKALIKE_K = 50;
const TOLERANCE = 0.02;
const GENERATED_TARGET = 0.86;
const POLL_TIMEOUT_MS = 30 * 60_000;
// The generated universe as bench/engine.ts measures it (not imported: engine.ts pulls in engine internals
// that the engine rewrite may rename, and this bench must only need the HTTP API).
const QUALITY_ACCOUNTS = 20_000;
const ICP_THRESHOLD = 0.5;

// ---------------------------------------------------------------------------------------------
// Universes: the accounts as CSV for the service, and as attribute tokens for the baselines

interface Entity {
  domain: string;
  /** One-hot attribute values for the baselines ("kw=software", "country=GBR", ...). */
  tokens: string[];
  /** Numeric columns (employees, revenue in USD, founded year) where the universe has them. */
  numeric: (number | null)[] | null;
  description: string | null;
}

interface Universe {
  csv: string;
  entities: Entity[];
}

interface Organisation {
  domain: string;
  industry: string | null;
  categories: Set<string>;
  /** Alpha-2 as the service stores it, for the rules. */
  country: string | null;
  salesRegion: string | null;
}

const crunchbase = (() => {
  let loaded: { universe: Universe; orgs: Organisation[] } | undefined;
  return () => (loaded ??= loadCrunchbase());
})();

function loadCrunchbase() {
  const rows: Record<string, string>[] = parse(readFileSync(DATA_FILE, 'utf8'), { columns: true, skip_empty_lines: true });
  const lines = [csvLine(['domain', 'name', 'industry', 'country', 'region', 'city', 'keywords'])];
  const entities: Entity[] = [];
  const orgs: Organisation[] = [];
  const seen = new Set<string>();
  const domains = new Set<string>();
  let countriesFixed = 0;
  let countriesDropped = 0;
  for (const row of rows) {
    for (const side of ['company', 'acquirer']) {
      const permalink = row[`${side}_permalink`];
      if (seen.has(permalink)) continue;
      seen.add(permalink);
      const domain = uniqueDomain(permalink, domains);
      const categories = (row[`${side}_category_list`] ?? '')
        .split('|')
        .map((c) => c.trim())
        .filter(Boolean);
      let country: string | null = row[`${side}_country_code`]?.trim() || null;
      if (country === 'ROM') {
        country = 'ROU';
        countriesFixed++;
      }
      const alpha2 = country === null ? null : normaliseCountry(country);
      if (country !== null && alpha2 === null) {
        country = null;
        countriesDropped++;
      }
      const region = row[`${side}_region`]?.trim() || null;
      const city = row[`${side}_city`]?.trim() || null;
      const industry = categories[0] ?? null;
      lines.push(csvLine([domain, row[`${side}_name`], industry, country, region, city, categories.join(';')]));
      const lower = categories.map((c) => c.toLowerCase());
      entities.push({
        domain,
        tokens: [
          ...lower.map((c) => `kw=${c}`),
          ...(industry ? [`industry=${industry.toLowerCase()}`] : []),
          ...(country ? [`country=${country}`] : []),
          ...(region ? [`region=${region.toLowerCase()}`] : []),
          ...(city ? [`city=${city.toLowerCase()}`] : []),
        ],
        numeric: null,
        description: null,
      });
      orgs.push({
        domain,
        industry: industry?.toLowerCase() ?? null,
        categories: new Set(lower),
        country: alpha2,
        salesRegion: alpha2 && countryRegion(alpha2),
      });
    }
  }
  log(
    `Crunchbase universe: ${fmt(entities.length)} organisations (country codes fixed: ${countriesFixed}, unknown and left empty: ${countriesDropped})`,
  );
  return { universe: { csv: lines.join(''), entities }, orgs };
}

/** "/organization/Crédit-Mutuel-(X)" → "credit-mutuel-x.example", made unique with a suffix. */
function uniqueDomain(permalink: string, taken: Set<string>): string {
  const slug =
    permalink
      .slice(permalink.lastIndexOf('/') + 1)
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .slice(0, 60)
      .replace(/^-+|-+$/g, '') || 'org';
  let domain = `${slug}.example`;
  for (let n = 2; taken.has(domain); n++) domain = `${slug}-${n}.example`;
  taken.add(domain);
  return domain;
}

/** A Fortune 1000 company as the bench reads it (revenue in USD). */
interface FortuneCompany {
  domain: string;
  sector: string;
  employees: number;
  revenue: number;
  state: string;
}

const fortune = (() => {
  let loaded: { universe: Universe; companies: FortuneCompany[] } | undefined;
  return () => (loaded ??= loadFortune());
})();

/** The list email-enricher ships, packed into .bench-data/ on first use (the registry must be reachable then). */
function loadFortune() {
  const dataFile = path.join(FORTUNE_DIR, 'package', 'dist', 'data.js');
  if (!existsSync(dataFile)) {
    mkdirSync(FORTUNE_DIR, { recursive: true });
    log(`fetching ${FORTUNE_PACKAGE} into ${path.relative(ROOT, FORTUNE_DIR)}`);
    const tarball = execFileSync('npm', ['pack', FORTUNE_PACKAGE, '--silent', '--pack-destination', FORTUNE_DIR], {
      cwd: FORTUNE_DIR,
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .at(-1)!;
    execFileSync('tar', ['xzf', path.join(FORTUNE_DIR, tarball), '-C', FORTUNE_DIR]);
  }
  const listed: Record<string, Record<string, unknown>> = createRequire(import.meta.url)(dataFile).COMPANIES_BY_DOMAIN;
  const lines = [csvLine(['domain', 'name', 'industry', 'employees', 'revenue', 'country', 'region', 'city'])];
  const entities: Entity[] = [];
  const companies: FortuneCompany[] = [];
  const domains = new Set<string>();
  for (const c of Object.values(listed)) {
    // Websites come as "www.x.com", "https://www.x.com" and once "https://https://investor.x.com".
    const host = String(c.Website)
      .replace(/^(https?:\/\/)+/, '')
      .replace(/\/.*$/, '')
      .replace(/^www\./, '')
      .toLowerCase();
    let domain = host;
    for (let n = 2; domains.has(domain); n++) domain = `${n}.${host}`;
    domains.add(domain);
    const sector = String(c.sector);
    const employees = Number(c['num. of employees']);
    const revenue = Math.round(Number(c.revenue) * 1_000_000);
    const state = String(c.state);
    const city = String(c.city);
    lines.push(csvLine([domain, String(c.company), sector, employees, revenue, 'US', state, city]));
    entities.push({
      domain,
      tokens: [`industry=${sector.toLowerCase()}`, 'country=US', `region=${state.toLowerCase()}`, `city=${city.toLowerCase()}`],
      numeric: [employees, revenue, null],
      description: null,
    });
    companies.push({ domain, sector, employees, revenue, state });
  }
  log(`Fortune 1000 universe: ${fmt(entities.length)} companies`);
  return { universe: { csv: lines.join(''), entities }, companies };
}

/** Generated accounts as CSV for the service and as tokens, numbers and descriptions for the baselines. */
function generatedUniverse(accounts: Account[]): Universe {
  const entities = accounts.map((a) => ({
    domain: a.domain,
    tokens: [
      ...[
        ['industry', a.industry],
        ['country', a.country],
        ['region', a.region],
        ['city', a.city],
        ['businessModel', a.businessModel],
        ['stage', a.stage],
      ]
        .filter(([, v]) => v !== null)
        .map(([k, v]) => `${k}=${String(v).toLowerCase()}`),
      ...a.technologies.map((t) => `tech=${t}`),
      ...a.keywords.map((k) => `kw=${k}`),
    ],
    numeric: [a.employees, a.revenue, a.foundedYear],
    description: a.description,
  }));
  return { csv: [...accountsToCsvLines(accounts)].join(''), entities };
}

/** Technologies, keywords and description left out: the service and the baselines both see firmographics alone. */
const firmographicsOnly = (a: Account): Account => ({ ...a, technologies: [], keywords: [], description: null });

// ---------------------------------------------------------------------------------------------
// Rules and labels

interface Labels {
  universe: Universe;
  matches: boolean[];
  outcomes: DemoOutcome[];
  signals: DemoSignal[];
}

interface Rule {
  name: string;
  description: string;
  labels(seed: number): Labels;
}

/** A rule labelled by labelMinority on a universe and the items (organisations, companies, accounts) behind its rows. */
const minorityRule = <T>(
  name: string,
  description: string,
  load: (seed: number) => { universe: Universe; items: T[] },
  match: (item: T) => boolean,
): Rule => ({
  name,
  description,
  labels(seed) {
    const { universe, items } = load(seed);
    const matches = items.map(match);
    return { universe, matches, outcomes: labelMinority(universe.entities, matches, seed), signals: [] };
  },
});

const crunchbaseRule = (name: string, description: string, match: (o: Organisation) => boolean) =>
  minorityRule(name, description, () => ({ universe: crunchbase().universe, items: crunchbase().orgs }), match);

const fortuneRule = (name: string, description: string, match: (c: FortuneCompany) => boolean) =>
  minorityRule(name, description, () => ({ universe: fortune().universe, items: fortune().companies }), match);

const generatedRule = (name: string, description: string, shape: (a: Account) => Account, match: (a: Account) => boolean) =>
  minorityRule(
    name,
    description,
    (seed) => {
      const accounts = [...generateAccounts({ seed, count: QUALITY_ACCOUNTS })].map(shape);
      return { universe: generatedUniverse(accounts), items: accounts };
    },
    match,
  );

const hasAny = (o: Organisation, categories: string[]) => categories.some((c) => o.categories.has(c));

const RULES: Rule[] = [
  crunchbaseRule('common-category', 'category Enterprise Software (about 4 % of the universe)', (o) =>
    o.categories.has('enterprise software'),
  ),
  crunchbaseRule('rare-category', 'category FinTech (0.6 %; beyond the old 32-keyword cap)', (o) => o.categories.has('fintech')),
  crunchbaseRule(
    'category-country',
    'category Software and country United Kingdom',
    (o) => o.categories.has('software') && o.country === 'GB',
  ),
  crunchbaseRule(
    'categories-region',
    'category E-Commerce or Retail, sales region Europe (from the country)',
    (o) => (o.categories.has('e-commerce') || o.categories.has('retail')) && o.salesRegion === 'europe',
  ),
  crunchbaseRule(
    'long-tail-industry',
    'industry (first category) Banking or Hospitality: the 33rd and 36th most frequent industries',
    (o) => o.industry === 'banking' || o.industry === 'hospitality',
  ),
  {
    name: 'generated-icp',
    description: `generated universe (${fmt(QUALITY_ACCOUNTS)} accounts per seed) with its own CRM outcomes and signals; matching = trueIcpScore ≥ ${ICP_THRESHOLD}`,
    labels(seed) {
      const accounts = [];
      const outcomes: DemoOutcome[] = [];
      const signals: DemoSignal[] = [];
      for (const { account, outcome, signals: s } of generateCrm({ seed, count: QUALITY_ACCOUNTS, now: today() })) {
        accounts.push(account);
        if (outcome) outcomes.push(outcome);
        signals.push(...s);
      }
      return {
        universe: generatedUniverse(accounts),
        matches: accounts.map((a) => trueIcpScore(a) >= ICP_THRESHOLD),
        outcomes,
        signals,
      };
    },
  },
  generatedRule(
    'founded-country-firmographics',
    'generated universe, firmographics only (no technologies, tags or descriptions): industry software, country US, founded 2015 or later',
    firmographicsOnly,
    (a) => a.industry === 'software' && a.country === 'US' && a.foundedYear !== null && a.foundedYear >= 2015,
  ),
  generatedRule(
    'size-revenue-countries',
    'generated universe: industry manufacturing or healthcare, at least 100 employees and $10M revenue, country US or DE',
    (a) => a,
    (a) =>
      (a.industry === 'manufacturing' || a.industry === 'healthcare') &&
      (a.employees ?? 0) >= 100 &&
      (a.revenue ?? 0) >= 10_000_000 &&
      (a.country === 'US' || a.country === 'DE'),
  ),
  fortuneRule(
    'fortune-sector-size-state',
    'Fortune 1000: sector Financials or Technology, at least 10,000 employees, headquarters in CA, NY, TX or IL',
    (c) => (c.sector === 'Financials' || c.sector === 'Technology') && c.employees >= 10_000 && ['CA', 'NY', 'TX', 'IL'].includes(c.state),
  ),
  crunchbaseRule(
    'industries-synonyms',
    'industry (first category) Health Care or Health and Wellness, and category Medical, Medical Devices or Health Care Information Technology',
    (o) =>
      (o.industry === 'health care' || o.industry === 'health and wellness') &&
      hasAny(o, ['medical', 'medical devices', 'health care information technology']),
  ),
  crunchbaseRule('negation', 'category Games and not category Mobile', (o) => o.categories.has('games') && !o.categories.has('mobile')),
  generatedRule(
    'description-only',
    'generated universe: the description says it serves finance teams or operations teams (no other field says so)',
    (a) => a,
    (a) => /\b(finance|operations) teams\b/.test(a.description ?? ''),
  ),
];

/** A minority of the matching accounts won (5 % of the won labels on non-matching ones), as many non-matching lost. */
function labelMinority(entities: Entity[], matches: boolean[], seed: number): DemoOutcome[] {
  const rng = new Rng(seed * 7919 + 17);
  const matching = entities.flatMap((_, i) => (matches[i] ? [i] : []));
  const others = entities.flatMap((_, i) => (matches[i] ? [] : [i]));
  const won = Math.min(MAX_WON, Math.round(WON_SHARE * matching.length));
  const noise = Math.round(NOISE_SHARE * won);
  const negatives = rng.sample(others, won + noise);
  const outcome = (i: number, status: 'won' | 'lost'): DemoOutcome => ({
    domain: entities[i].domain,
    status,
    amount: status === 'won' ? Math.round(rng.logNormal(Math.log(40_000), 0.8)) : null,
    closedAt: null,
    churnedAt: null,
  });
  return [
    ...rng.sample(matching, won - noise).map((i) => outcome(i, 'won')),
    ...negatives.slice(0, noise).map((i) => outcome(i, 'won')),
    ...negatives.slice(noise).map((i) => outcome(i, 'lost')),
  ];
}

/** What a run measures on: the pools, k, and the lookalike seeds (drawn from matching accounts in the prospect pool). */
function scenario(labels: Labels, seed: number) {
  const index = new Map(labels.universe.entities.map((e, i) => [e.domain, i]));
  const status = new Map(labels.outcomes.map((o) => [index.get(o.domain)!, o.status]));
  const n = labels.universe.entities.length;
  const all = Array.from({ length: n }, (_, i) => i);
  const prospectPool = all.filter((i) => !status.has(i));
  const matchingInPool = prospectPool.filter((i) => labels.matches[i]);
  const lookSeeds = new Rng(seed * 104_729 + 3).sample(matchingInPool, LOOKALIKE_SEEDS);
  const seedSet = new Set(lookSeeds);
  // POST /v1/lookalikes leaves out the seeds and accounts with a won, lost, churned or open outcome.
  const lookPool = all.filter((i) => !seedSet.has(i) && !['won', 'lost', 'churned', 'open'].includes(status.get(i) ?? ''));
  return {
    index,
    won: [...status].flatMap(([i, s]) => (s === 'won' ? [i] : [])),
    prospectPool,
    k: Math.min(TOP_K, matchingInPool.length),
    matchingInPool: matchingInPool.length,
    lookSeeds,
    lookPool,
  };
}
type Scenario = ReturnType<typeof scenario>;

// ---------------------------------------------------------------------------------------------
// The service, through its HTTP API

type Inject = (method: 'GET' | 'POST', url: string, payload?: unknown, contentType?: string) => Promise<{ status: number; body: Json }>;

async function withService<T>(work: (call: Inject) => Promise<T>): Promise<T> {
  const db = await openDatabase({ dataDir: 'memory://' });
  await migrate(db.pool);
  let app: FastifyInstance | undefined;
  let jobs: JobQueue | undefined;
  try {
    ({ app, jobs } = await buildApp({
      config: { LOG_LEVEL: 'warn' },
      db,
      adminToken: ADMIN_TOKEN,
      jobs: { log: { info: () => {}, warn: (obj, msg) => console.warn(msg, obj), error: (obj, msg) => console.error(msg, obj) } },
      spoolDir: path.join(os.tmpdir(), 'lookalike-quality-spool'),
      retrainDebounceMs: 24 * 3_600_000,
    }));
    await app.ready();
    const server = app;
    let auth = `Bearer ${ADMIN_TOKEN}`;
    const call: Inject = async (method, url, payload, contentType) => {
      const headers: Record<string, string> = { authorization: auth };
      if (contentType) headers['content-type'] = contentType;
      const res = await server.inject({ method, url, headers, payload: payload as string | object | undefined });
      return { status: res.statusCode, body: String(res.headers['content-type'] ?? '').includes('json') ? res.json() : res.body };
    };
    const created = expect(await call('POST', '/v1/workspaces', { name: 'Quality bench' }), 201, 'POST /v1/workspaces');
    auth = `Bearer ${created.apiKey}`;
    return await work(call);
  } finally {
    await app?.close();
    await jobs?.close();
    await db.close();
  }
}

// biome-ignore lint/suspicious/noExplicitAny: the bench reads whatever JSON the API answers, checked by status only
type Json = any;

function expect(res: { status: number; body: Json }, status: number, what: string) {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
  return res.body;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function poll<T>(what: string, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + POLL_TIMEOUT_MS;
  for (;;) {
    const result = await attempt();
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error(`${what}: still waiting after ${POLL_TIMEOUT_MS / 60_000} min`);
    await sleep(500);
  }
}

async function inBatches<T>(call: Inject, url: string, key: string, items: T[]) {
  for (let i = 0; i < items.length; i += 10_000) expect(await call('POST', url, { [key]: items.slice(i, i + 10_000) }), 200, `POST ${url}`);
}

interface ServiceRun {
  prospects: string[];
  lookalikes: string[];
  modelDurationSeconds: number | null;
  trainToProspectsSeconds: number;
  importSeconds: number;
  rejectedRows: number;
  model: { kind: string | null; confidence: string | null; cvAuc: number | null; params: unknown };
}

async function runService(labels: Labels, sc: Scenario, seed: number): Promise<ServiceRun> {
  return withService(async (call) => {
    let start = performance.now();
    const summary = expect(await call('POST', '/v1/accounts/import', labels.universe.csv, 'text/csv'), 200, 'POST /v1/accounts/import');
    const importSeconds = (performance.now() - start) / 1000;
    if (summary.rejectedCount > 0)
      log(`  ${summary.rejectedCount} rows rejected by the import, e.g. ${JSON.stringify(summary.rejected.slice(0, 3))}`);
    await inBatches(call, '/v1/signals', 'signals', labels.signals);
    await inBatches(call, '/v1/outcomes', 'outcomes', labels.outcomes);

    start = performance.now();
    const trained = expect(await call('POST', '/v1/models', { seed }), 202, 'POST /v1/models');
    const modelId: string = trained.model.id;
    await poll('training job', async () => {
      const { job } = expect(await call('GET', `/v1/jobs/${trained.job.id}`), 200, 'GET /v1/jobs/{id}');
      if (job.status === 'failed') throw new Error(`training job failed: ${job.error}`);
      return job.status === 'completed' ? job : undefined;
    });
    const { model } = expect(await call('GET', `/v1/models/${modelId}`), 200, 'GET /v1/models/{id}');
    if (model.status !== 'ready') throw new Error(`model ${modelId} is ${model.status}: ${model.error ?? model.note}`);
    // Prospects answer 409 until the scoring run the training job scheduled has finished.
    const page = await poll('scoring', async () => {
      const res = await call('GET', '/v1/prospects?limit=1000');
      if (res.status === 409) return undefined;
      const body = expect(res, 200, 'GET /v1/prospects');
      return body.model.id === modelId ? body : undefined;
    });
    const trainToProspectsSeconds = (performance.now() - start) / 1000;
    const seedDomains = sc.lookSeeds.map((i) => labels.universe.entities[i].domain);
    const lookalikes = expect(await call('POST', '/v1/lookalikes', { seedDomains, limit: LOOKALIKE_K }), 200, 'POST /v1/lookalikes');
    if (lookalikes.unknownSeeds.length) log(`  unknown lookalike seeds: ${lookalikes.unknownSeeds.join(', ')}`);
    return {
      prospects: page.data.map((p: { domain: string }) => p.domain),
      lookalikes: lookalikes.data.map((l: { domain: string }) => l.domain),
      modelDurationSeconds: model.durationMs === null ? null : model.durationMs / 1000,
      trainToProspectsSeconds,
      importSeconds,
      rejectedRows: summary.rejectedCount,
      model: { kind: model.kind, confidence: model.confidence, cvAuc: model.metrics?.auc ?? null, params: model.params },
    };
  });
}

// ---------------------------------------------------------------------------------------------
// The baselines, in a child process (running while the service trains: two cores)

/** The trained baselines, as quality_baselines.py names them. */
const BASELINES = ['rf', 'hgb', 'lr'] as const;
type Baseline = (typeof BASELINES)[number];
const BASELINE_LABELS: Record<Baseline, string> = { rf: 'RF', hgb: 'HGB', lr: 'LR' };

interface BaselineResult {
  top: Record<Baseline, number[]>;
  tfidfTop: number[];
  seconds: Record<Baseline, number>;
}

function sklearnMissing(): string | null {
  try {
    execFileSync(PYTHON, ['-c', 'import sklearn, scipy, numpy'], { stdio: 'pipe' });
    return null;
  } catch {
    return `scikit-learn is not available to ${PYTHON}: install it with \`apt-get install -y python3-sklearn\`. Baseline comparison skipped.`;
  }
}

function runBaselines(labels: Labels, sc: Scenario, seed: number, verbose: boolean): Promise<BaselineResult> {
  const input = JSON.stringify({
    accounts: labels.universe.entities.map((e) => ({ t: e.tokens, x: e.numeric, d: e.description })),
    tasks: [
      {
        id: 'run',
        seed,
        won: sc.won,
        prospectPool: sc.prospectPool,
        k: sc.k,
        lookSeeds: sc.lookSeeds,
        lookPool: sc.lookPool,
        lookK: LOOKALIKE_K,
      },
    ],
  });
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [BASELINES_SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => {
      err += d;
      if (verbose) process.stderr.write(d);
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out).results.run) : reject(new Error(`${BASELINES_SCRIPT} exited with ${code}: ${err.slice(-2000)}`)),
    );
    child.stdin.end(input);
  });
}

// ---------------------------------------------------------------------------------------------
// One rule and seed

const share = (hits: number, of: number) => (of === 0 ? Number.NaN : hits / of);

async function runOne(rule: Rule, seed: number, withBaselines: boolean, verbose: boolean) {
  const labels = rule.labels(seed);
  const sc = scenario(labels, seed);
  const matching = labels.matches.filter(Boolean).length;
  const won = labels.outcomes.filter((o) => o.status === 'won').length;
  log(
    `${rule.name} seed ${seed}: ${fmt(matching)} of ${fmt(labels.matches.length)} match; ${won} won, ${labels.outcomes.length - won} other outcomes; k = ${sc.k}`,
  );
  const baselines = withBaselines ? runBaselines(labels, sc, seed, verbose) : null;
  baselines?.catch(() => {}); // awaited below; not an unhandled rejection while the service runs
  const service = await runService(labels, sc, seed);

  const pool = new Set(sc.prospectPool);
  const isMatch = (domain: string) => {
    const i = sc.index.get(domain);
    return i !== undefined && labels.matches[i];
  };
  const strangers = [...service.prospects, ...service.lookalikes].filter((d) => !sc.index.has(d));
  if (strangers.length)
    log(`  ${strangers.length} returned domains are not in the universe as sent, e.g. ${strangers.slice(0, 3).join(', ')}`);
  const prospectsInPool = service.prospects.filter((d) => pool.has(sc.index.get(d) ?? -1)).slice(0, sc.k);
  const trained = share(prospectsInPool.filter(isMatch).length, sc.k);
  const lookalike = share(service.lookalikes.slice(0, LOOKALIKE_K).filter(isMatch).length, LOOKALIKE_K);
  const base = baselines ? await baselines : null;
  const run = {
    seed,
    matching,
    universe: labels.matches.length,
    won,
    outcomes: labels.outcomes.length,
    k: sc.k,
    matchingInProspectPool: sc.matchingInPool,
    service: {
      trainedPrecision: round(trained, 4),
      lookalikePrecision: round(lookalike, 4),
      prospectsCounted: prospectsInPool.length,
      lookalikesReturned: service.lookalikes.length,
      modelDurationSeconds: service.modelDurationSeconds === null ? null : round(service.modelDurationSeconds, 2),
      trainToProspectsSeconds: round(service.trainToProspectsSeconds, 2),
      importSeconds: round(service.importSeconds, 2),
      rejectedRows: service.rejectedRows,
      model: service.model,
    },
    baseline: base && {
      precision: Object.fromEntries(
        BASELINES.map((b) => [b, round(share(base.top[b].filter((i) => labels.matches[i]).length, sc.k), 4)]),
      ) as Record<Baseline, number>,
      tfidfPrecision: round(share(base.tfidfTop.filter((i) => labels.matches[i]).length, LOOKALIKE_K), 4),
      seconds: base.seconds,
    },
  };
  const baselineText = (b: NonNullable<typeof run.baseline>) =>
    `; sklearn ${BASELINES.map((name) => `${BASELINE_LABELS[name]} ${b.precision[name].toFixed(2)}`).join(', ')}, TF-IDF ${b.tfidfPrecision.toFixed(2)}`;
  log(
    `  service P@${sc.k} ${trained.toFixed(2)}, lookalikes P@50 ${lookalike.toFixed(2)}` +
      (run.baseline ? baselineText(run.baseline) : '') +
      `; model ${fmt(service.modelDurationSeconds ?? NaN, 1)} s, training → prospects ${fmt(service.trainToProspectsSeconds, 1)} s`,
  );
  return run;
}
type Run = Awaited<ReturnType<typeof runOne>>;

// ---------------------------------------------------------------------------------------------
// Summary, table, results file

function summarise(rule: Rule, runs: Run[]) {
  const avg = (pick: (r: Run) => number | null | undefined) => {
    const values = runs.map(pick).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    return values.length ? round(mean(values), 4) : null;
  };
  const baselines = Object.fromEntries(BASELINES.map((b) => [b, avg((r) => r.baseline?.precision[b])])) as Record<Baseline, number | null>;
  const best = bestBaseline(baselines);
  const trainedPrecision = avg((r) => r.service.trainedPrecision);
  const m = {
    trainedPrecision,
    baselines,
    best: best?.name ?? null,
    bestPrecision: best?.precision ?? null,
    margin: best && trainedPrecision !== null ? round(trainedPrecision - best.precision, 4) : null,
    lookalikePrecision: avg((r) => r.service.lookalikePrecision),
    tfidfPrecision: avg((r) => r.baseline?.tfidfPrecision),
    modelDurationSeconds: avg((r) => r.service.modelDurationSeconds),
    trainToProspectsSeconds: avg((r) => r.service.trainToProspectsSeconds),
    baselineSeconds: Object.fromEntries(BASELINES.map((b) => [b, avg((r) => r.baseline?.seconds[b])])),
    k: avg((r) => r.k),
  };
  const checks: boolean[] = [];
  if (m.margin !== null) checks.push(m.margin >= -TOLERANCE);
  if (m.tfidfPrecision !== null) checks.push(m.lookalikePrecision! >= m.tfidfPrecision - TOLERANCE);
  if (rule.name === 'generated-icp') checks.push(m.trainedPrecision! >= GENERATED_TARGET);
  const pass = checks.length === 0 ? null : checks.every(Boolean);
  return {
    rule: rule.name,
    description: rule.description,
    matching: runs[0].matching,
    universe: runs[0].universe,
    seeds: runs.map((r) => r.seed),
    mean: m,
    pass,
    runs,
  };
}
type Summary = ReturnType<typeof summarise>;

const f2 = (x: number | null) => (x === null ? '–' : x.toFixed(2));
/** Two decimals with a sign; a value that rounds to zero is "+0.00", never "−0.00". */
const signed = (x: number | null) => (x === null ? '–' : `${round(x, 2) >= 0 ? '+' : '−'}${Math.abs(round(x, 2)).toFixed(2)}`);
const diff = (a: number | null, b: number | null) => (a === null || b === null ? '–' : signed(a - b));

function table(summaries: Summary[]): string {
  const lines = [
    `| Rule | Matching | k | Service P@k | ${BASELINES.map((b) => `${BASELINE_LABELS[b]} P@k`).join(' | ')} | Best | Margin | Lookalike P@50 | TF-IDF P@50 | Δ | Training s | Pass |`,
    `|---|---:|---:|---:|${BASELINES.map(() => '---:|').join('')}---|---:|---:|---:|---:|---:|---|`,
  ];
  for (const s of summaries) {
    const m = s.mean;
    const target = s.rule === 'generated-icp' ? ` (target ≥ ${GENERATED_TARGET})` : '';
    const best = m.best === null ? '–' : `${BASELINE_LABELS[m.best]} ${f2(m.bestPrecision)}`;
    lines.push(
      `| ${s.rule} | ${fmt(s.matching)} of ${fmt(s.universe)} | ${m.k} | ${f2(m.trainedPrecision)}${target} | ` +
        `${BASELINES.map((b) => f2(m.baselines[b])).join(' | ')} | ${best} | ${signed(m.margin)} | ` +
        `${f2(m.lookalikePrecision)} | ${f2(m.tfidfPrecision)} | ${diff(m.lookalikePrecision, m.tfidfPrecision)} | ${fmt(m.modelDurationSeconds ?? NaN, 1)} | ` +
        `${s.pass === null ? 'n/a' : s.pass ? 'pass' : 'FAIL'} |`,
    );
  }
  return lines.join('\n');
}

function gitCommit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${sha} (src/ modified)` : sha;
  } catch {
    return 'unknown';
  }
}

// ---------------------------------------------------------------------------------------------

const args = parseArgs();
const verbose = args.flags.has('verbose');
const seedCount = args.quick ? 1 : Number(args.values.get('seeds') ?? 3);
const wanted = args.values
  .get('rules')
  ?.split(',')
  .map((s) => s.trim());
const unknown = wanted?.filter((name) => !RULES.some((r) => r.name === name)) ?? [];
if (!Number.isInteger(seedCount) || seedCount < 1 || unknown.length) {
  console.error(`usage: bench/quality.ts [--quick] [--seeds N] [--rules ${RULES.map((r) => r.name).join(',')}] [--verbose]`);
  process.exit(2);
}
const rules = wanted ? RULES.filter((r) => wanted.includes(r.name)) : RULES;
const seeds = Array.from({ length: seedCount }, (_, i) => i + 1);
const machine = machineInfo();
console.log(`Machine: ${describeMachine(machine)}`);
const missing = sklearnMissing();
if (missing) console.log(missing);
const started = performance.now();
const summaries: Summary[] = [];
for (const rule of rules) {
  const runs: Run[] = [];
  for (const seed of seeds) runs.push(await runOne(rule, seed, !missing, verbose));
  summaries.push(summarise(rule, runs));
}
const seconds = (performance.now() - started) / 1000;

console.log(
  `\nRanking quality, mean of ${seeds.length} seed${seeds.length > 1 ? 's' : ''} (${new Date().toISOString().slice(0, 10)}; full run ${fmt(seconds / 60, 1)} min)\n`,
);
console.log(table(summaries));
const margins = marginSummary(summaries.map((s) => ({ rule: s.rule, margin: s.mean.margin })));
if (margins)
  console.log(
    `\nAgainst the best of the three baselines per rule: mean margin ${signed(round(margins.mean, 4))} over ${summaries.length} rule${summaries.length > 1 ? 's' : ''}; ` +
      `worst ${margins.worst.rule} (${signed(margins.worst.margin)}).`,
  );
console.log(
  `\nPass: service ≥ best baseline − ${TOLERANCE} trained, ≥ TF-IDF − ${TOLERANCE} lookalikes${rules.some((r) => r.name === 'generated-icp') ? `, and P@100 ≥ ${GENERATED_TARGET} on generated-icp` : ''}.`,
);
console.log("Training s: the model's durationMs (GET /v1/models/{id}).");
for (const s of summaries) console.log(`  ${s.rule}: ${s.description}`);
if (missing) console.log(missing);
if (verbose) {
  console.log('\nPer seed:');
  for (const s of summaries)
    for (const r of s.runs)
      console.log(
        `  ${s.rule} seed ${r.seed}: k ${r.k}; service P@k ${f2(r.service.trainedPrecision)}, ` +
          `${BASELINES.map((b) => `${BASELINE_LABELS[b]} ${f2(r.baseline?.precision[b] ?? null)}`).join(', ')}; ` +
          `lookalikes P@50 ${f2(r.service.lookalikePrecision)} (${r.service.lookalikesReturned} returned), TF-IDF ${f2(r.baseline?.tfidfPrecision ?? null)}; ` +
          `model ${fmt(r.service.modelDurationSeconds ?? NaN, 1)} s (${r.service.model.kind}, CV AUC ${f2(r.service.model.cvAuc)}), ` +
          `training → prospects ${fmt(r.service.trainToProspectsSeconds, 1)} s, import ${fmt(r.service.importSeconds, 1)} s, ` +
          `baselines ${BASELINES.map((b) => `${BASELINE_LABELS[b]} ${fmt(r.baseline?.seconds[b] ?? NaN, 1)} s`).join(', ')}`,
      );
}
console.log(`\n${SHARED_MACHINE_NOTE}`);

writeFileSync(
  RESULTS_FILE,
  `${JSON.stringify(
    {
      bench: 'quality',
      date: new Date().toISOString(),
      machine,
      gitCommit: gitCommit(),
      seeds,
      seconds: round(seconds, 1),
      data:
        'Crunchbase data export of 2015-12-04 (CC BY-NC 4.0), ../shared/data/crunchbase-2015-acquisitions.csv, read at bench time; ' +
        `Fortune 1000 (2021) list of ${FORTUNE_PACKAGE} (MIT), packed into .bench-data/ at bench time; generated universe: src/demo/universe.ts`,
      baselines:
        missing ??
        'scikit-learn RandomForestClassifier(n_estimators=200, n_jobs=1), HistGradientBoostingClassifier (512 densest token columns) and ' +
          "LogisticRegression, on one-hot attributes, description words (TF-IDF) and log employees, log revenue, founding year; TF-IDF cosine to the seeds' mean",
      note: SHARED_MACHINE_NOTE,
      rules: summaries,
    },
    null,
    2,
  )}\n`,
);
log(`raw figures written to ${path.relative(ROOT, RESULTS_FILE)}`);
