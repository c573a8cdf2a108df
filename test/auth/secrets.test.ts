import { describe, expect, it } from 'vitest';
import { hashSecret, newSecret, secretMatches } from '../../src/auth/secrets.js';

/** The stored hash as the key cache holds it: decoded once per lookup. */
const decoded = (hex: string) => Buffer.from(hex, 'hex');

describe('API-key secrets', () => {
  it('match their own stored hash and no other', () => {
    const secret = newSecret();
    const stored = hashSecret(secret);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(secretMatches(secret, decoded(stored))).toBe(true);
    expect(secretMatches(newSecret(), decoded(stored))).toBe(false);
    // One character off, at either end.
    expect(secretMatches(`${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`, decoded(stored))).toBe(false);
    expect(secretMatches(secret, decoded(`${stored[0] === 'a' ? 'b' : 'a'}${stored.slice(1)}`))).toBe(false);
  });

  it('never match a stored value of another length, including none', () => {
    const secret = newSecret();
    const stored = decoded(hashSecret(secret));
    expect(secretMatches(secret, stored.subarray(0, 31))).toBe(false);
    expect(secretMatches(secret, Buffer.concat([stored, Buffer.from([0])]))).toBe(false);
    expect(secretMatches(secret, Buffer.alloc(0))).toBe(false);
  });
});
