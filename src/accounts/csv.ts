/**
 * Account rows of a CSV: the records of readCsv with the header's columns mapped to Account fields
 * (ACCOUNT_HEADERS, then the caller's mapping), each row as parseAccountRow takes it.
 */
import type { Readable } from 'node:stream';
import { type CsvReading, fieldCells, readCsvChunks, type ColumnUse } from '../lib/csv.ts';
import { type AccountColumn, accountHeaderProblem, accountValues, mapAccountColumns } from './row.ts';

export type AccountCsvRecord =
  | { kind: 'header'; columns: ColumnUse<AccountColumn>[] }
  | { kind: 'row'; line: number; values: Record<string, unknown> }
  | { kind: 'error'; line: number; message: string };

/**
 * Reads account rows from `input`, as arrays: the records each piece of the upload completes (see
 * readCsvChunks). A header without a domain column yields the header, an error, and nothing more;
 * an empty input a single error. Throws what readCsv throws, and UnknownMappedHeader when `mapping`
 * names a header the file does not have.
 */
export async function* readAccountCsv(
  input: Readable,
  { mapping, skipMissing = false, delimiter }: CsvReading<AccountColumn> = {},
): AsyncGenerator<AccountCsvRecord[]> {
  let columns: ColumnUse<AccountColumn>[] | undefined;
  let empty = true;
  for await (const records of readCsvChunks(input, delimiter)) {
    empty = false;
    const read: AccountCsvRecord[] = [];
    for (const record of records) {
      if (record.kind === 'error') read.push(record);
      else if (record.kind === 'row')
        read.push({
          kind: 'row',
          line: record.line,
          values: accountValues(fieldCells(columns as ColumnUse<AccountColumn>[], record.cells)),
        });
      else {
        columns = mapAccountColumns(record.names, mapping, skipMissing);
        read.push({ kind: 'header', columns });
        const problem = accountHeaderProblem(columns);
        if (problem !== null) {
          yield [...read, { kind: 'error', line: record.line, message: problem }];
          return;
        }
      }
    }
    yield read;
  }
  if (empty)
    yield [{ kind: 'error', line: 1, message: 'the CSV is empty: expected a header row naming the Account fields (domain, name, ...)' }];
}
