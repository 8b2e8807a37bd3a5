import { isUtf8 } from 'node:buffer';
import { Transform, pipeline, type Readable } from 'node:stream';
import { yieldToRequests } from './priority.ts';

/**
 * Where text would run as a formula when the CSV is opened (OWASP "CSV injection"): a start with
 * = + - @, a tab or a carriage return, at the cell's start or after a ";" (list items are joined
 * with ";", and a spreadsheet set to split on ";" makes each of them a cell of its own).
 */
const FORMULA_STARTS = /(^|;)(?=[=+\-@\t\r])/g;

/**
 * One CSV cell, RFC 4180: quoted when it holds a comma, quote or line break; null is empty; lists are joined with ";".
 * Every part of a text that a spreadsheet could read as a formula, the cell and each ";"-separated item, gets a
 * leading single quote (OWASP); numbers stay numbers, so -3 is written as -3.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = Array.isArray(value) ? value.join(';') : String(value);
  if (typeof value !== 'number' && typeof value !== 'bigint') text = text.replace(FORMULA_STARTS, "$1'");
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV line, ending in "\n". */
export const csvLine = (values: readonly unknown[]) => `${values.map(csvCell).join(',')}\n`;

/** Bytes (about) a streamed download is written in: one small write per row would make compressing it cost many times more. */
export const DOWNLOAD_CHUNK_CHARS = 64 * 1024;

/** The lines of a streamed download, joined into chunks of at least `size` characters (the last one shorter). */
export async function* inChunks(lines: AsyncIterable<string>, size = DOWNLOAD_CHUNK_CHARS): AsyncGenerator<string> {
  let chunk = '';
  for await (const line of lines) {
    chunk += line;
    if (chunk.length >= size) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

// ---------------------------------------------------------------------------------------------
// Reading: a streaming CSV reader for imports. A header record, then one record per row or per
// broken row, each with the 1-based physical line where it starts. Nothing is buffered beyond the
// record being read, and every character is looked at a bounded number of times, so the cost is
// proportional to the bytes read and the memory to the longest record (at most MAX_RECORD_CHARS).
// Our own splitter, not a CSV library: it is the import's hottest loop, and it must keep every
// record's raw text for the line count and the quoting check anyway.

export type CsvRecord =
  | { kind: 'header'; line: number; names: string[] }
  | { kind: 'row'; line: number; cells: string[] }
  | { kind: 'error'; line: number; message: string };

/**
 * The longest record (a row with all its cells) read, in characters: far above any real row (an
 * account's longest fields add up to a few hundred kilobytes), and what keeps one stray quote near
 * the top of a large file from pulling the whole file into memory.
 */
export const MAX_RECORD_CHARS = 1024 * 1024;

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

/** A record is longer than MAX_RECORD_CHARS: thrown once the rest of the input is read (so an HTTP upload completes), unparsed. */
export class CsvRecordTooLongError extends Error {
  constructor(readonly line: number) {
    super(
      `The row starting on line ${line} is longer than ${MAX_RECORD_CHARS / 1024 / 1024} MiB (most likely a quote left open, ` +
        'which runs on to the end of the file); the rest of the file was not read',
    );
  }
}

/**
 * The most columns an import reads: CRM exports of every property have a few hundred. Each column is
 * named in the answer (`columns`), so a header of 400,000 one-letter names made a 45 MB answer.
 */
export const MAX_COLUMNS = 2_000;

/** The header has more than MAX_COLUMNS columns: thrown before any row is read. */
export class CsvTooManyColumnsError extends Error {
  constructor(readonly columns: number) {
    super(
      `The CSV header has ${columns.toLocaleString('en-US')} columns; an import reads at most ` +
        `${MAX_COLUMNS.toLocaleString('en-US')} (a CRM export has a few hundred): leave out the columns you do not need`,
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

const isBlank = (cells: string[]) => cells.every((value) => value.trim() === '');

// A record as RFC 4180 quotes it: each field either wholly quoted (inner quotes doubled) or not
// starting with a quote. The splitter reads anything; this tells us when it had to guess, e.g. when
// a quote left open ran on into the next line up to some other quote.
function wellQuoted(delimiter: Delimiter): RegExp {
  const d = delimiter === '\t' ? '\\t' : delimiter;
  const field = `(?:"(?:[^"]|"")*"|[^"${d}][^${d}]*|)`;
  return new RegExp(`^${field}(?:${d}${field})*(?:\\r\\n|\\r|\\n)?$`);
}

/**
 * The cells of one whole record (as RecordScanner found its end). A field that starts with a quote
 * ends at a quote followed by a comma, a line break or the end of the record (a doubled quote
 * inside is one quote); any other quote is data, in quoted and unquoted fields alike (`5" screens`).
 */
function splitRecord(raw: string, delimiter: number): string[] {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    const fieldStart = i;
    if (raw.charCodeAt(i) === QUOTE) {
      let value = '';
      let from = i + 1;
      for (;;) {
        const quote = raw.indexOf('"', from);
        const next = raw.charCodeAt(quote + 1);
        if (next === QUOTE) {
          value += raw.slice(from, quote + 1);
          from = quote + 2;
        } else if (next === delimiter || next === LF || next === CR || quote + 1 === raw.length) {
          cells.push(value + raw.slice(from, quote));
          i = quote + 1;
          break;
        } else {
          value += raw.slice(from, quote + 1);
          from = quote + 1;
        }
      }
    } else {
      let char = raw.charCodeAt(i);
      while (i < raw.length && char !== delimiter && char !== LF && char !== CR) char = raw.charCodeAt(++i);
      cells.push(raw.slice(fieldStart, i));
    }
    if (raw.charCodeAt(i) !== delimiter) return cells;
    i++;
  }
}

// Where the scanner is in the current record.
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTED_QUOTE = 3; // a quote in a quoted field: the next character says whether it ends the field
const AFTER_CR = 4; // a CR outside quotes ended the record; an LF right after it belongs to it

/**
 * Finds where records end, chunk by chunk, remembering its state across chunks: each character is
 * looked at once, whatever the length of the record or of the chunks. Outside quotes a record ends
 * at CRLF, LF or a lone CR.
 */
class RecordScanner {
  private state = FIELD_START;
  /** The current record's text from earlier chunks, and its length. */
  private parts: string[] = [];
  private length = 0;

  constructor(private readonly delimiter: number) {}

  /** The records that `chunk` completes, with their raw text; the rest is kept for the next chunk. */
  feed(chunk: string): string[] {
    const records: string[] = [];
    let start = 0; // where the current record starts in `chunk`, when it starts there
    const end = (at: number) => {
      records.push(this.take(chunk.slice(start, at)));
      start = at;
      this.state = FIELD_START;
    };
    let i = 0;
    while (i < chunk.length) {
      const char = chunk.charCodeAt(i);
      switch (this.state) {
        case FIELD_START:
          if (char === QUOTE) {
            this.state = QUOTED;
            i++;
          } else this.state = UNQUOTED;
          break;
        case UNQUOTED: {
          let at = i;
          let c = char;
          while (c !== this.delimiter && c !== LF && c !== CR && at < chunk.length) c = chunk.charCodeAt(++at);
          i = at;
          if (at === chunk.length) break;
          i++;
          if (c === this.delimiter) this.state = FIELD_START;
          else if (c === LF) end(i);
          else this.state = AFTER_CR;
          break;
        }
        case QUOTED: {
          const quote = chunk.indexOf('"', i);
          if (quote === -1) i = chunk.length;
          else {
            i = quote + 1;
            this.state = QUOTED_QUOTE;
          }
          break;
        }
        case QUOTED_QUOTE:
          i++;
          if (char === this.delimiter) this.state = FIELD_START;
          else if (char === LF) end(i);
          else if (char === CR) this.state = AFTER_CR;
          else this.state = QUOTED; // a doubled quote, or a quote that is data
          break;
        case AFTER_CR:
          if (char === LF) i++;
          end(i);
          break;
      }
    }
    if (start < chunk.length) {
      this.parts.push(start === 0 ? chunk : chunk.slice(start));
      this.length += chunk.length - start;
    }
    return records;
  }

  /** Characters of the record not ended yet. */
  get pending(): number {
    return this.length;
  }

  /** At the end of the input: the last record (null if none), or 'unclosed' when it ends inside a quoted field. */
  finish(): string | null | 'unclosed' {
    if (this.length === 0) return null;
    if (this.state === QUOTED) return 'unclosed';
    return this.take('');
  }

  /** The pending text so far, for an error message. */
  peek(): string {
    return this.parts.join('');
  }

  private take(last: string): string {
    const raw = this.parts.length === 0 ? last : this.parts.join('') + last;
    this.parts = [];
    this.length = 0;
    return raw;
  }
}

/** The error of a record starting on line `start` whose quotes RFC 4180 would not have written. */
function malformedQuotes(start: number, raw: string, delimiter: Delimiter): CsvRecord {
  const last = lastLine(start, raw);
  const where = last > start ? `lines ${start}–${last} were read as one row` : `on line ${start}`;
  return {
    kind: 'error',
    line: start,
    message: `malformed quotes: a quoted field does not end with a quote followed by a ${DELIMITER_NAMES[delimiter]} or the end of the row (${where})`,
  };
}

/**
 * Reads CSV from `input`: the first record that is not blank is the header, and every row must have
 * as many cells. Problems with a row (wrong number of cells, malformed quotes) are `error` records and
 * reading goes on; blank lines, and rows whose cells are all empty, are skipped. An empty input yields
 * nothing; a header with malformed quotes yields its error and nothing more. Errors of the input
 * stream are thrown, as are CsvEncodingError, CsvRecordTooLongError and CsvTooManyColumnsError.
 */
export async function* readCsv(input: Readable, declared?: Delimiter): AsyncGenerator<CsvRecord> {
  for await (const records of readCsvChunks(input, declared)) yield* records;
}

/**
 * readCsv's records, as the pieces of the upload complete them: one array (never empty) per piece,
 * so that an import's millions of rows cost an await per piece, not one per row at each stage.
 */
export async function* readCsvChunks(input: Readable, declared?: Delimiter): AsyncGenerator<CsvRecord[]> {
  let reader: CsvRecords | undefined; // made once the first line tells the delimiter
  let tooLong: CsvRecordTooLongError | undefined;
  for await (const text of csvText(input)) {
    if (tooLong) continue; // read to the end, so that an HTTP upload completes
    await yieldToRequests(); // parsing and checking a chunk holds this thread: requests in flight first
    reader ??= new CsvRecords(csvDialect(text, declared));
    const { records, recordTooLong } = reader.read(text);
    tooLong = recordTooLong;
    if (records.length > 0) yield records;
    if (reader.stopped) return;
  }
  if (tooLong) throw tooLong;
  const last = reader?.finish() ?? null;
  if (last !== null) yield [last];
}

/** The records of a CSV, piece by piece: readCsvChunks' state between pieces (see readCsv). */
class CsvRecords {
  private readonly scanner: RecordScanner;
  private readonly delimiter: Delimiter;
  private readonly wellQuoted: RegExp;
  /** Characters of the first piece before the first record (Excel's "sep=" line). */
  private skip: number;
  private line: number; // the line the next record starts on
  private columns: number | undefined;
  /** A header with malformed quotes was read: nothing more can be read as rows. */
  stopped = false;

  constructor(dialect: { delimiter: Delimiter; skip: number; lines: number }) {
    this.delimiter = dialect.delimiter;
    this.wellQuoted = wellQuoted(dialect.delimiter);
    this.scanner = new RecordScanner(dialect.delimiter.charCodeAt(0));
    this.skip = dialect.skip;
    this.line = 1 + dialect.lines;
  }

  /** The records `text` completes; a record longer than MAX_RECORD_CHARS ends the reading with its error, to throw at the end. */
  read(text: string): { records: CsvRecord[]; recordTooLong?: CsvRecordTooLongError } {
    const records: CsvRecord[] = [];
    for (const raw of this.scanner.feed(this.skip > 0 ? text.slice(this.skip) : text)) {
      if (raw.length > MAX_RECORD_CHARS) return { records, recordTooLong: new CsvRecordTooLongError(this.line) };
      const record = this.record(raw);
      if (record !== null) records.push(record);
      if (this.stopped) return { records };
    }
    this.skip = 0;
    return this.scanner.pending > MAX_RECORD_CHARS ? { records, recordTooLong: new CsvRecordTooLongError(this.line) } : { records };
  }

  /** At the end of the input: the last record, if there is one, or the error of a quote never closed. */
  finish(): CsvRecord | null {
    const last = this.scanner.finish();
    if (last === null) return null;
    if (last !== 'unclosed') return this.record(last);
    const { line } = this;
    return {
      kind: 'error',
      line,
      message: `unclosed quote: a quoted field opened in the row starting on line ${line} is never closed, so the rest of the file (lines ${line}–${lastLine(line, this.scanner.peek())}) could not be read as rows`,
    };
  }

  /** One record's row, error or header; null for a blank one. */
  private record(raw: string): CsvRecord | null {
    const start = this.line;
    const quoted = raw.includes('"'); // only quotes hold line breaks, or need checking
    const lastChar = raw.charCodeAt(raw.length - 1);
    this.line += quoted ? lineBreaks(raw) : lastChar === LF || lastChar === CR ? 1 : 0;
    const cells = splitRecord(raw, this.delimiter.charCodeAt(0));
    if (isBlank(cells)) return null;
    if (quoted && !this.wellQuoted.test(raw)) {
      this.stopped = this.columns === undefined; // no usable header
      return malformedQuotes(start, raw, this.delimiter);
    }
    if (this.columns === undefined) {
      if (cells.length > MAX_COLUMNS) throw new CsvTooManyColumnsError(cells.length);
      this.columns = cells.length;
      return { kind: 'header', line: start, names: cells };
    }
    if (cells.length !== this.columns)
      return { kind: 'error', line: start, message: `expected ${this.columns} columns, got ${cells.length}` };
    return { kind: 'row', line: start, cells };
  }
}

/**
 * The upload as text, checked as UTF-8, without Excel's byte order mark; the first piece holds at
 * least the first line (or the first MAX_RECORD_CHARS), from which csvDialect reads the delimiter.
 * Errors of the input stream are thrown, as is CsvEncodingError.
 */
async function* csvText(input: Readable): AsyncGenerator<string> {
  // Errors of either stage destroy the last one, and so surface from the loop below.
  const checked = pipeline(input, utf8Check(), () => {});
  let first = true;
  let head: string | null = '';
  for await (const chunk of checked as AsyncIterable<Buffer>) {
    let text = chunk.toString(); // utf8Check passes whole UTF-8 sequences only
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1); // Excel writes a UTF-8 BOM
    if (text.length === 0) continue;
    first = false;
    if (head !== null) {
      head += text;
      if (!/[\r\n]/.test(head) && head.length <= MAX_RECORD_CHARS) continue;
      [text, head] = [head, null];
    }
    yield text;
  }
  if (head) yield head;
}

export const DELIMITERS = [',', ';', '\t'] as const;
export type Delimiter = (typeof DELIMITERS)[number];
const DELIMITER_NAMES: Record<Delimiter, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab' };

/**
 * How a file separates its cells: as Excel's "sep=;" line says (the line is then skipped), else as its
 * media type declared it (`declared`: a TSV's tab), else from its first line: a comma when the line has
 * one outside quotes, else a semicolon (Excel's CSV where the decimal separator is a comma, as in most of
 * Europe), else a tab; a line with none is one column.
 */
function csvDialect(head: string, declared: Delimiter | undefined): { delimiter: Delimiter; skip: number; lines: number } {
  const sep = /^sep=([,;\t])(?:\r\n|\r|\n|$)/i.exec(head);
  if (sep) return { delimiter: sep[1] as Delimiter, skip: sep[0].length, lines: 1 };
  if (declared) return { delimiter: declared, skip: 0, lines: 0 };
  const outsideQuotes = head.split(/[\r\n]/, 1)[0].replace(/"(?:[^"]|"")*"/g, '');
  return { delimiter: DELIMITERS.find((d) => outsideQuotes.includes(d)) ?? ',', skip: 0, lines: 0 };
}

// ---------------------------------------------------------------------------------------------
// Headers: which column fills which field of an import.

/** Header text without case, spaces or punctuation: "Founded Year", "founded_year" and "FOUNDEDYEAR" are one. */
export const headerKey = (header: string) => header.toLowerCase().replace(/[^a-z0-9]/g, '');

// Words exports put before a field's name: "Company City" (Apollo), "Organization - Name" (Pipedrive), "company_country_code".
const OBJECT_PREFIX = /^(?:company|account|organization|organisation)(?=[a-z])/;

/** How each header of an import is understood: the spellings of each target, best first (compared as headerKey). */
export interface HeaderConventions<T extends string> {
  spellings: { readonly [K in T]: readonly string[] };
  /** Targets not looked for behind an object prefix ("Account Stage" is a CRM stage, not a funding stage). */
  unprefixed?: readonly T[];
}

export interface ColumnUse<T extends string> {
  header: string;
  /** The field the column fills, or null when it is ignored or a fallback. */
  field: T | null;
  /** The field this column fills in rows where the column chosen for it is empty (HubSpot's "Website URL" behind "Company Domain Name"). */
  fallbackFor?: T;
  /** Why: the mapping named it, the header is a known spelling of the field, or why the column is ignored. */
  reason: string;
}

/** A `mapping` that names a header the file does not have. */
export class UnknownMappedHeader extends Error {}

/**
 * The field of each column: `mapping` (header → field, or null to ignore the column; headers compared
 * without case and surrounding spaces) first, then the best spelling of each field (the field's own
 * name, then its aliases in order; for a tie the first column). A field is filled by one column, and
 * the other columns spelling it are its fallbacks, for rows where that column is empty.
 */
export function mapColumns<T extends string>(
  headers: string[],
  conventions: HeaderConventions<T>,
  mapping: Readonly<Record<string, T | null>> = {},
  /** Skip the mapping's headers that the file lacks (a saved mapping serves several exports) instead of throwing. */
  skipMissing = false,
): ColumnUse<T>[] {
  const uses: ColumnUse<T>[] = headers.map((header, column) => ({
    header: header.trim() || `(column ${column + 1})`,
    field: null,
    reason: 'not a header this import knows; name its field in `mapping` to use it',
  }));
  const { taken, mapped } = applyMapping(headers, uses, mapping, skipMissing);
  for (const [field, list] of knownHeaders(headers, conventions, mapped)) {
    list.sort((a, b) => a.rank - b.rank || a.column - b.column);
    const chosen = taken.get(field);
    const primary = chosen ?? list[0].column;
    if (chosen === undefined) uses[primary] = { header: uses[primary].header, field, reason: 'a known header' };
    for (const { column } of chosen === undefined ? list.slice(1) : list) {
      uses[column] = {
        header: uses[column].header,
        field: null,
        fallbackFor: field,
        reason: `fills ${field} in rows where ${JSON.stringify(uses[primary].header)} is empty`,
      };
    }
  }
  return uses;
}

/** Gives the mapping's columns their fields in `uses`; returns the column of each field it gives, and every column it names. */
function applyMapping<T extends string>(
  headers: string[],
  uses: ColumnUse<T>[],
  mapping: Readonly<Record<string, T | null>>,
  skipMissing: boolean,
): { taken: Map<T, number>; mapped: Set<number> } {
  const taken = new Map<T, number>();
  const mapped = new Set<number>();
  for (const [wanted, field] of Object.entries(mapping)) {
    const column = headers.findIndex((header) => header.trim().toLowerCase() === wanted.trim().toLowerCase());
    if (column === -1 && skipMissing) continue;
    if (column === -1) {
      throw new UnknownMappedHeader(
        `mapping names the header ${JSON.stringify(wanted)}, which the file does not have (its headers: ${headers.map((h) => JSON.stringify(h)).join(', ')})`,
      );
    }
    mapped.add(column);
    if (field === null) uses[column].reason = 'ignored by the mapping';
    else if (taken.has(field))
      uses[column].reason = `the mapping gives ${field} to column ${JSON.stringify(uses[taken.get(field) as number].header)} too`;
    else {
      uses[column] = { header: uses[column].header, field, reason: 'named in the mapping' };
      taken.set(field, column);
    }
  }
  return { taken, mapped };
}

/**
 * The columns the mapping leaves whose header is a known spelling of a field, by field, each with the rank
 * of its spelling; one behind an object prefix ("Company City") ranks after every unprefixed spelling.
 */
function knownHeaders<T extends string>(
  headers: string[],
  conventions: HeaderConventions<T>,
  mapped: Set<number>,
): Map<T, { column: number; rank: number }[]> {
  const rank = new Map<string, { field: T; rank: number }>();
  for (const [field, spellings] of Object.entries(conventions.spellings) as [T, readonly string[]][]) {
    spellings.forEach((spelling, index) => {
      if (!rank.has(spelling)) rank.set(spelling, { field, rank: index });
    });
  }
  const unprefixed = new Set(conventions.unprefixed ?? []);
  const candidates = new Map<T, { column: number; rank: number }[]>();
  headers.forEach((header, column) => {
    if (mapped.has(column)) return;
    const key = headerKey(header);
    let found = rank.get(key);
    const bare = key.replace(OBJECT_PREFIX, '');
    if (found === undefined && bare !== key) {
      const behind = rank.get(bare);
      if (behind !== undefined && !unprefixed.has(behind.field)) found = { field: behind.field, rank: behind.rank + 1000 };
    }
    if (found === undefined) return;
    const list = candidates.get(found.field) ?? [];
    list.push({ column, rank: found.rank });
    candidates.set(found.field, list);
  });
  return candidates;
}

/** The cells of a row by field: each field's column, or where that is empty, the first of its fallback columns (left to right) that is not. */
export function fieldCells<T extends string>(uses: ColumnUse<T>[], cells: string[]): Partial<Record<T, string>> {
  const byField: Partial<Record<T, string>> = {};
  uses.forEach((use, column) => {
    if (use.field !== null) byField[use.field] = cells[column];
  });
  uses.forEach((use, column) => {
    if (use.fallbackFor === undefined || cells[column].trim() === '') return;
    const current = byField[use.fallbackFor];
    if (current === undefined || current.trim() === '') byField[use.fallbackFor] = cells[column];
  });
  return byField;
}

export type MappedCsvRecord<T extends string> =
  | { kind: 'header'; line: number; columns: ColumnUse<T>[] }
  | { kind: 'row'; line: number; cells: Partial<Record<T, string>> }
  | { kind: 'error'; line: number; message: string };

/** How an import reads its file. */
export interface CsvReading<T extends string> {
  /** Header → field (or null to ignore the column), before the conventions. */
  mapping?: Readonly<Record<string, T | null>>;
  /** Skip the mapping's headers the file lacks (a saved mapping). */
  skipMissing?: boolean;
  /** The cells' separator as the upload's media type declared it (a TSV's tab); else the first line tells (csvDialect). */
  delimiter?: Delimiter;
}

/** readCsv with the header mapped by mapColumns and each row's cells by field (fieldCells). Throws what both throw. */
export async function* readMappedCsv<T extends string>(
  input: Readable,
  conventions: HeaderConventions<T>,
  { mapping, skipMissing = false, delimiter }: CsvReading<T>,
): AsyncGenerator<MappedCsvRecord<T>> {
  let columns: ColumnUse<T>[] = [];
  for await (const record of readCsv(input, delimiter)) {
    if (record.kind === 'header') {
      columns = mapColumns(record.names, conventions, mapping, skipMissing);
      yield { kind: 'header', line: record.line, columns };
    } else if (record.kind === 'row') yield { kind: 'row', line: record.line, cells: fieldCells(columns, record.cells) };
    else yield record;
  }
}
