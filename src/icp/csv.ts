/**
 * The profile's tables as CSV, for spreadsheets: one row per attribute value or per segment.
 * Numbers are written as numbers; intervals as two columns.
 */
import { csvLine } from '../lib/csv.ts';
import type { IcpAttribute, IcpSegment } from './schema.ts';

type Cell = string | number | null;

function toCsv<T>(rows: T[], columns: Record<string, (row: T) => Cell>): string {
  const lines = [Object.keys(columns), ...rows.map((row) => Object.values(columns).map((cell) => cell(row)))];
  return lines.map(csvLine).join('');
}

export const attributesCsv = (attributes: IcpAttribute[]) =>
  toCsv(attributes, {
    attribute: (a) => a.attribute,
    value: (a) => a.value,
    label: (a) => a.label,
    strength: (a) => a.strength,
    lift: (a) => a.lift,
    liftLow: (a) => a.liftInterval.low,
    liftHigh: (a) => a.liftInterval.high,
    wonWith: (a) => a.wonWith,
    universeWith: (a) => a.universeWith,
    wonShare: (a) => a.wonShare,
    universeShare: (a) => a.universeShare,
    pValue: (a) => a.pValue,
    qValue: (a) => a.qValue,
  });

export const segmentsCsv = (segments: IcpSegment[]) =>
  toCsv(segments, {
    segment: (s) => s.label,
    matching: (s) => s.matching,
    untouched: (s) => s.untouched,
    won: (s) => s.won,
    lost: (s) => s.lost,
    churned: (s) => s.churned,
    winRate: (s) => s.winRate,
    winRateLift: (s) => s.winRateLift,
    churnRate: (s) => s.churnRate,
    averageDealValue: (s) => s.averageDealValue,
    lift: (s) => s.lift,
    liftLow: (s) => s.liftInterval.low,
    liftHigh: (s) => s.liftInterval.high,
    pValue: (s) => s.pValue,
  });
