/** Password hashing with scrypt. Pure: the caller supplies the random salt. */
import { scryptSync, timingSafeEqual } from 'node:crypto';

const COST = 16384; // N=2^14, r=8, p=1: the scrypt defaults, about 50 ms per hash on a small server
const KEY_LENGTH = 32;

/** Hashes a password into a self-describing string `scrypt$N$salt$hash`. */
export function hashPassword(password: string, salt: Buffer): string {
  const hash = scryptSync(password.normalize('NFKC'), salt, KEY_LENGTH, { N: COST });
  return `scrypt$${COST}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** Checks a password against a stored hash in constant time; false for any malformed hash. */
export function verifyPassword(password: string, stored: string): boolean {
  const [scheme, cost, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash || !/^\d+$/.test(cost)) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = scryptSync(password.normalize('NFKC'), Buffer.from(salt, 'base64url'), expected.length, { N: Number(cost) });
  return timingSafeEqual(actual, expected);
}
