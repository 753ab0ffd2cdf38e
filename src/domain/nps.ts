/** Net Promoter Score maths: pure functions over counts, no I/O. */

export type NpsCategory = 'promoter' | 'passive' | 'detractor';

/** The tallies a result is computed from. */
export interface ScoreCounts {
  promoters: number;
  passives: number;
  detractors: number;
}

/** A computed result: `nps` and `marginOfError` are null when nobody answered (undefined, not 0). */
export interface NpsSummary extends ScoreCounts {
  responses: number;
  delivered: number;
  nps: number | null;
  responseRate: number | null;
  marginOfError: number | null;
}

/** True for the whole numbers 0..10, the only scores the question allows. */
export function isValidScore(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 10;
}

/** 9-10 promote, 7-8 are passive, 0-6 detract. */
export function categorize(score: number): NpsCategory {
  if (!isValidScore(score)) throw new RangeError(`score must be a whole number 0..10, got ${score}`);
  if (score >= 9) return 'promoter';
  if (score >= 7) return 'passive';
  return 'detractor';
}

/** Tallies a list of scores into promoters, passives and detractors. */
export function countScores(scores: Iterable<number>): ScoreCounts {
  const counts: ScoreCounts = { promoters: 0, passives: 0, detractors: 0 };
  for (const score of scores) {
    const category = categorize(score);
    if (category === 'promoter') counts.promoters++;
    else if (category === 'passive') counts.passives++;
    else counts.detractors++;
  }
  return counts;
}

/** Rounds to one decimal, half away from zero, and never returns -0. */
export function roundOneDecimal(value: number): number {
  const rounded = Math.sign(value) * Math.round(Math.abs(value) * 10 + Number.EPSILON) / 10;
  return rounded === 0 ? 0 : rounded;
}

/**
 * The full summary for one group of responses.
 *
 * NPS = 100 * (P - D) / n, with P promoters, D detractors, n responses.
 * Its 95% margin of error treats each answer as +1 / 0 / -1: the variance of that mean is
 * (p + d - (p - d)^2) / n with p = P/n, d = D/n, so MoE = 1.96 * 100 * sqrt(variance), times the
 * finite population correction sqrt((N - n) / (N - 1)) because a B2B client list is small and a
 * campaign that hears from nearly everyone knows its score almost exactly (N = delivered).
 */
export function summarize(counts: ScoreCounts, delivered: number): NpsSummary {
  const responses = counts.promoters + counts.passives + counts.detractors;
  if (responses === 0) {
    return { ...counts, responses, delivered, nps: null, responseRate: delivered > 0 ? 0 : null, marginOfError: null };
  }
  const p = counts.promoters / responses;
  const d = counts.detractors / responses;
  const variance = Math.max(0, p + d - (p - d) ** 2) / responses;
  const population = Math.max(delivered, responses);
  const fpc = population > 1 ? Math.sqrt((population - responses) / (population - 1)) : 0;
  return {
    ...counts,
    responses,
    delivered,
    nps: roundOneDecimal(100 * (p - d)),
    responseRate: delivered > 0 ? roundOneDecimal((100 * responses) / delivered) : null,
    marginOfError: roundOneDecimal(196 * Math.sqrt(variance) * fpc),
  };
}

/** What a score means for the business, per the thresholds the company uses. */
export function interpretNps(nps: number | null): string {
  if (nps === null) return 'No responses yet';
  if (nps >= 60) return 'Excellent: clients like this buy more from you';
  if (nps > 45) return 'Good';
  if (nps >= 30) return 'Solid: clients like this stay';
  if (nps >= 20) return 'At risk: clients like this take the other guys\u2019 call';
  if (nps >= 10) return 'Weak: clients like this are already trying the competition';
  return 'Critical: more clients would warn others off than recommend you';
}

/** Formats a possibly-undefined NPS for people: "+33.3", "-12", or "n/a". */
export function formatNps(nps: number | null): string {
  if (nps === null) return 'n/a';
  return nps > 0 ? `+${nps}` : String(nps);
}
