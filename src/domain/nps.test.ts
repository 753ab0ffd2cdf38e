import { describe, expect, it } from 'vitest';
import { categorize, countScores, formatNps, interpretNps, isValidScore, summarize } from './nps.js';

describe('NPS maths', () => {
  it('counts 9-10 as promoters, 7-8 as passives, 0-6 as detractors', () => {
    expect([0, 6, 7, 8, 9, 10].map(categorize)).toEqual(['detractor', 'detractor', 'passive', 'passive', 'promoter', 'promoter']);
  });

  it('rejects scores outside 0..10 and fractions', () => {
    for (const bad of [-1, 11, 7.5, Number.NaN, '7']) expect(isValidScore(bad)).toBe(false);
    expect(() => categorize(11)).toThrow(RangeError);
  });

  it('with no responses the NPS is undefined, not 0', () => {
    const s = summarize({ promoters: 0, passives: 0, detractors: 0 }, 10);
    expect(s.nps).toBeNull();
    expect(s.marginOfError).toBeNull();
    expect(s.responseRate).toBe(0);
    expect(formatNps(s.nps)).toBe('n/a');
  });

  it('all promoters score 100 and all detractors -100', () => {
    expect(summarize(countScores([9, 10, 10]), 3).nps).toBe(100);
    expect(summarize(countScores([0, 3, 6]), 5).nps).toBe(-100);
  });

  it('passives count in the base but not in the score', () => {
    const s = summarize(countScores([10, 8, 8, 2]), 4);
    expect(s).toMatchObject({ promoters: 1, passives: 2, detractors: 1, responses: 4, nps: 0, responseRate: 100 });
  });

  it('rounds to one decimal, half away from zero, never -0', () => {
    expect(summarize(countScores([10, 7, 7]), 3).nps).toBe(33.3);
    expect(summarize(countScores([10, 10, 7]), 3).nps).toBe(66.7);
    expect(summarize(countScores([1, 7, 7]), 3).nps).toBe(-33.3);
    expect(summarize(countScores([10, 1, 8]), 3).nps).toBe(0);
    expect(Object.is(summarize(countScores([10, 1]), 2).nps, 0)).toBe(true);
    // 1/8 = 12.5% exactly: rounds away from zero
    expect(summarize(countScores([10, 7, 7, 7, 7, 7, 7, 7]), 8).nps).toBe(12.5);
  });

  it('margin of error shrinks to 0 when everyone answered and grows with few answers', () => {
    const everyone = summarize(countScores([10, 5, 8, 9]), 4);
    expect(everyone.marginOfError).toBe(0);
    const few = summarize(countScores([10, 5, 8, 9]), 400);
    expect(few.marginOfError).toBeGreaterThan(50);
    // 50 promoters, 50 detractors out of an effectively infinite base: 1.96 * 100 * 1/sqrt(100) = 19.6
    const half = summarize({ promoters: 50, passives: 0, detractors: 50 }, 10_000_000);
    expect(half.marginOfError).toBeCloseTo(19.6, 1);
  });

  it('response rate is responses over delivered, undefined when nothing was delivered', () => {
    expect(summarize(countScores([10]), 3).responseRate).toBe(33.3);
    expect(summarize({ promoters: 0, passives: 0, detractors: 0 }, 0).responseRate).toBeNull();
  });
});

describe('what a score means', () => {
  it('follows the thresholds shown next to a score', () => {
    expect(interpretNps(null)).toBe('No responses yet');
    expect(interpretNps(60)).toMatch(/buy more/);
    expect(interpretNps(50)).toMatch(/^Good/);
    expect(interpretNps(30)).toMatch(/stay/);
    expect(interpretNps(20)).toMatch(/other guys/);
    expect(interpretNps(10)).toMatch(/trying the competition/);
    expect(interpretNps(-5)).toMatch(/^Critical/);
    expect(formatNps(33.3)).toBe('+33.3');
    expect(formatNps(-12)).toBe('-12');
  });
});

