/**
 * Account rows of a CSV: the records of readCsv with the header's columns mapped to Account fields
 * (ACCOUNT_HEADERS, then the caller's mapping), each row as parseAccountRow takes it.
 */
import type { Readable } from 'node:stream';
import { type CsvReading, fieldCells, readCsv, type ColumnUse } from '../lib/csv.ts';
import { type AccountColumn, accountHeaderProblem, accountValues, mapAccountColumns } from './row.ts';

export type AccountCsvRecord =
  | { kind: 'header'; columns: ColumnUse<AccountColumn>[] }
  | { kind: 'row'; line: number; values: Record<string, unknown> }
  | { kind: 'error'; line: number; message: string };

/**
 * Reads account rows from `input`. A header without a domain column yields the header, an error,
 * and nothing more; an empty input a single error. Throws what readCsv throws, and
 * UnknownMappedHeader when `mapping` names a header the file does not have.
 */
export async function* readAccountCsv(
  input: Readable,
  { mapping, skipMissing = false, delimiter }: CsvReading<AccountColumn> = {},
): AsyncGenerator<AccountCsvRecord> {
  let columns: ColumnUse<AccountColumn>[] | undefined;
  let empty = true;
  for await (const record of readCsv(input, delimiter)) {
    empty = false;
    if (record.kind === 'error') {
      yield record;
      continue;
    }
    if (record.kind === 'header') {
      columns = mapAccountColumns(record.names, mapping, skipMissing);
      yield { kind: 'header', columns };
      const problem = accountHeaderProblem(columns);
      if (problem !== null) {
        yield { kind: 'error', line: record.line, message: problem };
        return;
      }
      continue;
    }
    yield { kind: 'row', line: record.line, values: accountValues(fieldCells(columns as ColumnUse<AccountColumn>[], record.cells)) };
  }
  if (empty)
    yield { kind: 'error', line: 1, message: 'the CSV is empty: expected a header row naming the Account fields (domain, name, ...)' };
}
