/**
 * Streaming CSV reader for account imports: a header record, then one record per row or per
 * broken row, each with the 1-based physical line where it starts. Nothing is buffered beyond
 * the row being read, so a million-row file takes the memory of one row.
 */
import { isUtf8 } from 'node:buffer';
import { Transform, pipeline, type Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { mapCsvHeader, type AccountField } from './row.ts';

export type CsvRecord =
  | { kind: 'header'; fields: (AccountField | null)[]; unknown: string[] }
  | { kind: 'row'; line: number; values: Record<string, string> }
  | { kind: 'error'; line: number; message: string };

/**
 * A quoted field longer than this is taken for a quote left open, and reading stops there:
 * otherwise one stray quote near the top of a large file would pull the whole file into memory.
 */
export const MAX_FIELD_BYTES = 1024 * 1024;
const GUARD_STEP_BYTES = 64 * 1024;

/** The upload is not UTF-8: thrown from the reader, before any row of the chunk it is in. */
export class CsvEncodingError extends Error {
  constructor(
    readonly line: number,
    readonly utf16: boolean,
  ) {
    super(
      utf16
        ? 'The CSV is UTF-16 text; re-save it as UTF-8 (in Excel: Save As → "CSV UTF-8 (Comma delimited)") and import it again'
        : `The CSV is not UTF-8: line ${line} holds bytes that are not UTF-8 text (typically Latin-1 or Windows-1252 accents, ` +
            'as in "Café Müller"); re-save the file as UTF-8 (in Excel: Save As → "CSV UTF-8 (Comma delimited)") and import it again',
    );
  }
}

/**
 * Offset of the first byte of `bytes` that cannot start or continue UTF-8 text, -1 when all is
 * well, or -2 when it ends inside a sequence that the next chunk may complete. Overlong forms,
 * surrogates and code points above U+10FFFF are invalid, as TextDecoder's fatal mode has it.
 */
export function invalidUtf8At(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= bytes.length) return -2;
      const c = bytes[i + k];
      if (c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** Passes bytes through unchanged, or fails with a CsvEncodingError at the first byte that is not UTF-8. */
function utf8Check(): Transform {
  let pending: Buffer = Buffer.alloc(0); // an unfinished sequence at the end of the last chunk
  let line = 1; // the line of the next byte
  let first = true;
  const linesIn = (bytes: Buffer, end: number) => {
    let n = 0;
    for (let i = bytes.indexOf(0x0a); i !== -1 && i < end; i = bytes.indexOf(0x0a, i + 1)) n++;
    return n;
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const bytes = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
      if (first && bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
        return done(new CsvEncodingError(1, true));
      }
      first = false;
      const at = isUtf8(bytes) ? -1 : invalidUtf8At(bytes); // the native check for the common case, ours to say where
      if (at >= 0) return done(new CsvEncodingError(line + linesIn(bytes, at), false));
      let end = bytes.length;
      if (at === -2) while (end > 0 && bytes[end - 1] < 0xc0) end--; // back to the lead byte of the unfinished sequence
      if (at === -2) end--;
      pending = Buffer.from(bytes.subarray(end));
      line += linesIn(bytes, end);
      done(null, bytes.subarray(0, end));
    },
    flush(done) {
      done(pending.length > 0 ? new CsvEncodingError(line, false) : undefined);
    },
  });
}

/** Line breaks in a record's raw text: CRLF, LF, or a lone CR. */
function lineBreaks(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 0x0a || (char === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) count++;
  }
  return count;
}

/** The last line of a record that starts on `start`: the line of its last character but the line break ending it. */
const lastLine = (start: number, raw: string) => start + lineBreaks(raw.replace(/(?:\r\n|\r|\n)$/, ''));

const isBlank = (record: string[]) => record.every((value) => value.trim() === '');

// A record as RFC 4180 quotes it: each field either wholly quoted (inner quotes doubled) or not
// starting with a quote. csv-parse, with relax_quotes, reads anything; this tells us when it had
// to guess, e.g. when a quote left open ran on into the next line up to some other quote.
const FIELD = '(?:"(?:[^"]|"")*"|[^",][^,]*|)';
const WELL_QUOTED = new RegExp(`^${FIELD}(?:,${FIELD})*(?:\\r\\n|\\r|\\n)?$`);

/**
 * Reads CSV from `input`. Problems with a row (wrong number of columns, malformed quotes) are
 * `error` records and reading goes on; blank lines, and rows whose cells are all empty, are skipped.
 * An empty input yields a single error; a header without a domain column yields the header, an
 * error, and nothing more. Errors of the input stream itself are thrown.
 */
export async function* readCsvRecords(input: Readable): AsyncGenerator<CsvRecord> {
  // Records csv-parse gave up on, with how many records it had emitted before each.
  const skipped: { afterRecords: number; raw: string; code: string }[] = [];
  const parser = parse({
    bom: true, // Excel writes a UTF-8 BOM
    // The raw text of each record gives its line count. (csv-parse's info.lines counts a CRLF
    // inside quotes twice.)
    raw: true,
    skip_empty_lines: false, // blank lines must reach us to be counted; we skip them
    // A quote inside an unquoted field (`5" screens`) is data. Other quote damage is checked by us
    // (WELL_QUOTED), not by csv-parse: a record it drops mid-way loses its raw text, and our line count.
    relax_quotes: true,
    relax_column_count: true, // we check the count against the header, and report it with its line
    // A quote still open at the end of the input: report it, and keep the rows read before it
    // (as a stream error it would discard rows not yet consumed).
    skip_records_with_error: true,
    on_skip: (error, raw) => {
      skipped.push({ afterRecords: parser.info.records, raw: raw ?? '', code: error?.code ?? 'unknown' });
      return undefined;
    },
  });

  // Between input and parser: stops feeding the parser once it has gone MAX_FIELD_BYTES without
  // finishing a field (info.bytes is where its last field ended), and drains the rest of the input
  // unread, so that an HTTP upload still completes.
  let fed = 0;
  let stoppedAfter: number | undefined; // records the parser had emitted when we stopped feeding it
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (stoppedAfter !== undefined) return done();
      fed += chunk.length;
      if (fed - parser.info.bytes > MAX_FIELD_BYTES) {
        stoppedAfter = parser.info.records;
        this.push(null); // end the parser's input: it emits what it has and finishes
        return done();
      }
      done(null, chunk);
    },
  });
  // The guard compares what it fed with what the parser has consumed, which only works in small
  // steps: a whole file arriving as one chunk would look like one endless field.
  const rechunk = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      for (let offset = 0; offset < chunk.length; offset += GUARD_STEP_BYTES) this.push(chunk.subarray(offset, offset + GUARD_STEP_BYTES));
      done();
    },
  });
  // Errors of any stage destroy the parser, and so surface from the loop below.
  pipeline(input, utf8Check(), rechunk, guard, parser, () => {});

  let received = 0; // records taken from the parser
  let line = 1; // where the next record starts
  let columns: (AccountField | null)[] | undefined;

  // Each skipped record is reported in its place: after the records emitted before it.
  function* reportSkipped(): Generator<CsvRecord> {
    while (skipped.length > 0 && skipped[0].afterRecords <= received) {
      const { raw, code } = skipped.shift()!;
      const start = line;
      line += lineBreaks(raw);
      const lines = `lines ${start}–${lastLine(start, raw)}`;
      yield {
        kind: 'error',
        line: start,
        message:
          code === 'CSV_QUOTE_NOT_CLOSED'
            ? `unclosed quote: a quoted field opened in the row starting on line ${start} is never closed, so the rest of the file (${lines}) could not be read as rows`
            : `unreadable row (${code}), ${lines}`,
      };
    }
  }

  for await (const { record, raw } of parser as AsyncIterable<{ record: string[]; raw: string }>) {
    if (skipped.length > 0) yield* reportSkipped();
    received++;
    // The record cut short where we stopped feeding the parser: reported after the loop.
    if (stoppedAfter !== undefined && received > stoppedAfter) break;
    const start = line;
    line += lineBreaks(raw);
    if (isBlank(record)) continue;

    if (raw.includes('"') && !WELL_QUOTED.test(raw)) {
      const end = lastLine(start, raw);
      const where = end > start ? `lines ${start}–${end} were read as one row` : `on line ${start}`;
      yield { kind: 'error', line: start, message: `malformed quotes: a quoted field does not end with a quote followed by a comma or the end of the row (${where})` };
      if (columns === undefined) return; // no usable header
    } else if (columns === undefined) {
      const header = mapCsvHeader(record);
      columns = header.fields;
      yield { kind: 'header', fields: header.fields, unknown: header.unknown };
      if (header.error !== undefined) {
        yield { kind: 'error', line: start, message: header.error };
        return;
      }
    } else if (record.length !== columns.length) {
      yield { kind: 'error', line: start, message: `expected ${columns.length} columns, got ${record.length}` };
    } else {
      const values: Record<string, string> = {};
      columns.forEach((field, column) => {
        if (field !== null) values[field] = record[column];
      });
      yield { kind: 'row', line: start, values };
    }
  }

  if (stoppedAfter !== undefined) {
    yield {
      kind: 'error',
      line,
      message: `the row starting on line ${line} has a field longer than ${MAX_FIELD_BYTES / 1024 / 1024} MiB, most likely a quote left open; the rest of the file was not read`,
    };
  } else if (columns === undefined && skipped.length === 0) {
    yield { kind: 'error', line: 1, message: 'the CSV is empty: expected a header row naming the Account fields (domain, name, ...)' };
  } else {
    yield* reportSkipped();
  }
}
