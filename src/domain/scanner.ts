/**
 * Telling a mail scanner from a person. A scanner that runs the page's script "clicks" every score
 * of a message within seconds; a person picks one, and may change their mind once or twice. Pure.
 */

/** How far back a burst is looked for. */
export const BURST_WINDOW_MS = 60_000;

/** Different scores posted for one delivery within the window that make it a burst. */
export const BURST_DISTINCT_SCORES = 3;

/** True when the scores posted within the window look like a machine, not a person. */
export function isScoreBurst(distinctScoresInWindow: number): boolean {
  return distinctScoresInWindow >= BURST_DISTINCT_SCORES;
}
