import type { Readable } from 'node:stream';
import type pg from 'pg';
import { dataErrorReason } from '../db/errors.ts';
import { withTransaction } from '../db/pool.ts';
import { DomainError } from '../lib/errors.ts';
import {
  CsvEncodingError,
  type CsvReading,
  CsvRecordTooLongError,
  CsvTooManyColumnsError,
  MAX_COLUMNS,
  UnknownMappedHeader,
  type ColumnUse,
} from '../lib/csv.ts';
import { type AccountCsvRecord, readAccountCsv } from './csv.ts';
import {
  accountBatch,
  byDomain as domainOrder,
  upsertAccountBatch,
  upsertAccounts,
  type AccountBatch,
  type UpsertCounts,
} from './repository.ts';
import { normaliseDomain } from './normalise.ts';
import { parseAccountRow, type AccountColumn } from './row.ts';
import type { Account } from './schema.ts';

export const MAX_ACCOUNTS_PER_REQUEST = 10_000;
/** The largest body POST /v1/accounts reads: 10,000 accounts of about 3 KB. Larger ones are refused unread (413). */
export const MAX_ACCOUNTS_BODY_BYTES = 32 * 1024 * 1024;
/** Rows per INSERT statement: large enough to amortise the round trip, small enough to keep memory flat. */
export const IMPORT_BATCH_ROWS = 2_000;
/** Batches read ahead of the one being written (each holds IMPORT_BATCH_ROWS accounts). */
const WRITES_QUEUED = 4;
/** Error lists are capped so a broken million-row file still gets a readable answer; counts are exact. */
export const MAX_REPORTED_ROWS = 1_000;

export interface RejectedRow {
  index?: number;
  line?: number;
  domain?: string;
  errors: string[];
}

export interface DuplicateRow {
  domain: string;
  index?: number;
  line?: number;
  /** The earlier row this one replaced (last wins). */
  replaces: number;
}

export interface BatchSummary extends UpsertCounts {
  rejected: RejectedRow[];
  duplicates: DuplicateRow[];
}

/**
 * The JSON batch: all or nothing. Any invalid row rejects the whole request (422) with every row's
 * errors, so a client never has to work out which half of its batch landed.
 */
export async function ingestAccountBatch(pool: pg.Pool, workspaceId: string, rows: Record<string, unknown>[]): Promise<BatchSummary> {
  if (rows.length > MAX_ACCOUNTS_PER_REQUEST) {
    throw new DomainError(
      'too_large',
      'batch_too_large',
      `At most ${MAX_ACCOUNTS_PER_REQUEST} accounts per request (got ${rows.length}); split the batch or use POST /v1/accounts/import with CSV`,
    );
  }
  const rejected: RejectedRow[] = [];
  const duplicates: DuplicateRow[] = [];
  const byDomain = new Map<string, { account: Account; index: number }>();
  rows.forEach((raw, index) => {
    const parsed = parseAccountRow(raw);
    if (!parsed.ok) {
      rejected.push({ index, domain: parsed.domain, errors: parsed.errors });
      return;
    }
    const earlier = byDomain.get(parsed.account.domain);
    if (earlier) duplicates.push({ domain: parsed.account.domain, index, replaces: earlier.index });
    byDomain.set(parsed.account.domain, { account: parsed.account, index });
  });
  if (rejected.length > 0) {
    throw new DomainError(
      'unprocessable',
      'rows_rejected',
      `${rejected.length} of ${rows.length} accounts are invalid; nothing was stored`,
      {
        rejected: rejected.slice(0, MAX_REPORTED_ROWS),
        rejectedCount: rejected.length,
      },
    );
  }
  // One transaction of several statements: in domain order across all of them, not only within each (see accountBatch).
  const accounts = [...byDomain.values()].map((v) => v.account).sort(domainOrder);
  const counts = await withTransaction(pool, async (client) => {
    const total: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
    for (let i = 0; i < accounts.length; i += IMPORT_BATCH_ROWS) {
      addCounts(total, await upsertAccounts(client, workspaceId, accounts.slice(i, i + IMPORT_BATCH_ROWS)));
    }
    return total;
  });
  return { ...counts, rejected, duplicates };
}

function addCounts(total: UpsertCounts, more: UpsertCounts) {
  total.inserted += more.inserted;
  total.updated += more.updated;
  total.unchanged += more.unchanged;
}

export interface ImportSummary extends BatchSummary {
  rows: number;
  rejectedCount: number;
  duplicateCount: number;
  unknownColumns: string[];
  /** Each column of the header: the field it fills, or null, and why. */
  columns: ColumnUse<AccountColumn>[];
  /** Dry runs only: the first rows as they would be stored. */
  sample?: Account[];
}

export interface ImportOptions extends CsvReading<AccountColumn> {
  /** Read and check everything, store nothing. */
  dryRun?: boolean;
}

/** Rows a dry run shows as they would be stored. */
export const DRY_RUN_SAMPLE_ROWS = 20;

export interface ImportProgress {
  rowsDone: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

/**
 * Streams a CSV into the universe: good rows are stored in batches (each batch one atomic statement),
 * bad rows are reported with their line numbers. Memory holds a few batches, never the file.
 */
export async function importAccountsCsv(
  pool: pg.Pool,
  workspaceId: string,
  input: Readable,
  options: ImportOptions = {},
  onProgress?: (progress: ImportProgress) => Promise<void>,
): Promise<ImportSummary> {
  const summary = emptyImportSummary(options);
  const writes = new BatchedWrites(pool, workspaceId, summary, options.dryRun ?? false, onProgress);
  let sawHeader = false;
  try {
    for await (const records of readAccountCsv(input, options)) {
      for (const record of records) {
        if (record.kind === 'header') {
          sawHeader = readHeader(summary, record.columns);
          continue;
        }
        if (!sawHeader) throw headerMissing(summary, record);
        readRow(summary, writes, record);
        if (writes.batchFull()) await writes.flush();
      }
    }
  } catch (err) {
    // The good rows read before a problem with the file itself are kept, as those of a finished import are.
    if (err instanceof CsvEncodingError || err instanceof CsvRecordTooLongError) await writes.flush();
    await writes.allWritten(); // the batches queued land (or a failure of theirs is the one reported) before we say what is stored
    throw importFailure(err, storedRows(summary));
  }
  if (!sawHeader) throw new DomainError('invalid', 'empty_csv', 'The CSV body is empty: send a header row and one row per account');
  await writes.flush();
  await writes.allWritten();
  // Rows the database refused are found while later rows are being read: report in file order.
  summary.rejected.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return summary;
}

function emptyImportSummary(options: ImportOptions): ImportSummary {
  return {
    columns: [],
    ...(options.dryRun ? { sample: [] } : {}),
    rows: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rejected: [],
    rejectedCount: 0,
    duplicates: [],
    duplicateCount: 0,
    unknownColumns: [],
  };
}

/** Notes the header's columns; returns whether it has a domain column (without one, readAccountCsv's error record follows). */
function readHeader(summary: ImportSummary, columns: ColumnUse<AccountColumn>[]): boolean {
  summary.columns = columns;
  if (!columns.some((column) => column.field === 'domain')) return false;
  summary.unknownColumns = columns
    .filter((column) => column.field === null && column.fallbackFor === undefined)
    .map((column) => column.header);
  return true;
}

/** The error for a record where the header should have been, or after a header without a domain column. */
function headerMissing(summary: ImportSummary, record: { kind: 'row' } | { kind: 'error'; message: string }): DomainError {
  if (record.kind === 'error' && summary.columns.length > 0) {
    return new DomainError('invalid', 'missing_domain_column', `The CSV header has ${record.message}`, {
      header: summary.columns.map((column) => column.header),
      columns: summary.columns,
    });
  }
  return new DomainError('invalid', 'invalid_csv', record.kind === 'error' ? record.message : 'The CSV has no header row');
}

/** A row of the file (or the error of one): rejected with its line, or added to the writes. */
function readRow(summary: ImportSummary, writes: BatchedWrites, record: Exclude<AccountCsvRecord, { kind: 'header' }>): void {
  summary.rows++;
  if (record.kind === 'error') {
    rejectRow(summary, { line: record.line, errors: [record.message] });
    return;
  }
  const parsed = parseAccountRow(record.values);
  if (!parsed.ok) {
    rejectRow(summary, { line: record.line, domain: parsed.domain, errors: parsed.errors });
    return;
  }
  if (summary.sample && summary.sample.length < DRY_RUN_SAMPLE_ROWS) summary.sample.push(parsed.account);
  const replaces = writes.add(parsed.account, record.line);
  if (replaces !== undefined) {
    summary.duplicateCount++;
    reportCapped(summary.duplicates, { domain: parsed.account.domain, line: record.line, replaces });
  }
}

const storedRows = (summary: ImportSummary) => summary.inserted + summary.updated + summary.unchanged;

/** An account read from the file, with its line. */
interface ReadAccount {
  account: Account;
  line: number;
}

/**
 * The import's writes. Rows are gathered in batches of IMPORT_BATCH_ROWS (a domain repeated within a
 * batch: the last row wins); the batches are written one at a time, in file order (so a domain repeated
 * in a later batch still wins), while the next ones are read and validated: on PostgreSQL the database
 * and this thread work at the same time. Up to WRITES_QUEUED batches wait their turn, so that a slow
 * statement or a pause in the upload does not leave the other side idle.
 */
class BatchedWrites {
  private batch = new Map<string, ReadAccount>();
  /** The last batch queued, once it and all before it are written; a failed write fails every later one. */
  private written: Promise<void> = Promise.resolve();
  private readonly queue: Promise<void>[] = [];

  constructor(
    private readonly pool: pg.Pool,
    private readonly workspaceId: string,
    private readonly summary: ImportSummary,
    private readonly dryRun: boolean,
    private readonly onProgress?: (progress: ImportProgress) => Promise<void>,
  ) {}

  /** Adds a row to the batch; returns the line of the batch's row it replaces, if one has the same domain. */
  add(account: Account, line: number): number | undefined {
    const earlier = this.batch.get(account.domain);
    this.batch.set(account.domain, { account, line });
    return earlier?.line;
  }

  /** Resolves once every batch queued is written; rejects with the failure that stopped the writes. */
  allWritten(): Promise<void> {
    return this.written;
  }

  batchFull(): boolean {
    return this.batch.size >= IMPORT_BATCH_ROWS;
  }

  /** Queues the batch gathered so far; waits only when WRITES_QUEUED batches are already waiting. */
  async flush(): Promise<void> {
    if (this.batch.size === 0) return;
    const accounts = [...this.batch.values()];
    const rowsDone = this.summary.rows;
    this.batch = new Map();
    // Built now, not when its turn comes: the database need not wait for it after the batch before.
    const prepared = accountBatch(accounts.map((b) => b.account));
    this.written = this.written.then(() => this.write(accounts, prepared, rowsDone)); // nothing after a failed write is written
    this.written.catch(() => {}); // awaited by the import, now or at its end; until then its failure is not unhandled
    this.queue.push(this.written);
    if (this.queue.length > WRITES_QUEUED) await this.queue.shift();
  }

  /**
   * Writes one batch, then reports progress (rows read up to the end of the batch). The database
   * failing (not the data) ends the import: say where it stopped; its error text stays in our logs.
   */
  private async write(accounts: ReadAccount[], batch: AccountBatch, rowsDone: number): Promise<void> {
    const { summary } = this;
    try {
      await this.store(accounts, batch);
    } catch (err) {
      const stored = storedRows(summary);
      throw Object.assign(
        new DomainError(
          'failed',
          'import_failed',
          `The import stopped at line ${accounts[0].line} because the database failed; the ${stored} rows before it are stored, none after. Importing the file again is safe`,
          { storedRows: stored, failedFromLine: accounts[0].line },
        ),
        { cause: err },
      );
    }
    await this.onProgress?.({
      rowsDone,
      inserted: summary.inserted,
      updated: summary.updated,
      unchanged: summary.unchanged,
      rejected: summary.rejectedCount,
    });
  }

  /**
   * One statement per batch; when the database refuses a batch for its data, halves are retried
   * until the refused rows are single: those are reported with their line, every other row is stored.
   */
  private async store(rows: ReadAccount[], batch: AccountBatch): Promise<void> {
    if (this.dryRun) return;
    try {
      addCounts(this.summary, await upsertAccountBatch(this.pool, this.workspaceId, batch));
    } catch (err) {
      const reason = dataErrorReason(err);
      if (reason === null) throw err;
      if (rows.length === 1) {
        rejectRow(this.summary, {
          line: rows[0].line,
          domain: rows[0].account.domain,
          errors: [`the database does not accept this row: ${reason}`],
        });
        return;
      }
      const half = Math.ceil(rows.length / 2);
      for (const part of [rows.slice(0, half), rows.slice(half)]) await this.store(part, accountBatch(part.map((b) => b.account)));
    }
  }
}

/** The failures of reading a CSV import as the client should read them: which line, and what is stored. */
export function importFailure(err: unknown, stored: number): unknown {
  const already = stored > 0 ? ` (${stored} rows before it were stored; importing the file again is safe)` : '';
  if (err instanceof CsvEncodingError) {
    return new DomainError('unsupported_media', 'invalid_encoding', `${err.message}${already}`, { line: err.line, storedRows: stored });
  }
  if (err instanceof CsvRecordTooLongError) {
    return new DomainError('too_large', 'record_too_long', `${err.message}${already}`, { line: err.line, storedRows: stored });
  }
  if (err instanceof UnknownMappedHeader) return new DomainError('invalid', 'unknown_mapped_header', err.message);
  if (err instanceof CsvTooManyColumnsError) {
    return new DomainError('invalid', 'too_many_columns', err.message, { columns: err.columns, maxColumns: MAX_COLUMNS });
  }
  return err;
}

/** A CSV header without a column the import needs: what it found, and how to name the column with a mapping. */
export function missingColumn<T extends string>(code: string, what: string, hint: string, columns: ColumnUse<T>[]): DomainError {
  return new DomainError(
    'invalid',
    code,
    `The CSV header has no ${what} column (found: ${columns.map((c) => JSON.stringify(c.header)).join(', ')}); ${hint}`,
    { header: columns.map((column) => column.header), columns },
  );
}

/** Adds a row to a reported list unless the list is full (MAX_REPORTED_ROWS); the caller keeps the exact count. */
export function reportCapped<T>(list: T[], item: T): void {
  if (list.length < MAX_REPORTED_ROWS) list.push(item);
}

/** Counts a rejected row of an import and reports it while the list has room. */
export function rejectRow<T>(summary: { rejected: T[]; rejectedCount: number }, row: T): void {
  summary.rejectedCount++;
  reportCapped(summary.rejected, row);
}

/** Domains of a batch, normalised; an unparseable one rejects the request with every bad index. */
export function normaliseBatchDomains(rows: { domain: string }[], what: string): string[] {
  const bad: { index: number; domain: string }[] = [];
  const domains = rows.map((row, index) => {
    const domain = normaliseDomain(row.domain);
    if (!domain) bad.push({ index, domain: row.domain });
    return domain ?? '';
  });
  if (bad.length > 0) {
    throw new DomainError('invalid', 'invalid_domain', `${bad.length} ${what} have an invalid domain; nothing was stored`, {
      rejected: bad.map((b) => ({ ...b, errors: [`"${b.domain}" is not a domain`] })),
    });
  }
  return domains;
}
