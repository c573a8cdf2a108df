import { describe, expect, it } from 'vitest';
import { hashSecret, newSecret, secretMatches } from '../../src/auth/secrets.js';

describe('API-key secrets', () => {
  it('match their own stored hash and no other', () => {
    const secret = newSecret();
    const stored = hashSecret(secret);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(secretMatches(secret, stored)).toBe(true);
    expect(secretMatches(newSecret(), stored)).toBe(false);
    // One character off, at either end.
    expect(secretMatches(`${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`, stored)).toBe(false);
    expect(secretMatches(secret, `${stored[0] === 'a' ? 'b' : 'a'}${stored.slice(1)}`)).toBe(false);
  });

  it('never match a stored value of another length, including none', () => {
    const secret = newSecret();
    const stored = hashSecret(secret);
    expect(secretMatches(secret, stored.slice(0, 63))).toBe(false);
    expect(secretMatches(secret, `${stored}0`)).toBe(false);
    expect(secretMatches(secret, '')).toBe(false);
  });
});
