import { describe, expect, it } from 'vitest';
import { keyringFromSecrets, signToken, verifyToken } from './token.js';

const oldKeys = keyringFromSecrets(['an-old-secret-that-is-long-enough-0000']);
const keys = keyringFromSecrets(['a-new-secret-that-is-long-enough-11111', 'an-old-secret-that-is-long-enough-0000']);
const now = new Date('2026-12-03T12:00:00Z');
const later = new Date('2026-12-31T00:00:00Z');

describe('link tokens', () => {
  it('a signed token verifies and carries its delivery id', () => {
    const token = signToken(keys, 'respond', 'dlv_123', later);
    expect(verifyToken(keys, 'respond', token, now)).toEqual({ ok: true, subject: 'dlv_123', expiresAt: later });
  });

  it('tokens signed with an older key still verify after rotation', () => {
    const token = signToken(oldKeys, 'respond', 'abc', later);
    expect(verifyToken(keys, 'respond', token, now).ok).toBe(true);
    // but a keyring that dropped the old key refuses it
    expect(verifyToken(keyringFromSecrets(['a-new-secret-that-is-long-enough-11111']), 'respond', token, now)).toEqual({ ok: false, problem: 'unknown_key' });
  });

  it('an altered subject, expiry or signature is refused', () => {
    const token = signToken(keys, 'respond', 'abc', later);
    const [kid, p, subject, exp, mac] = token.split('.');
    expect(verifyToken(keys, 'respond', [kid, p, 'abd', exp, mac].join('.'), now)).toEqual({ ok: false, problem: 'bad_signature' });
    expect(verifyToken(keys, 'respond', [kid, p, subject, 'zzzzzz', mac].join('.'), now)).toEqual({ ok: false, problem: 'bad_signature' });
    const flipped = mac.slice(0, -1) + (mac.endsWith('A') ? 'B' : 'A');
    expect(verifyToken(keys, 'respond', [kid, p, subject, exp, flipped].join('.'), now)).toEqual({ ok: false, problem: 'bad_signature' });
  });

  it('a truncated or garbage token is malformed, never an exception', () => {
    const token = signToken(keys, 'respond', 'abc', later);
    for (const bad of [token.slice(0, -3), token.slice(0, 10), '', '....', 'x'.repeat(500), undefined, 42, `${token}.extra`]) {
      expect(verifyToken(keys, 'respond', bad, now).ok).toBe(false);
    }
  });

  it('an expired token is refused', () => {
    const token = signToken(keys, 'respond', 'abc', new Date('2026-12-01T00:00:00Z'));
    expect(verifyToken(keys, 'respond', token, now)).toEqual({ ok: false, problem: 'expired' });
  });

  it('an unsubscribe token cannot be used to respond', () => {
    const token = signToken(keys, 'unsubscribe', 'abc', later);
    expect(verifyToken(keys, 'respond', token, now)).toEqual({ ok: false, problem: 'wrong_purpose' });
  });

  it('short secrets are refused with a message that says what to do', () => {
    expect(() => keyringFromSecrets(['short'])).toThrow(/at least 32/);
  });
});
