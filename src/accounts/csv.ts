/**
 * Streaming CSV reader for account imports: a header record, then one record per row or per
 * broken row, each with the 1-based physical line where it starts. Nothing is buffered beyond
 * the row being read, so a million-row file takes the memory of one row. Our own splitter, not a
 * CSV library: it is the import's hottest loop, and it must keep every record's raw text for the
 * line count and the quoting check anyway.
 */
import { isUtf8 } from 'node:buffer';
import { Transform, pipeline, type Readable } from 'node:stream';
import { mapCsvHeader, type AccountField } from './row.ts';

export type CsvRecord =
  | { kind: 'header'; fields: (AccountField | null)[]; unknown: string[] }
  | { kind: 'row'; line: number; values: Record<string, string> }
  | { kind: 'error'; line: number; message: string };

/**
 * A field longer than this is taken for a quote left open, and reading stops there: otherwise one
 * stray quote near the top of a large file would pull the whole file into memory. (Counted in
 * characters, each at least a byte.)
 */
export const MAX_FIELD_BYTES = 1024 * 1024;

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

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/** Line breaks in a record's raw text: CRLF, LF, or a lone CR. */
function lineBreaks(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === LF || (char === CR && text.charCodeAt(i + 1) !== LF)) count++;
  }
  return count;
}

/** The last line of a record that starts on `start`: the line of its last character but the line break ending it. */
const lastLine = (start: number, raw: string) => start + lineBreaks(raw.replace(/(?:\r\n|\r|\n)$/, ''));

const isBlank = (record: string[]) => record.every((value) => value.trim() === '');

// A record as RFC 4180 quotes it: each field either wholly quoted (inner quotes doubled) or not
// starting with a quote. The splitter reads anything; this tells us when it had to guess, e.g. when
// a quote left open ran on into the next line up to some other quote.
const FIELD = '(?:"(?:[^"]|"")*"|[^",][^,]*|)';
const WELL_QUOTED = new RegExp(`^${FIELD}(?:,${FIELD})*(?:\\r\\n|\\r|\\n)?$`);

type Split =
  | { kind: 'record'; fields: string[]; end: number }
  /** The text ends inside the record; its current field starts at `fieldStart`. */
  | { kind: 'partial'; fieldStart: number }
  /** The input ends inside a quoted field. */
  | { kind: 'unclosed' };

/**
 * The record starting at `start` of `text`. A field that starts with a quote ends at a quote followed
 * by a comma, a line break or the end of the input (a doubled quote inside is one quote); any other
 * quote is data, in quoted and unquoted fields alike (`5" screens`). Outside quotes a record ends at
 * CRLF, LF or a lone CR. `atEnd`: no text follows, so what is left is the last record.
 */
function splitRecord(text: string, start: number, atEnd: boolean): Split {
  const fields: string[] = [];
  let i = start;
  for (;;) {
    const fieldStart = i;
    if (text.charCodeAt(i) === QUOTE) {
      let value = '';
      let from = i + 1;
      for (;;) {
        const quote = text.indexOf('"', from);
        if (quote === -1) return atEnd ? { kind: 'unclosed' } : { kind: 'partial', fieldStart };
        const next = text.charCodeAt(quote + 1);
        if (next === QUOTE) {
          value += text.slice(from, quote + 1);
          from = quote + 2;
        } else if (next === COMMA || next === LF || next === CR || quote + 1 === text.length) {
          if (quote + 1 === text.length && !atEnd) return { kind: 'partial', fieldStart }; // what follows decides
          fields.push(value + text.slice(from, quote));
          i = quote + 1;
          break;
        } else {
          value += text.slice(from, quote + 1);
          from = quote + 1;
        }
      }
    } else {
      let char = text.charCodeAt(i);
      while (i < text.length && char !== COMMA && char !== LF && char !== CR) char = text.charCodeAt(++i);
      fields.push(text.slice(fieldStart, i));
    }
    const char = text.charCodeAt(i);
    if (char === COMMA) {
      i++;
      continue;
    }
    if (char === LF) return { kind: 'record', fields, end: i + 1 };
    if (!atEnd && i + (char === CR ? 1 : 0) === text.length) return { kind: 'partial', fieldStart }; // the record, or its CRLF, goes on
    return { kind: 'record', fields, end: char === CR ? i + (text.charCodeAt(i + 1) === LF ? 2 : 1) : i };
  }
}

/**
 * Reads CSV from `input`. Problems with a row (wrong number of columns, malformed quotes) are
 * `error` records and reading goes on; blank lines, and rows whose cells are all empty, are skipped.
 * An empty input yields a single error; a header without a domain column yields the header, an
 * error, and nothing more. Errors of the input stream itself are thrown.
 */
export async function* readCsvRecords(input: Readable): AsyncGenerator<CsvRecord> {
  // Errors of either stage destroy the last one, and so surface from the loop below.
  const checked = pipeline(input, utf8Check(), () => {});
  let text = ''; // input not yet split into records
  let at = 0; // where the next record starts in `text`
  let line = 1; // the line it starts on
  let columns: (AccountField | null)[] | undefined;

  // The complete records of `text` from `at` on. 'stop': nothing more is to be read; 'drain': nor
  // parsed, but the input is read to its end, so that an HTTP upload still completes.
  function* records(atEnd: boolean): Generator<CsvRecord, 'more' | 'stop' | 'drain'> {
    while (at < text.length) {
      const start = line;
      const split = splitRecord(text, at, atEnd);
      if (split.kind === 'partial') {
        if (text.length - split.fieldStart <= MAX_FIELD_BYTES) return 'more';
        yield {
          kind: 'error',
          line: start,
          message: `the row starting on line ${start} has a field longer than ${MAX_FIELD_BYTES / 1024 / 1024} MiB, most likely a quote left open; the rest of the file was not read`,
        };
        return 'drain';
      }
      if (split.kind === 'unclosed') {
        const lines = `lines ${start}–${lastLine(start, text.slice(at))}`;
        yield {
          kind: 'error',
          line: start,
          message: `unclosed quote: a quoted field opened in the row starting on line ${start} is never closed, so the rest of the file (${lines}) could not be read as rows`,
        };
        return 'stop';
      }
      const { fields, end } = split;
      const raw = text.slice(at, end);
      at = end;
      const quoted = raw.includes('"'); // only quotes hold line breaks, or need checking
      line += quoted ? lineBreaks(raw) : raw.charCodeAt(raw.length - 1) === LF || raw.charCodeAt(raw.length - 1) === CR ? 1 : 0;
      if (isBlank(fields)) continue;

      if (quoted && !WELL_QUOTED.test(raw)) {
        const last = lastLine(start, raw);
        const where = last > start ? `lines ${start}–${last} were read as one row` : `on line ${start}`;
        yield {
          kind: 'error',
          line: start,
          message: `malformed quotes: a quoted field does not end with a quote followed by a comma or the end of the row (${where})`,
        };
        if (columns === undefined) return 'stop'; // no usable header
      } else if (columns === undefined) {
        const header = mapCsvHeader(fields);
        columns = header.fields;
        yield { kind: 'header', fields: header.fields, unknown: header.unknown };
        if (header.error !== undefined) {
          yield { kind: 'error', line: start, message: header.error };
          return 'stop';
        }
      } else if (fields.length !== columns.length) {
        yield { kind: 'error', line: start, message: `expected ${columns.length} columns, got ${fields.length}` };
      } else {
        const values: Record<string, string> = {};
        for (let column = 0; column < columns.length; column++) {
          const field = columns[column];
          if (field !== null) values[field] = fields[column];
        }
        yield { kind: 'row', line: start, values };
      }
    }
    return 'more';
  }

  let first = true;
  let draining = false;
  for await (const chunk of checked as AsyncIterable<Buffer>) {
    if (draining) continue;
    const piece = chunk.toString(); // utf8Check passes whole UTF-8 sequences only
    if (piece.length === 0) continue;
    text = text.slice(at) + (first && piece.charCodeAt(0) === 0xfeff ? piece.slice(1) : piece); // Excel writes a UTF-8 BOM
    at = 0;
    first = false;
    const next = yield* records(false);
    if (next === 'stop') return;
    draining = next === 'drain';
  }
  if (draining || (yield* records(true)) !== 'more') return;
  if (columns === undefined)
    yield { kind: 'error', line: 1, message: 'the CSV is empty: expected a header row naming the Account fields (domain, name, ...)' };
}
