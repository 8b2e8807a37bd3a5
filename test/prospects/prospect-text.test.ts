import { describe, expect, it } from 'vitest';
import { explanationOfStoredText, shownProspectText, storedProspectText } from '../../src/prospects/prospect-text.ts';
import type { Prospect } from '../../src/prospects/schema.ts';
import { account } from '../support/accounts.ts';

const NOW = new Date('2026-11-20T12:00:00Z');

const prospect = (name: string): Omit<Prospect, 'tier'> => ({
  domain: 'acme.com',
  name,
  score: 0.71234,
  subscores: { fit: 0.8, similarity: 0.5, intent: 0.3, criteria: null },
  reasons: [
    { feature: 'tech:snowflake', label: 'Uses Snowflake — 7 of 9 won accounts do', direction: 'positive', weight: 0.12 },
    { feature: 'intent:web_visit', label: 'Visited your website — 3 times, last ', direction: 'positive', weight: 0.4 },
  ],
  similarTo: [{ domain: 'won.example', similarity: 0.9 }],
  account: account({ domain: 'acme.com', name, technologies: ['snowflake'] }),
  dataCoverage: { share: 0.5, missing: [] },
});
const LAST_VISIT = '2026-11-16T08:00:00.000Z';
const reasonsOf = (p: Omit<Prospect, 'tier'>) => [p.reasons[0], { ...p.reasons[1], lastAt: LAST_VISIT }];

describe('stored prospect texts', () => {
  it('read as the prospect with its tier and the age of its intent reason filled in, in the schema order of fields', () => {
    const p = prospect('Acme "Cloud" — Ünïcode');
    const stored = storedProspectText(p, reasonsOf(p));
    expect(stored).not.toBeNull();
    const shown = shownProspectText(stored!, 'B', NOW).text;
    const expected = {
      domain: p.domain,
      name: p.name,
      score: p.score,
      tier: 'B',
      subscores: p.subscores,
      reasons: [p.reasons[0], { ...p.reasons[1], label: 'Visited your website — 3 times, last 4 days ago' }],
      similarTo: p.similarTo,
      account: p.account,
      dataCoverage: p.dataCoverage,
    };
    expect(JSON.parse(shown)).toEqual(expected);
    expect(Object.keys(JSON.parse(shown))).toEqual(Object.keys(expected));
    // The same stored text, read later and under other cut-offs.
    expect(JSON.parse(shownProspectText(stored!, 'D', new Date('2026-12-20T12:00:00Z')).text)).toMatchObject({
      tier: 'D',
      reasons: [{}, { label: 'Visited your website — 3 times, last 5 weeks ago' }],
    });
  });

  it('read the same until the first of their ages would change, and for ever without an age', () => {
    const p = prospect('Acme');
    const stored = storedProspectText(p, reasonsOf(p))!;
    const shown = shownProspectText(stored, 'B', NOW);
    // Last visit 2026-11-16 08:00: "4 days ago" at NOW, "5 days ago" from 2026-11-21 08:00.
    expect(new Date(shown.sameUntil).toISOString()).toBe('2026-11-21T08:00:00.000Z');
    expect(shownProspectText(stored, 'B', new Date(shown.sameUntil - 1)).text).toBe(shown.text);
    expect(shownProspectText(stored, 'B', new Date(shown.sameUntil)).text).not.toBe(shown.text);
    expect(shownProspectText(storedProspectText(p, [p.reasons[0], p.reasons[1]])!, 'B', NOW).sameUntil).toBe(Number.POSITIVE_INFINITY);
  });

  it('are not stored for an account whose text holds the hole marker, raw or escaped: such a row is rendered when read', () => {
    for (const name of ['Acme \u0001 Inc', 'Acme \\u0001 Inc']) {
      const p = prospect(name);
      expect(storedProspectText(p, reasonsOf(p))).toBeNull();
    }
  });

  it('are checked against the Prospect schema when stored', () => {
    const p = { ...prospect('Acme'), score: 'high' as unknown as number };
    expect(() => storedProspectText(p, reasonsOf(p))).toThrow();
  });

  it('give back the explanation they were written from, the intent reason with the time of its last signal', () => {
    const p = prospect('Acme "Cloud" \u2014 \u00dcn\u00efcode');
    const stored = storedProspectText(p, reasonsOf(p))!;
    expect(explanationOfStoredText(stored)).toEqual({ reasons: reasonsOf(p), similarTo: p.similarTo });
    expect(explanationOfStoredText(storedProspectText(p, p.reasons)!)).toEqual({ reasons: p.reasons, similarTo: p.similarTo });
  });
});
