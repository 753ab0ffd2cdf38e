/** Application-made ids: 128 random bits, URL-safe, the same on SQLite and PostgreSQL. */
import { randomBytes } from 'node:crypto';

/** A new random id, 22 characters of base64url. */
export function newId(): string {
  // Never starting with "-" or "_", so an id pasted into a command line is not read as an option.
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (/^[A-Za-z0-9]/.test(id)) return id;
  }
}

/** The current time as the ISO string every table stores. */
export function isoNow(now: Date = new Date()): string {
  return now.toISOString();
}
