import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API-key secrets: 256 random bits, shown once, stored as SHA-256. A fast hash is
 * right here (unlike for passwords): a 256-bit random secret cannot be guessed or
 * looked up, so a slow KDF would only make every request slower.
 */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return hash('sha256', secret, 'hex');
}

/** `expected`: the stored hash (`hashSecret`'s hex) decoded to its 32 bytes. */
export function secretMatches(secret: string, expected: Buffer): boolean {
  // One-shot hashing: no Hash object per request (createHash's was 2 % of a proxied call).
  const actual = hash('sha256', secret, 'buffer');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
