/** Application-made ids: 128 random bits, URL-safe, the same on SQLite and PostgreSQL. */
import { randomBytes } from 'node:crypto';

/** A new random id, 22 characters of base64url. */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}

/** The current time as the ISO string every table stores. */
export function isoNow(now: Date = new Date()): string {
  return now.toISOString();
}
