import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { readAccountCsv, type AccountCsvRecord } from '../../src/accounts/csv.ts';
import { CsvRecordTooLongError, CsvTooManyColumnsError, MAX_COLUMNS, MAX_RECORD_CHARS, readCsv } from '../../src/lib/csv.ts';

type CsvRecord = Exclude<AccountCsvRecord, { kind: 'header' }> | { kind: 'header'; fields: (string | null)[]; unknown: string[] };

/** A header as the field of each column and the headers of the unused ones. */
const simplified = (record: AccountCsvRecord): CsvRecord =>
  record.kind === 'header'
    ? {
        kind: 'header',
        fields: record.columns.map((column) => column.field),
        unknown: record.columns.filter((column) => column.field === null).map((column) => column.header),
      }
    : record;

async function* readCsvRecords(input: Readable): AsyncGenerator<CsvRecord> {
  for await (const records of readAccountCsv(input)) for (const record of records) yield simplified(record);
}

/** All records of a CSV given as text, fed in chunks of `chunkSize` bytes (default: one chunk). */
async function read(text: string | Buffer, chunkSize?: number): Promise<CsvRecord[]> {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize ?? bytes.length) chunks.push(bytes.subarray(i, i + (chunkSize ?? bytes.length)));
  const records: CsvRecord[] = [];
  for await (const record of readCsvRecords(Readable.from(chunks))) records.push(record);
  return records;
}

const rows = (records: CsvRecord[]) => records.filter((r) => r.kind === 'row');
const errors = (records: CsvRecord[]) => records.filter((r) => r.kind === 'error');

describe('readCsvRecords', () => {
  it('reads a header, then rows keyed by Account field with their line numbers', async () => {
    const records = await read('domain,Company Name,employees,Colour\nacme.com,Acme,51-200,red\nglobex.com,Globex,,blue\n');
    expect(records).toEqual([
      { kind: 'header', fields: ['domain', 'name', 'employees', null], unknown: ['Colour'] },
      { kind: 'row', line: 2, values: { domain: 'acme.com', name: 'Acme', employees: '51-200' } },
      { kind: 'row', line: 3, values: { domain: 'globex.com', name: 'Globex', employees: '' } },
    ]);
  });

  it('reads a file without a final newline', async () => {
    expect(rows(await read('domain\na.com\nb.com'))).toEqual([
      { kind: 'row', line: 2, values: { domain: 'a.com' } },
      { kind: 'row', line: 3, values: { domain: 'b.com' } },
    ]);
  });

  it('reads CRLF line endings', async () => {
    const records = await read('domain,name\r\na.com,A\r\nb.com,B\r\n');
    expect(records).toEqual([
      { kind: 'header', fields: ['domain', 'name'], unknown: [] },
      { kind: 'row', line: 2, values: { domain: 'a.com', name: 'A' } },
      { kind: 'row', line: 3, values: { domain: 'b.com', name: 'B' } },
    ]);
  });

  it('strips a UTF-8 BOM', async () => {
    const records = await read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('domain,name\na.com,Ä\n')]));
    expect(records).toEqual([
      { kind: 'header', fields: ['domain', 'name'], unknown: [] },
      { kind: 'row', line: 2, values: { domain: 'a.com', name: 'Ä' } },
    ]);
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('reads quoted separators, escaped quotes and newlines, counting physical lines (%s)', async (_, eol) => {
    const lines = [
      'domain,name,description',
      'a.com,"Acme, Inc.","Line one',
      'line two',
      'line three"',
      'b.com,"Say ""hi""",plain',
      'c.com,C,"ends with a line break',
      '"',
      '"d.com","D","last"',
    ];
    expect(rows(await read(lines.join(eol)))).toEqual([
      { kind: 'row', line: 2, values: { domain: 'a.com', name: 'Acme, Inc.', description: `Line one${eol}line two${eol}line three` } },
      { kind: 'row', line: 5, values: { domain: 'b.com', name: 'Say "hi"', description: 'plain' } },
      { kind: 'row', line: 6, values: { domain: 'c.com', name: 'C', description: `ends with a line break${eol}` } },
      { kind: 'row', line: 8, values: { domain: 'd.com', name: 'D', description: 'last' } },
    ]);
  });

  it('reads old Mac line endings (a lone CR)', async () => {
    expect(await read('domain,name\ra.com,"A\rB"\rb.com,B', 4)).toEqual([
      { kind: 'header', fields: ['domain', 'name'], unknown: [] },
      { kind: 'row', line: 2, values: { domain: 'a.com', name: 'A\rB' } },
      { kind: 'row', line: 4, values: { domain: 'b.com', name: 'B' } },
    ]);
  });

  it('counts a CRLF inside quotes as one line in an LF file', async () => {
    expect(rows(await read('domain,name\na.com,"x\r\ny"\nb.com,B\n'))).toEqual([
      { kind: 'row', line: 2, values: { domain: 'a.com', name: 'x\r\ny' } },
      { kind: 'row', line: 4, values: { domain: 'b.com', name: 'B' } },
    ]);
  });

  it('gives the same records however the input is chunked', async () => {
    const text = '\ufeffdomain,name\r\n"a.com","x\r\ny"\r\n\r\nb.com,"Zoë, ""Z"""\r\nc.com\r\nd.com,"open\r\n';
    const whole = await read(text);
    expect(whole).toEqual([
      { kind: 'header', fields: ['domain', 'name'], unknown: [] },
      { kind: 'row', line: 2, values: { domain: 'a.com', name: 'x\r\ny' } },
      { kind: 'row', line: 5, values: { domain: 'b.com', name: 'Zoë, "Z"' } },
      { kind: 'error', line: 6, message: 'expected 2 columns, got 1' },
      expect.objectContaining({ kind: 'error', line: 7 }),
    ]);
    for (const size of [1, 2, 3, 5, 7]) expect(await read(text, size)).toEqual(whole);
  });

  it('skips blank lines and rows of empty cells, keeping line numbers right', async () => {
    const records = await read('\n\ndomain,name\n\na.com,A\n   \n,\n\r\nb.com,B\n\n');
    expect(records).toEqual([
      { kind: 'header', fields: ['domain', 'name'], unknown: [] },
      { kind: 'row', line: 5, values: { domain: 'a.com', name: 'A' } },
      { kind: 'row', line: 9, values: { domain: 'b.com', name: 'B' } },
    ]);
  });

  it('reports rows with the wrong number of columns and reads on', async () => {
    const records = await read('domain,name,city\na.com,A,Paris\nb.com,B\nc.com,C,Rome,extra\nd.com,D,Oslo\n');
    expect(records.slice(1)).toEqual([
      { kind: 'row', line: 2, values: { domain: 'a.com', name: 'A', city: 'Paris' } },
      { kind: 'error', line: 3, message: 'expected 3 columns, got 2' },
      { kind: 'error', line: 4, message: 'expected 3 columns, got 4' },
      { kind: 'row', line: 5, values: { domain: 'd.com', name: 'D', city: 'Oslo' } },
    ]);
  });

  it('reports a quote left open at the end, keeping the rows before it', async () => {
    const records = await read('domain,name\na.com,A\nb.com,"Bee\nc.com,C\nd.com,D\n');
    expect(records.slice(1)).toEqual([
      { kind: 'row', line: 2, values: { domain: 'a.com', name: 'A' } },
      {
        kind: 'error',
        line: 3,
        message:
          'unclosed quote: a quoted field opened in the row starting on line 3 is never closed, so the rest of the file (lines 3–5) could not be read as rows',
      },
    ]);
  });

  it('reports a quote left open mid-file, which runs on to the next quote', async () => {
    // The open quote on line 3 takes in the line break and line 4 up to its first quote; csv-parse
    // reads that as one row with the right number of columns, so only the quoting shows the damage.
    const records = await read('domain,name,city\na.com,A,Paris\nb.com,"Bee,Rome\nc.com,"C",Oslo\nd.com,D,Lima\n');
    expect(records.slice(1)).toEqual([
      { kind: 'row', line: 2, values: { domain: 'a.com', name: 'A', city: 'Paris' } },
      {
        kind: 'error',
        line: 3,
        message:
          'malformed quotes: a quoted field does not end with a quote followed by a comma or the end of the row (lines 3–4 were read as one row)',
      },
      { kind: 'row', line: 5, values: { domain: 'd.com', name: 'D', city: 'Lima' } },
    ]);
  });

  it('reports unescaped quotes inside a quoted field', async () => {
    const records = await read('domain,name\n"a.com","Acme "The Best" Inc"\nb.com,B\n');
    expect(records.slice(1)).toEqual([
      {
        kind: 'error',
        line: 2,
        message: 'malformed quotes: a quoted field does not end with a quote followed by a comma or the end of the row (on line 2)',
      },
      { kind: 'row', line: 3, values: { domain: 'b.com', name: 'B' } },
    ]);
  });

  it('stops at a header with malformed quotes', async () => {
    expect(await read('domain,"name\na.com,"A"\n')).toEqual([
      {
        kind: 'error',
        line: 1,
        message:
          'malformed quotes: a quoted field does not end with a quote followed by a comma or the end of the row (lines 1–2 were read as one row)',
      },
    ]);
  });

  it('treats a quote inside an unquoted field as data', async () => {
    expect(rows(await read('domain,name\na.com,5" screens\n'))).toEqual([
      { kind: 'row', line: 2, values: { domain: 'a.com', name: '5" screens' } },
    ]);
  });

  it('reports exactly the 3 broken rows among good ones', async () => {
    const lines = ['domain,name,employees'];
    for (let i = 1; i <= 30; i++) lines.push(`c${i}.com,"Company ${i}",${i * 10}`);
    lines[7] = 'broken7.com,too,many,columns'; // line 8
    lines[15] = 'broken16.com'; // line 16
    lines[22] = 'broken23.com,"has ""quotes""",1,2'; // line 23
    const records = await read(`${lines.join('\n')}\n`);
    expect(errors(records).map((e) => e.kind === 'error' && e.line)).toEqual([8, 16, 23]);
    expect(rows(records)).toHaveLength(27);
    expect(rows(records).map((r) => r.kind === 'row' && r.line)).toEqual(
      Array.from({ length: 30 }, (_, i) => i + 2).filter((line) => ![8, 16, 23].includes(line)),
    );
  });

  it('yields just the header for a header-only file', async () => {
    expect(await read('domain,name\n')).toEqual([{ kind: 'header', fields: ['domain', 'name'], unknown: [] }]);
  });

  it.each(['', '\n\n', '\ufeff', ' \r\n , \n'])('reports an empty input (%j)', async (text) => {
    expect(await read(text)).toEqual([
      { kind: 'error', line: 1, message: 'the CSV is empty: expected a header row naming the Account fields (domain, name, ...)' },
    ]);
  });

  it('stops after the header when it has no domain column', async () => {
    expect(await read('\nname,city\nAcme,Paris\n')).toEqual([
      { kind: 'header', fields: ['name', 'city'], unknown: [] },
      {
        kind: 'error',
        line: 2,
        message:
          'no domain or website column (found: "name", "city"); name the column that holds each account\'s website with mapping={"<header>":"domain"}',
      },
    ]);
  });

  it('stops at a record longer than MAX_RECORD_CHARS, reads the input to its end and then names the line', async () => {
    let produced = 0;
    const input = Readable.from(
      (function* () {
        yield 'domain,name\na.com,A\nb.com,"runaway\n';
        const chunk = `${'x'.repeat(63)}\n`;
        for (let i = 0; i < (4 * MAX_RECORD_CHARS) / 64; i++) {
          produced += chunk.length;
          yield chunk;
        }
      })(),
    );
    const records: CsvRecord[] = [];
    const reading = (async () => {
      for await (const record of readCsvRecords(input)) records.push(record);
    })();
    await expect(reading).rejects.toThrow(CsvRecordTooLongError);
    await expect(reading).rejects.toMatchObject({
      line: 3,
      message: expect.stringMatching(/^The row starting on line 3 is longer than 1 MiB/),
    });
    expect(records.slice(1)).toEqual([{ kind: 'row', line: 2, values: { domain: 'a.com', name: 'A' } }]);
    expect(produced).toBe(4 * MAX_RECORD_CHARS); // the input was drained to its end
  });

  it.each([
    ['short cells', () => 'a,'.repeat(4 * 1024 * 1024)],
    ['one long field', () => 'x'.repeat(8 * 1024 * 1024)],
    ['a quoted field', () => `"${'x'.repeat(8 * 1024 * 1024)}`],
  ])('refuses an 8 MB single record of %s in time proportional to its bytes', async (_, record) => {
    const text = `domain,name\n${record()}\n`;
    const chunks: string[] = [];
    for (let i = 0; i < text.length; i += 64 * 1024) chunks.push(text.slice(i, i + 64 * 1024));
    const started = performance.now();
    const reading = (async () => {
      for await (const _ of readCsvRecords(Readable.from(chunks)));
    })();
    await expect(reading).rejects.toMatchObject({ line: 2 });
    const seconds = (performance.now() - started) / 1000;
    console.log(`8 MB single record (${_}): refused in ${seconds.toFixed(3)} s`);
    expect(seconds).toBeLessThan(3);
  });

  it('reads a record just under the limit, of many short cells, in time proportional to its bytes', async () => {
    const cells = Math.floor((MAX_RECORD_CHARS - 100) / 2);
    // The widest header an import reads, then a row of half a million cells: read, and refused for its count.
    const text = `domain${','.repeat(MAX_COLUMNS - 1)}\na.com${',x'.repeat(cells - 1)}\n`;
    const chunks: string[] = [];
    for (let i = 0; i < text.length; i += 64 * 1024) chunks.push(text.slice(i, i + 64 * 1024));
    const started = performance.now();
    const records = [];
    for await (const record of readCsv(Readable.from(chunks))) records.push(record);
    const seconds = (performance.now() - started) / 1000;
    console.log(`a header and a 1 MiB row of ${cells} cells: read in ${seconds.toFixed(3)} s`);
    expect(records.map((r) => r.kind)).toEqual(['header', 'error']);
    expect(records[1]).toMatchObject({ line: 2, message: `expected ${MAX_COLUMNS} columns, got ${cells}` });
    expect(seconds).toBeLessThan(3);
  });

  it(`refuses a header of more than ${MAX_COLUMNS} columns before reading a row`, async () => {
    const read = async () => {
      for await (const _ of readCsv(Readable.from([`domain${',c'.repeat(MAX_COLUMNS)}\na.com${','.repeat(MAX_COLUMNS)}\n`])));
    };
    await expect(read()).rejects.toThrow(CsvTooManyColumnsError);
    await expect(read()).rejects.toThrow(`The CSV header has 2,001 columns; an import reads at most 2,000`);
  });

  it('throws errors of the input stream', async () => {
    const input = new Readable({
      read() {
        this.push('domain\na.com\n');
        this.destroy(new Error('connection reset'));
      },
    });
    await expect(async () => {
      for await (const _ of readCsvRecords(input));
    }).rejects.toThrow('connection reset');
  });

  it('destroys the input when the reader stops early', async () => {
    const input = Readable.from(
      (function* () {
        yield 'domain\n';
        for (;;) yield 'a.com\n';
      })(),
    );
    for await (const record of readCsvRecords(input)) {
      if (record.kind === 'row') break;
    }
    await new Promise((resolve) => setImmediate(resolve));
    expect(input.destroyed).toBe(true);
  });

  it('streams 200,000 rows in flat memory', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heap = () => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    const total = 200_000;
    const description = 'a description long enough to make the input about 40 MB '.repeat(3);
    const input = Readable.from(
      (function* () {
        yield 'domain,name,employees,technologies,description\n';
        for (let i = 0; i < total; i += 1000) {
          let chunk = '';
          for (let j = i; j < i + 1000; j++) chunk += `c${j}.com,"Company ${j}",${j % 5000},"salesforce;snowflake","${description}"\n`;
          yield chunk;
        }
      })(),
    );
    const before = heap();
    let count = 0;
    let peakGrowth = 0;
    for await (const record of readCsvRecords(input)) {
      if (record.kind !== 'row') continue;
      count++;
      if (count % 50_000 === 0) peakGrowth = Math.max(peakGrowth, heap() - before);
    }
    expect(count).toBe(total);
    // Buffering the input (~40 MB of text) or the records would retain far more than this.
    expect(peakGrowth).toBeLessThan(8 * 1024 * 1024);
  });
});
