import { hash, randomBytes } from 'node:crypto';

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

/** `expected`: the stored hash, `hashSecret`'s hex. */
export function secretMatches(secret: string, expected: string): boolean {
  // Hex rather than bytes: Node 20's one-shot hash makes a Buffer result through a slow
  // path (≈ 1.5–2 µs a call against ≈ 0.3–0.5 µs for hex, on every authenticated request).
  return constantTimeEqual(hash('sha256', secret, 'hex'), expected);
}

/** Whether two strings are equal, in a time that depends on their length only. */
function constantTimeEqual(actual: string, expected: string): boolean {
  if (actual.length !== expected.length) return false;
  let difference = 0;
  for (let index = 0; index < actual.length; index += 1) difference |= actual.charCodeAt(index) ^ expected.charCodeAt(index);
  return difference === 0;
}
