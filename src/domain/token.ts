/**
 * Signed link tokens: HMAC-SHA256 over purpose, subject (a delivery id) and expiry, with the key id
 * inside so keys can rotate. Pure: keys and `now` are passed in (node:crypto is computation, not I/O).
 *
 * Format: `<keyId>.<purpose>.<subject>.<expiry, unix seconds base36>.<mac, 128 bits base64url>`.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** What a token lets its bearer do. */
export type TokenPurpose = 'respond' | 'unsubscribe';

const PURPOSE_CODE: Record<TokenPurpose, string> = { respond: 'r', unsubscribe: 'u' };
const SUBJECT_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const MAC_LENGTH = 22; // 16 bytes in base64url
const MIN_SECRET_LENGTH = 32;

/** One signing key; the id is derived from the secret so nobody has to name keys. */
export interface SigningKey {
  id: string;
  secret: Buffer;
}

/** Keys newest first: the first signs, all verify. */
export type Keyring = readonly SigningKey[];

/** Builds a keyring from secrets, newest first. Throws with a plain message for a weak secret. */
export function keyringFromSecrets(secrets: readonly string[]): Keyring {
  if (secrets.length === 0) throw new Error('at least one secret key is needed');
  return secrets.map((secret, index) => {
    if (secret.length < MIN_SECRET_LENGTH) {
      throw new Error(`secret key ${index + 1} is ${secret.length} characters; use at least ${MIN_SECRET_LENGTH} random characters`);
    }
    const id = createHash('sha256').update(secret).digest('base64url').slice(0, 4);
    return { id, secret: Buffer.from(secret) };
  });
}

function mac(key: SigningKey, body: string): string {
  return createHmac('sha256', key.secret).update(body).digest('base64url').slice(0, MAC_LENGTH);
}

/** Signs a token for `subject` that is valid until `expiresAt`. */
export function signToken(keyring: Keyring, purpose: TokenPurpose, subject: string, expiresAt: Date): string {
  if (!SUBJECT_PATTERN.test(subject)) throw new Error(`token subject has characters a URL would mangle: ${subject}`);
  const key = keyring[0];
  const body = `${key.id}.${PURPOSE_CODE[purpose]}.${subject}.${Math.floor(expiresAt.getTime() / 1000).toString(36)}`;
  return `${body}.${mac(key, body)}`;
}

/** Why a token was refused. */
export type TokenProblem = 'malformed' | 'unknown_key' | 'bad_signature' | 'wrong_purpose' | 'expired';

export type TokenCheck =
  | { ok: true; subject: string; expiresAt: Date }
  | { ok: false; problem: TokenProblem };

/** Verifies a token for one purpose. Never throws: any input gives an answer. */
export function verifyToken(keyring: Keyring, purpose: TokenPurpose, token: unknown, now: Date): TokenCheck {
  if (typeof token !== 'string' || token.length > 200) return { ok: false, problem: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 5) return { ok: false, problem: 'malformed' };
  const [keyId, purposeCode, subject, expiry36, givenMac] = parts;
  if (!SUBJECT_PATTERN.test(subject) || !/^[0-9a-z]{1,11}$/.test(expiry36) || givenMac.length !== MAC_LENGTH) {
    return { ok: false, problem: 'malformed' };
  }
  const key = keyring.find((k) => k.id === keyId);
  if (!key) return { ok: false, problem: 'unknown_key' };
  const expected = Buffer.from(mac(key, `${keyId}.${purposeCode}.${subject}.${expiry36}`));
  const given = Buffer.from(givenMac);
  // Same length is checked above; timingSafeEqual keeps the comparison from leaking where it differs.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, problem: 'bad_signature' };
  // The purpose is checked after the MAC so an attacker learns nothing from the order of the checks.
  if (purposeCode !== PURPOSE_CODE[purpose]) return { ok: false, problem: 'wrong_purpose' };
  const expiresAt = new Date(parseInt(expiry36, 36) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, problem: 'expired' };
  return { ok: true, subject, expiresAt };
}
