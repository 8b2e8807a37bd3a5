/**
 * Outcomes from a CRM's deals export (`POST /v1/outcomes/import`): HubSpot deals, Salesforce
 * opportunities, Pipedrive deals, or any CSV with a mapping. Each deal finds its account by domain or
 * website, or by company name when it has none (a normalised name matched within the workspace;
 * unmatched and ambiguous names are reported with their lines, never guessed). Deal stages become
 * statuses; an account with several deals takes its strongest (see OUTCOME_PRIORITY).
 */
import type { Readable } from 'node:stream';
import type pg from 'pg';
import { accountIdsByDomain, namedAccounts } from '../accounts/repository.ts';
import { domainProblem, normaliseDomain, parseAmount, show } from '../accounts/normalise.ts';
import { importFailure, missingColumn, rejectRow, reportCapped } from '../accounts/service.ts';
import { parseDate, type DateFormat } from '../lib/dates.ts';
import { DomainError } from '../lib/errors.ts';
import { type CsvReading, headerKey, readMappedCsv, type ColumnUse, type HeaderConventions } from '../lib/csv.ts';
import { upsertOutcomes, type OutcomeRow } from './repository.ts';
import { OUTCOME_STATUSES, type OutcomeStatus } from './schema.ts';

export const OUTCOME_COLUMNS = ['domain', 'company', 'status', 'amount', 'closedAt', 'churnedAt'] as const;
export type OutcomeColumn = (typeof OUTCOME_COLUMNS)[number];

/** The headers of deals exports, best first per column (compared as headerKey). docs/importing.md lists them per vendor. */
export const OUTCOME_HEADERS: HeaderConventions<OutcomeColumn> = {
  spellings: {
    domain: ['domain', 'companydomainname', 'companydomain', 'website', 'websiteurl', 'accountwebsite', 'organizationwebsite', 'url'],
    company: [
      'company',
      'companyname',
      'accountname',
      'associatedcompany',
      'associatedcompanyprimary', // HubSpot's deals export since deals may have several companies
      'dealorganization',
      'organization',
      'organisation',
      'organizationname',
      'account',
    ],
    status: ['status', 'dealstatus', 'outcome', 'dealstage', 'stage', 'stagename'],
    amount: ['amount', 'dealvalue', 'value', 'amountinhomecurrency', 'amountincompanycurrency', 'acv', 'arr', 'dealamount'],
    closedAt: ['closedat', 'closedate', 'dealdealclosedon', 'dealclosedon', 'closedon', 'dealwontime', 'dealclosedate', 'wontime'],
    churnedAt: ['churnedat', 'churndate', 'churnedon', 'cancellationdate', 'cancelledat'],
  },
  unprefixed: ['company'],
};

/**
 * Stages that say how a deal ended, as HubSpot (labels and internal names), Salesforce and Pipedrive
 * write them, by headerKey; any other stage of a standard pipeline is an open deal. Custom pipelines
 * name theirs in `stages`.
 */
const STAGE_STATUS = new Map<string, OutcomeStatus>([
  ...['won', 'closedwon', 'closedwonwon', 'win', 'customer'].map((key) => [key, 'won'] as const),
  ...['lost', 'closedlost', 'closedlostlost', 'loss', 'disqualified', 'closeddisqualified'].map((key) => [key, 'lost'] as const),
  ...['churned', 'churn', 'cancelled', 'canceled', 'formercustomer'].map((key) => [key, 'churned'] as const),
  ...['competitorcustomer'].map((key) => [key, 'competitor_customer'] as const),
  ...[
    'open',
    // HubSpot's default sales pipeline
    'appointmentscheduled',
    'qualifiedtobuy',
    'presentationscheduled',
    'decisionmakerboughtin',
    'contractsent',
    // Salesforce's default opportunity stages
    'prospecting',
    'qualification',
    'needsanalysis',
    'valueproposition',
    'iddecisionmakers',
    'perceptionanalysis',
    'proposalpricequote',
    'negotiationreview',
    // Pipedrive's default pipeline
    'lead',
    'leadin',
    'contactmade',
    'demoscheduled',
    'proposalmade',
    'negotiationsstarted',
  ].map((key) => [key, 'open'] as const),
]);

/** When an account has several deals, the one that says most about it: a churned or won account is one whatever else was lost. */
const OUTCOME_PRIORITY: Record<OutcomeStatus, number> = { churned: 5, won: 4, open: 3, lost: 2, competitor_customer: 1 };

export interface OutcomeImportOptions extends CsvReading<OutcomeColumn> {
  /** Stage or status as the file writes it → status, before the built-in stage names. */
  stages?: Record<string, OutcomeStatus>;
  dateFormat?: DateFormat;
  dryRun?: boolean;
}

interface LineRef {
  line: number;
}

export interface OutcomeImportSummary {
  rows: number;
  recorded: number;
  unchanged: number;
  /** Accounts the file gives an outcome (several deals of one account count once). */
  accounts: number;
  /** Of those, accounts found by company name. */
  matchedByName: number;
  statuses: Record<OutcomeStatus, number>;
  unknownDomains: (LineRef & { domain: string })[];
  unmatchedNames: (LineRef & { company: string })[];
  ambiguousNames: (LineRef & { company: string; domains: string[] })[];
  rejected: (LineRef & { errors: string[] })[];
  rejectedCount: number;
  columns: ColumnUse<OutcomeColumn>[];
  /** Dry runs only: the first outcomes as they would be stored. */
  sample?: {
    line: number;
    domain: string;
    status: OutcomeStatus;
    amount: number | null;
    closedAt: string | null;
    churnedAt: string | null;
  }[];
}

const LEGAL_SUFFIXES = new Set(
  'inc incorporated llc llp lp ltd limited plc corp corporation co company gmbh ag sa sas sarl srl spa bv nv oy ab as aps pty pvt kk kg'.split(
    ' ',
  ),
);

/** A company name for matching: case, accents, punctuation, "&"/"and", a leading "the" and legal suffixes ("Inc.", "GmbH") do not count. */
export function companyKey(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((word) => word !== '');
  if (words[0] === 'the' && words.length > 1) words.shift();
  while (words.length > 1 && LEGAL_SUFFIXES.has(words[words.length - 1])) words.pop();
  return words.join('');
}

/** A name as written, but for case and spacing. */
const exactName = (name: string) => name.trim().toLowerCase().replace(/\s+/g, ' ');

interface Deal {
  line: number;
  status: OutcomeStatus;
  amount: number | null;
  closedAt: Date | null;
  churnedAt: Date | null;
}

const isEmpty = (cell: string | undefined): cell is undefined => cell === undefined || cell.trim() === '';

/** The status of a stage or status cell, or an error naming the way to map it. */
function statusOf(cell: string, stages: Map<string, OutcomeStatus>): { status: OutcomeStatus } | { error: string } {
  const key = headerKey(cell);
  const status = stages.get(key) ?? STAGE_STATUS.get(key);
  if (status) return { status };
  if (key === 'deleted') return { error: 'status: a deleted deal is not an outcome' };
  return {
    error: `status: ${show(cell)} is not a stage this import knows; map it with stages={${JSON.stringify(cell)}:"won"} (statuses: ${OUTCOME_STATUSES.join(', ')})`,
  };
}

/** One row → a deal and how to find its account, or its errors. */
function parseDeal(
  line: number,
  cells: Partial<Record<OutcomeColumn, string>>,
  options: OutcomeImportOptions,
  stages: Map<string, OutcomeStatus>,
): { deal: Deal; domain: string | null; company: string | null } | { errors: string[] } {
  const errors: string[] = [];
  let domain: string | null = null;
  if (!isEmpty(cells.domain)) {
    domain = normaliseDomain(cells.domain);
    if (domain === null) errors.push(`domain: ${show(cells.domain)} is not a domain: ${domainProblem(cells.domain)}`);
  }
  const company = isEmpty(cells.company) ? null : cells.company.trim();
  if (isEmpty(cells.domain) && company === null) errors.push('the row has neither a domain or website nor a company name');
  let status: OutcomeStatus | null = null;
  if (isEmpty(cells.status)) errors.push('status: is required (a deal stage or status: Closed Won, Closed Lost, won, lost, open, …)');
  else {
    const read = statusOf(cells.status, stages);
    if ('error' in read) errors.push(read.error);
    else status = read.status;
  }
  let amount: number | null = null;
  if (!isEmpty(cells.amount)) {
    const read = parseAmount(cells.amount);
    if (read.ok) amount = read.value;
    else errors.push(`amount: ${read.error}`);
  }
  const date = (field: 'closedAt' | 'churnedAt') => {
    const cell = cells[field];
    if (isEmpty(cell)) return null;
    const read = parseDate(cell, options.dateFormat);
    if (read.ok) return read.value;
    errors.push(`${field}: ${read.error}`);
    return null;
  };
  const closedAt = date('closedAt');
  const churnedAt = date('churnedAt');
  if (errors.length > 0 || status === null) return { errors };
  return { deal: { line, status, amount, closedAt, churnedAt }, domain, company };
}

/** Whether `deal` says more about its account than `current` (OUTCOME_PRIORITY, then the later close, then the later line). */
function stronger(deal: Deal, current: Deal | undefined): boolean {
  if (current === undefined) return true;
  const byStatus = OUTCOME_PRIORITY[deal.status] - OUTCOME_PRIORITY[current.status];
  if (byStatus !== 0) return byStatus > 0;
  return (deal.closedAt?.getTime() ?? 0) >= (current.closedAt?.getTime() ?? 0);
}

/** Rows per statement when the outcomes are written. */
const WRITE_BATCH = 2_000;

/** The deals read from the file, each account's strongest so far: by domain, and by company key for those without one. */
interface FileDeals {
  byDomain: Map<string, Deal>;
  /** Resolved at the end, against the whole workspace. */
  byCompany: Map<string, { company: string; deals: Deal[] }>;
}

/** The outcome each matched account gets, by account id. */
type AccountOutcomes = Map<string, { domain: string; deal: Deal; byName: boolean }>;

/**
 * Reads a deals CSV and records each account's outcome. Rows are read as they arrive; the outcome
 * of each account (its strongest deal) is kept until the end, then written in batches: memory grows
 * with the accounts in the file, never with its rows.
 */
export async function importOutcomesCsv(
  pool: pg.Pool,
  workspaceId: string,
  input: Readable,
  options: OutcomeImportOptions = {},
): Promise<OutcomeImportSummary> {
  const summary = emptySummary(options);
  const deals = await readDeals(input, options, summary);
  const outcomes: AccountOutcomes = new Map();
  await matchByDomain(pool, workspaceId, deals.byDomain, outcomes, summary);
  if (deals.byCompany.size > 0) await matchByName(pool, workspaceId, deals.byCompany, outcomes, summary);
  for (const list of [summary.unknownDomains, summary.unmatchedNames, summary.ambiguousNames]) list.sort((a, b) => a.line - b.line);
  const rows = outcomeRows(outcomes, summary);
  if (options.dryRun) return summary;
  await writeOutcomes(pool, workspaceId, rows, summary);
  return summary;
}

function emptySummary(options: OutcomeImportOptions): OutcomeImportSummary {
  return {
    rows: 0,
    recorded: 0,
    unchanged: 0,
    accounts: 0,
    matchedByName: 0,
    statuses: { won: 0, lost: 0, churned: 0, open: 0, competitor_customer: 0 },
    unknownDomains: [],
    unmatchedNames: [],
    ambiguousNames: [],
    rejected: [],
    rejectedCount: 0,
    columns: [],
    ...(options.dryRun ? { sample: [] } : {}),
  };
}

/** Reads the file's deals, keeping each account's strongest; bad rows go to the summary with their line. */
async function readDeals(input: Readable, options: OutcomeImportOptions, summary: OutcomeImportSummary): Promise<FileDeals> {
  const stages = new Map(Object.entries(options.stages ?? {}).map(([stage, status]) => [headerKey(stage), status]));
  const deals: FileDeals = { byDomain: new Map(), byCompany: new Map() };
  let sawHeader = false;
  try {
    for await (const record of readMappedCsv(input, OUTCOME_HEADERS, options)) {
      if (record.kind === 'header') {
        summary.columns = record.columns;
        checkHeader(record.columns);
        sawHeader = true;
        continue;
      }
      if (!sawHeader)
        throw new DomainError('invalid', 'invalid_csv', record.kind === 'error' ? record.message : 'The CSV has no header row');
      summary.rows++;
      if (record.kind === 'error') {
        rejectRow(summary, { line: record.line, errors: [record.message] });
        continue;
      }
      const parsed = parseDeal(record.line, record.cells, options, stages);
      if ('errors' in parsed) rejectRow(summary, { line: record.line, errors: parsed.errors });
      else addDeal(deals, parsed);
    }
  } catch (err) {
    throw importFailure(err, 0);
  }
  if (!sawHeader) throw new DomainError('invalid', 'empty_csv', 'The CSV body is empty: send a header row and one row per deal');
  return deals;
}

/** A deals file needs a way to find each deal's account, and its stage. */
function checkHeader(columns: ColumnUse<OutcomeColumn>[]): void {
  const has = (field: OutcomeColumn) => columns.some((column) => column.field === field);
  if (!has('domain') && !has('company')) {
    throw missingColumn(
      'missing_account_column',
      'domain, website or company name',
      'name one with mapping={"<header>":"domain"} or {"<header>":"company"}',
      columns,
    );
  }
  if (!has('status'))
    throw missingColumn('missing_status_column', 'deal stage or status', 'name it with mapping={"<header>":"status"}', columns);
}

function addDeal(
  { byDomain, byCompany }: FileDeals,
  { deal, domain, company }: { deal: Deal; domain: string | null; company: string | null },
) {
  if (domain !== null) {
    if (stronger(deal, byDomain.get(domain))) byDomain.set(domain, deal);
  } else if (company !== null) {
    const key = companyKey(company);
    const entry = byCompany.get(key) ?? { company, deals: [] };
    entry.deals.push(deal);
    byCompany.set(key, entry);
  }
}

/** Gives the account its deal unless the one it has is stronger (an account may be found by domain and by name). */
function keepStronger(outcomes: AccountOutcomes, accountId: string, domain: string, deal: Deal, byName: boolean): void {
  const current = outcomes.get(accountId);
  if (current === undefined || stronger(deal, current.deal)) outcomes.set(accountId, { domain, deal, byName });
}

async function matchByDomain(
  pool: pg.Pool,
  workspaceId: string,
  byDomain: FileDeals['byDomain'],
  outcomes: AccountOutcomes,
  summary: OutcomeImportSummary,
): Promise<void> {
  const ids = await accountIdsByDomain(pool, workspaceId, [...byDomain.keys()]);
  for (const [domain, deal] of byDomain) {
    const id = ids.get(domain);
    if (id === undefined) reportCapped(summary.unknownDomains, { line: deal.line, domain });
    else keepStronger(outcomes, id, domain, deal, false);
  }
}

/** Deals without a domain find their account by company name: one match or none, never a guess between several. */
async function matchByName(
  pool: pg.Pool,
  workspaceId: string,
  byCompany: FileDeals['byCompany'],
  outcomes: AccountOutcomes,
  summary: OutcomeImportSummary,
): Promise<void> {
  const named = new Map<string, { id: string; domain: string; name: string }[]>();
  for (const account of await namedAccounts(pool, workspaceId)) {
    const key = companyKey(account.name);
    if (!byCompany.has(key)) continue;
    named.set(key, [...(named.get(key) ?? []), { id: account.id, domain: account.domain, name: exactName(account.name) }]);
  }
  for (const [key, { company, deals }] of byCompany) {
    const similar = named.get(key) ?? [];
    // "Arrowland Ltd" and "Arrowland Inc" are one key: the one account spelled exactly as the deal names it is no guess.
    const exact = similar.filter((account) => account.name === exactName(company));
    const matches = similar.length > 1 && exact.length === 1 ? exact : similar;
    for (const deal of deals) {
      if (matches.length === 0) reportCapped(summary.unmatchedNames, { line: deal.line, company });
      else if (matches.length > 1)
        reportCapped(summary.ambiguousNames, { line: deal.line, company, domains: matches.map((m) => m.domain) });
      else keepStronger(outcomes, matches[0].id, matches[0].domain, deal, true);
    }
  }
}

/** The rows to store, counted in the summary (and the first ones shown, on a dry run). */
function outcomeRows(outcomes: AccountOutcomes, summary: OutcomeImportSummary): OutcomeRow[] {
  const rows: OutcomeRow[] = [];
  for (const [accountId, { domain, deal, byName }] of outcomes) {
    summary.accounts++;
    summary.statuses[deal.status]++;
    if (byName) summary.matchedByName++;
    const row: OutcomeRow = {
      account_id: accountId,
      status: deal.status,
      amount: deal.amount,
      closed_at: deal.closedAt?.toISOString() ?? null,
      churned_at: deal.churnedAt?.toISOString() ?? null,
    };
    rows.push(row);
    if (summary.sample && summary.sample.length < 20) {
      summary.sample.push({
        line: deal.line,
        domain,
        status: row.status,
        amount: row.amount,
        closedAt: row.closed_at,
        churnedAt: row.churned_at,
      });
    }
  }
  return rows;
}

async function writeOutcomes(pool: pg.Pool, workspaceId: string, rows: OutcomeRow[], summary: OutcomeImportSummary): Promise<void> {
  rows.sort((a, b) => Number(a.account_id) - Number(b.account_id));
  for (let i = 0; i < rows.length; i += WRITE_BATCH) {
    const batch = rows.slice(i, i + WRITE_BATCH);
    const changed = await upsertOutcomes(pool, workspaceId, batch);
    summary.recorded += changed.length;
    summary.unchanged += batch.length - changed.length;
  }
}
