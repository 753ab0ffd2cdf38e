import { describe, expect, it } from 'vitest';
import { isScoreBurst } from './scanner.js';

describe('scanner bursts', () => {
  it('a person changing their mind is not a burst; three different scores within the window are', () => {
    expect(isScoreBurst(1)).toBe(false);
    expect(isScoreBurst(2)).toBe(false);
    expect(isScoreBurst(3)).toBe(true);
    expect(isScoreBurst(11)).toBe(true);
  });
});
