/** Calendar quarters ("2026-Q4"), computed in a given IANA time zone. Pure: `now` is passed in. */

export interface Quarter {
  year: number;
  q: 1 | 2 | 3 | 4;
}

const QUARTER_PATTERN = /^(\d{4})-Q([1-4])$/;

/** Parses "2026-Q4"; returns null for anything else. */
export function parseQuarter(text: string): Quarter | null {
  const match = QUARTER_PATTERN.exec(text.trim());
  if (!match) return null;
  return { year: Number(match[1]), q: Number(match[2]) as Quarter['q'] };
}

/** "2026-Q4". */
export function formatQuarter(quarter: Quarter): string {
  return `${quarter.year}-Q${quarter.q}`;
}

/** True when the zone is one the runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock parts of an instant in a time zone. */
function wallClock(instant: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
    hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** The quarter an instant falls in, as seen on the wall clock of `timeZone`. */
export function quarterOf(instant: Date, timeZone: string): Quarter {
  const { year, month } = wallClock(instant, timeZone);
  return { year, q: (Math.floor((month - 1) / 3) + 1) as Quarter['q'] };
}

/** The quarter before. */
export function previousQuarter({ year, q }: Quarter): Quarter {
  return q === 1 ? { year: year - 1, q: 4 } : { year, q: (q - 1) as Quarter['q'] };
}

/** The quarter after. */
export function nextQuarter({ year, q }: Quarter): Quarter {
  return q === 4 ? { year: year + 1, q: 1 } : { year, q: (q + 1) as Quarter['q'] };
}

/** The instant the quarter starts: midnight of its first day in `timeZone`. */
export function quarterStart({ year, q }: Quarter, timeZone: string): Date {
  const month = (q - 1) * 3;
  // Start from UTC midnight and correct by the zone's offset; twice, in case the offset differs
  // between the guess and the answer (a DST change near midnight).
  let guess = Date.UTC(year, month, 1);
  for (let i = 0; i < 2; i++) {
    const wall = wallClock(new Date(guess), timeZone);
    const wallAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
    guess += Date.UTC(year, month, 1) - wallAsUtc;
  }
  return new Date(guess);
}

/** Cron pattern for "midnight on the first day of each quarter" (run with the zone as `tz`). */
export const QUARTER_START_CRON = '0 0 1 1,4,7,10 *';
