import type { Readable } from 'node:stream';
import type pg from 'pg';
import { dataErrorReason } from '../db/errors.ts';
import { withTransaction } from '../db/pool.ts';
import { DomainError } from '../lib/errors.ts';
import { CsvEncodingError, CsvRecordTooLongError, UnknownMappedHeader, type ColumnUse } from '../lib/csv.ts';
import { readAccountCsv } from './csv.ts';
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

export interface ImportOptions {
  /** Header → column kind (or null to ignore the column), before the recognised headers. */
  mapping?: Record<string, AccountColumn | null>;
  /** Skip the mapping's headers the file lacks (a saved mapping). */
  skipMissing?: boolean;
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
  const summary: ImportSummary = {
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
  let batch = new Map<string, { account: Account; line: number }>();
  let sawHeader = false;

  const reject = (row: RejectedRow) => {
    summary.rejectedCount++;
    if (summary.rejected.length < MAX_REPORTED_ROWS) summary.rejected.push(row);
  };
  // One statement per batch; when the database refuses a batch for its data, halves are retried
  // until the refused rows are single: those are reported with their line, every other row is stored.
  const store = async (rows: { account: Account; line: number }[], batch: AccountBatch): Promise<void> => {
    if (options.dryRun) return;
    try {
      addCounts(summary, await upsertAccountBatch(pool, workspaceId, batch));
    } catch (err) {
      const reason = dataErrorReason(err);
      if (reason === null) throw err;
      if (rows.length === 1) {
        reject({ line: rows[0].line, domain: rows[0].account.domain, errors: [`the database does not accept this row: ${reason}`] });
        return;
      }
      const half = Math.ceil(rows.length / 2);
      for (const part of [rows.slice(0, half), rows.slice(half)]) await store(part, accountBatch(part.map((b) => b.account)));
    }
  };
  // Writes one batch, then reports progress (rows read up to the end of the batch). The database
  // failing (not the data) ends the import: say where it stopped; its error text stays in our logs.
  const write = async (accounts: { account: Account; line: number }[], batch: AccountBatch, rowsDone: number) => {
    try {
      await store(accounts, batch);
    } catch (err) {
      const stored = summary.inserted + summary.updated + summary.unchanged;
      throw Object.assign(
        new DomainError(
          'failed',
          'import_failed',
          `The import stopped at line ${accounts[0].line} because the database failed; the ${stored} rows before it are stored, none after. Importing the file again is safe`,
          {
            storedRows: stored,
            failedFromLine: accounts[0].line,
          },
        ),
        { cause: err },
      );
    }
    await onProgress?.({
      rowsDone,
      inserted: summary.inserted,
      updated: summary.updated,
      unchanged: summary.unchanged,
      rejected: summary.rejectedCount,
    });
  };
  // Batches are written one at a time, in file order (so a domain repeated in a later batch still
  // wins), while the next ones are read and validated: on PostgreSQL the database and this thread
  // work at the same time. Up to WRITES_QUEUED batches wait their turn, so that a slow statement or
  // a pause in the upload does not leave the other side idle.
  let written: Promise<void> = Promise.resolve(); // the last batch queued, once it and all before it are written
  const queue: Promise<void>[] = [];
  const flush = async () => {
    if (batch.size === 0) return;
    const accounts = [...batch.values()];
    const rowsDone = summary.rows;
    batch = new Map();
    // Built now, not when its turn comes: the database need not wait for it after the batch before.
    const prepared = accountBatch(accounts.map((b) => b.account));
    written = written.then(() => write(accounts, prepared, rowsDone)); // a failed write fails every later one: nothing after it is written
    written.catch(() => {}); // awaited below or at the end; until then its failure is not unhandled
    queue.push(written);
    if (queue.length > WRITES_QUEUED) await queue.shift();
  };

  try {
    for await (const record of readAccountCsv(input, options.mapping, options.skipMissing)) {
      if (record.kind === 'header') {
        summary.columns = record.columns;
        if (!record.columns.some((column) => column.field === 'domain')) continue; // the error record follows
        sawHeader = true;
        summary.unknownColumns = record.columns
          .filter((column) => column.field === null && column.fallbackFor === undefined)
          .map((column) => column.header);
        continue;
      }
      if (!sawHeader && record.kind === 'error' && summary.columns.length > 0) {
        throw new DomainError('invalid', 'missing_domain_column', `The CSV header has ${record.message}`, {
          header: summary.columns.map((column) => column.header),
          columns: summary.columns,
        });
      }
      if (!sawHeader)
        throw new DomainError('invalid', 'invalid_csv', record.kind === 'error' ? record.message : 'The CSV has no header row');
      summary.rows++;
      if (record.kind === 'error') {
        reject({ line: record.line, errors: [record.message] });
        continue;
      }
      const parsed = parseAccountRow(record.values);
      if (!parsed.ok) {
        reject({ line: record.line, domain: parsed.domain, errors: parsed.errors });
        continue;
      }
      if (summary.sample && summary.sample.length < DRY_RUN_SAMPLE_ROWS) summary.sample.push(parsed.account);
      const earlier = batch.get(parsed.account.domain);
      if (earlier) {
        summary.duplicateCount++;
        if (summary.duplicates.length < MAX_REPORTED_ROWS) {
          summary.duplicates.push({ domain: parsed.account.domain, line: record.line, replaces: earlier.line });
        }
      }
      batch.set(parsed.account.domain, { account: parsed.account, line: record.line });
      if (batch.size >= IMPORT_BATCH_ROWS) await flush();
    }
  } catch (err) {
    // The good rows read before a problem with the file itself are kept, as those of a finished import are.
    if (err instanceof CsvEncodingError || err instanceof CsvRecordTooLongError) await flush();
    await written; // the batches queued land (or a failure of theirs is the one reported) before we say what is stored
    throw importFailure(err, summary.inserted + summary.updated + summary.unchanged);
  }
  if (!sawHeader) throw new DomainError('invalid', 'empty_csv', 'The CSV body is empty: send a header row and one row per account');
  await flush();
  await written;
  // Rows the database refused are found while later rows are being read: report in file order.
  summary.rejected.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return summary;
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
  return err;
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
