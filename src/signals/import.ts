/**
 * Signals from an intent or activity file (`POST /v1/signals/import`): a row per signal with the
 * account's domain or website, a type (a column, a `types` mapping of the vendor's activity or topic
 * values, or one `type` for the whole file), a date, and optionally a value, topic and source.
 * Written in batches as the file is read; signals of domains not in the universe are reported.
 */
import type { Readable } from 'node:stream';
import type pg from 'pg';
import { domainProblem, normaliseDomain, parseAmount, show, unstorableText } from '../accounts/normalise.ts';
import { accountIdsByDomain } from '../accounts/repository.ts';
import { importFailure, missingColumn, rejectRow, reportCapped } from '../accounts/service.ts';
import { type CsvReading, headerKey, readMappedCsv, type ColumnUse, type HeaderConventions } from '../lib/csv.ts';
import { parseDate, type DateFormat } from '../lib/dates.ts';
import { DomainError } from '../lib/errors.ts';
import { insertSignals, type SignalRow } from './repository.ts';
import { SIGNAL_TYPES, type SignalType } from './schema.ts';

export const SIGNAL_COLUMNS = ['domain', 'type', 'occurredAt', 'value', 'topic', 'source'] as const;
export type SignalColumn = (typeof SIGNAL_COLUMNS)[number];

/** The headers of intent and activity files, best first per column. docs/importing.md lists them. */
export const SIGNAL_HEADERS: HeaderConventions<SignalColumn> = {
  spellings: {
    domain: ['domain', 'companydomain', 'companydomainname', 'website', 'companywebsite', 'websiteurl', 'url'],
    type: ['type', 'signaltype', 'activitytype', 'activity', 'eventtype', 'event', 'signal'],
    occurredAt: [
      'occurredat',
      'date',
      'activitydate',
      'eventdate',
      'timestamp',
      'datetime',
      'time',
      'createdat',
      'surgedate',
      'weekof',
      'week',
    ],
    value: ['value', 'score', 'compositescore', 'intentscore', 'surgescore', 'pageviews', 'visits', 'count', 'amount', 'strength'],
    topic: ['topic', 'topicname', 'intenttopic', 'category', 'keyword', 'product'],
    source: ['source', 'vendor', 'provider'],
  },
};

/** Activity names vendors write, by headerKey, beside the signal types themselves. */
const TYPE_ALIASES = new Map<string, SignalType>([
  ...['pageview', 'pageviews', 'visit', 'websitevisit', 'sitevisit', 'webvisit'].map((key) => [key, 'web_visit'] as const),
  ...['eventattendance', 'attended', 'webinarattended', 'webinar', 'event'].map((key) => [key, 'event_attended'] as const),
  ...['sponsorship', 'sponsoredevent'].map((key) => [key, 'event_sponsored'] as const),
  ...['comparison', 'competitorcomparison', 'alternatives', 'competitorresearch'].map((key) => [key, 'competitor_evaluation'] as const),
  ...['surge', 'intent', 'intentsurge', 'companysurge', 'topicintent'].map((key) => [key, 'topic_surge'] as const),
  ...['funding', 'fundinground', 'raised', 'fundraise'].map((key) => [key, 'funding_round'] as const),
  ...['hiring', 'jobpostings', 'hiringspree'].map((key) => [key, 'hiring_surge'] as const),
  ...['newexecutive', 'executivehire', 'leadershiphire', 'newhire'].map((key) => [key, 'leadership_change'] as const),
  ...SIGNAL_TYPES.map((type) => [headerKey(type), type] as const),
]);

export interface SignalImportOptions extends CsvReading<SignalColumn> {
  /** Value of the type column as the file writes it → signal type, before the built-in names. */
  types?: Record<string, SignalType>;
  /** The type of every row of a file without a type column (or where it is empty). */
  type?: SignalType;
  dateFormat?: DateFormat;
  dryRun?: boolean;
}

export interface SignalImportSummary {
  rows: number;
  inserted: number;
  duplicates: number;
  unknownDomains: { line: number; domain: string }[];
  unknownDomainCount: number;
  rejected: { line: number; errors: string[] }[];
  rejectedCount: number;
  columns: ColumnUse<SignalColumn>[];
  /** Dry runs only: the first signals as they would be stored. */
  sample?: {
    line: number;
    domain: string;
    type: SignalType;
    occurredAt: string;
    value: number | null;
    topic: string | null;
    source: string | null;
  }[];
}

type ParsedSignal = {
  line: number;
  domain: string;
  type: SignalType;
  occurredAt: Date;
  value: number | null;
  topic: string | null;
  source: string | null;
};

const isEmpty = (cell: string | undefined): cell is undefined => cell === undefined || cell.trim() === '';

function parseSignal(
  line: number,
  cells: Partial<Record<SignalColumn, string>>,
  options: SignalImportOptions,
  types: Map<string, SignalType>,
): ParsedSignal | { errors: string[] } {
  const errors: string[] = [];
  let domain: string | null = null;
  if (isEmpty(cells.domain)) errors.push('domain: is required');
  else {
    domain = normaliseDomain(cells.domain);
    if (domain === null) errors.push(`domain: ${show(cells.domain)} is not a domain: ${domainProblem(cells.domain)}`);
  }
  let type: SignalType | null = options.type ?? null;
  if (!isEmpty(cells.type)) {
    const key = headerKey(cells.type);
    type = types.get(key) ?? TYPE_ALIASES.get(key) ?? null;
    if (type === null) {
      errors.push(
        `type: ${show(cells.type)} is not a signal type; map it with types={${JSON.stringify(cells.type)}:"topic_surge"} (types: ${SIGNAL_TYPES.join(', ')})`,
      );
    }
  } else if (type === null) errors.push('type: is required (a type column, or ?type= for the whole file)');
  let occurredAt: Date | null = null;
  if (isEmpty(cells.occurredAt)) errors.push('occurredAt: is required (the date of the signal)');
  else {
    const read = parseDate(cells.occurredAt, options.dateFormat);
    if (read.ok) occurredAt = read.value;
    else errors.push(`occurredAt: ${read.error}`);
  }
  let value: number | null = null;
  if (!isEmpty(cells.value)) {
    const read = parseAmount(cells.value);
    if (read.ok) value = read.value;
    else errors.push(`value: ${show(cells.value)} is not a number of at least 0`);
  }
  const text = (field: 'topic' | 'source') => {
    const cell = cells[field];
    if (isEmpty(cell)) return null;
    const trimmed = cell.trim();
    const problem = unstorableText(trimmed) ?? (trimmed.length > 200 ? 'is longer than 200 characters' : null);
    if (problem !== null) errors.push(`${field}: ${problem}`);
    return trimmed;
  };
  const topic = text('topic');
  const source = text('source');
  if (errors.length > 0 || domain === null || type === null || occurredAt === null) return { errors };
  return { line, domain, type, occurredAt, value, topic, source };
}

const WRITE_BATCH = 2_000;

/** Reads a signals CSV and writes its signals in batches of WRITE_BATCH as the file is read. */
export async function importSignalsCsv(
  pool: pg.Pool,
  workspaceId: string,
  input: Readable,
  options: SignalImportOptions = {},
): Promise<SignalImportSummary> {
  const summary = emptySummary(options);
  const types = new Map(Object.entries(options.types ?? {}).map(([value, type]) => [headerKey(value), type]));
  let batch: ParsedSignal[] = [];
  const flush = () => {
    const signals = batch;
    batch = [];
    return writeSignals(pool, workspaceId, signals, summary, options.dryRun ?? false);
  };
  let sawHeader = false;
  try {
    for await (const record of readMappedCsv(input, SIGNAL_HEADERS, options)) {
      if (record.kind === 'header') {
        summary.columns = record.columns;
        checkHeader(record.columns, options);
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
      const parsed = parseSignal(record.line, record.cells, options, types);
      if ('errors' in parsed) {
        rejectRow(summary, { line: record.line, errors: parsed.errors });
        continue;
      }
      batch.push(parsed);
      if (batch.length >= WRITE_BATCH) await flush();
    }
  } catch (err) {
    if (!(err instanceof DomainError)) await flush(); // the good rows before a problem with the file itself are kept
    throw importFailure(err, summary.inserted + summary.duplicates);
  }
  if (!sawHeader) throw new DomainError('invalid', 'empty_csv', 'The CSV body is empty: send a header row and one row per signal');
  await flush();
  return summary;
}

function emptySummary(options: SignalImportOptions): SignalImportSummary {
  return {
    rows: 0,
    inserted: 0,
    duplicates: 0,
    unknownDomains: [],
    unknownDomainCount: 0,
    rejected: [],
    rejectedCount: 0,
    columns: [],
    ...(options.dryRun ? { sample: [] } : {}),
  };
}

/** A signals file needs the account's domain, and a type unless ?type= gives the whole file one. */
function checkHeader(columns: ColumnUse<SignalColumn>[], options: SignalImportOptions): void {
  const has = (field: SignalColumn) => columns.some((column) => column.field === field);
  if (!has('domain'))
    throw missingColumn('missing_domain_column', 'domain or website', 'name it with mapping={"<header>":"domain"}', columns);
  if (!has('type') && options.type === undefined) {
    throw missingColumn(
      'missing_type_column',
      'signal type',
      'name it with mapping={"<header>":"type"}, or send ?type= for the whole file',
      columns,
    );
  }
}

/** Stores a batch of signals (a dry run only counts them); those of domains not in the universe are reported. */
async function writeSignals(
  pool: pg.Pool,
  workspaceId: string,
  signals: ParsedSignal[],
  summary: SignalImportSummary,
  dryRun: boolean,
): Promise<void> {
  if (signals.length === 0) return;
  const ids = await accountIdsByDomain(pool, workspaceId, [...new Set(signals.map((s) => s.domain))]);
  const rows: SignalRow[] = [];
  for (const s of signals) {
    const accountId = ids.get(s.domain);
    if (accountId === undefined) {
      summary.unknownDomainCount++;
      reportCapped(summary.unknownDomains, { line: s.line, domain: s.domain });
      continue;
    }
    const occurredAt = s.occurredAt.toISOString();
    if (summary.sample && summary.sample.length < 20) {
      summary.sample.push({ line: s.line, domain: s.domain, type: s.type, occurredAt, value: s.value, topic: s.topic, source: s.source });
    }
    rows.push({ account_id: accountId, type: s.type, occurred_at: occurredAt, value: s.value, topic: s.topic, source: s.source });
  }
  if (dryRun) return;
  const inserted = await insertSignals(pool, workspaceId, rows);
  summary.inserted += inserted;
  summary.duplicates += rows.length - inserted;
}
