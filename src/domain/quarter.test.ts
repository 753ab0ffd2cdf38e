import { describe, expect, it } from 'vitest';
import { formatQuarter, nextQuarter, parseQuarter, previousQuarter, quarterOf, quarterStart } from './quarter.js';

describe('quarters', () => {
  it('parses and formats "2026-Q4", rejecting anything else', () => {
    expect(parseQuarter('2026-Q4')).toEqual({ year: 2026, q: 4 });
    expect(formatQuarter({ year: 2026, q: 1 })).toBe('2026-Q1');
    for (const bad of ['2026-Q5', '2026Q4', 'Q4-2026', '26-Q1', '']) expect(parseQuarter(bad)).toBeNull();
  });

  it('wraps around the year', () => {
    expect(previousQuarter({ year: 2026, q: 1 })).toEqual({ year: 2025, q: 4 });
    expect(nextQuarter({ year: 2026, q: 4 })).toEqual({ year: 2027, q: 1 });
  });

  it('reads the quarter on the wall clock of the schedule time zone', () => {
    const newYearInBerlin = new Date('2026-12-31T23:30:00Z'); // 00:30 on 1 Jan 2027 in Berlin
    expect(quarterOf(newYearInBerlin, 'UTC')).toEqual({ year: 2026, q: 4 });
    expect(quarterOf(newYearInBerlin, 'Europe/Berlin')).toEqual({ year: 2027, q: 1 });
  });

  it('starts a quarter at local midnight', () => {
    expect(quarterStart({ year: 2027, q: 1 }, 'UTC').toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(quarterStart({ year: 2027, q: 1 }, 'Europe/Berlin').toISOString()).toBe('2026-12-31T23:00:00.000Z');
    expect(quarterStart({ year: 2026, q: 3 }, 'America/New_York').toISOString()).toBe('2026-07-01T04:00:00.000Z');
  });
});
