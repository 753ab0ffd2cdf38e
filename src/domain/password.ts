/** Password hashing with scrypt. Pure: the caller supplies the random salt. */
import { scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

const COST = 16384; // N=2^14, r=8, p=1: the scrypt defaults, about 50 ms per hash on a small server
const KEY_LENGTH = 32;

/** Hashes a password into a self-describing string `scrypt$N$salt$hash`. */
export function hashPassword(password: string, salt: Buffer): string {
  const hash = scryptSync(password.normalize('NFKC'), salt, KEY_LENGTH, { N: COST });
  return `scrypt$${COST}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/**
 * Checks a password against a stored hash in constant time; false for any malformed hash.
 * Asynchronous: scrypt runs on the thread pool, so a login does not stall survey clicks.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, cost, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash || !/^\d+$/.test(cost)) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize('NFKC'), Buffer.from(salt, 'base64url'), expected.length, { N: Number(cost) }, (error, key) => (error ? reject(error) : resolve(key))),
  );
  return timingSafeEqual(actual, expected);
}
