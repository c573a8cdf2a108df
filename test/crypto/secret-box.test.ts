import { describe, expect, it } from 'vitest';
import { createSecretBox, generateKey, parseKeyList, SecretBoxError } from '../../src/crypto/secret-box.js';

describe('secret box (AES-256-GCM at rest)', () => {
  const key = generateKey();
  const box = createSecretBox([key]);

  it('round-trips a value and never stores it in clear', () => {
    const sealed = box.encrypt('AKIA-secret-value', 'cc-1:secretKey');
    expect(sealed).toMatch(/^v1\.[\w-]{8}\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('AKIA');
    expect(box.decrypt(sealed, 'cc-1:secretKey')).toBe('AKIA-secret-value');
  });

  it('uses a fresh nonce every time', () => {
    expect(box.encrypt('same', 'ctx')).not.toBe(box.encrypt('same', 'ctx'));
  });

  it('refuses a value moved to another context, tampered, or garbage', () => {
    const sealed = box.encrypt('value', 'cc-1:secretKey');
    expect(() => box.decrypt(sealed, 'cc-2:secretKey')).toThrow(SecretBoxError);
    const parts = sealed.split('.');
    parts[4] = Buffer.from('tampered').toString('base64url');
    expect(() => box.decrypt(parts.join('.'), 'cc-1:secretKey')).toThrow(SecretBoxError);
    expect(() => box.decrypt('plain text', 'cc-1:secretKey')).toThrow(SecretBoxError);
  });

  it('rotates: a new current key still reads values sealed with the old one', () => {
    const old = box.encrypt('before rotation', 'ctx');
    const rotated = createSecretBox([generateKey(), key]);
    expect(rotated.decrypt(old, 'ctx')).toBe('before rotation');
    expect(rotated.needsRotation(old)).toBe(true);
    const fresh = rotated.encrypt('after rotation', 'ctx');
    expect(rotated.needsRotation(fresh)).toBe(false);
    expect(() => box.decrypt(fresh, 'ctx')).toThrow(/unknown key/);
  });

  it('parses a comma-separated key list and rejects keys of the wrong size', () => {
    const other = generateKey();
    expect(parseKeyList(`${key.toString('base64')}, ${other.toString('base64')}`)).toEqual([key, other]);
    expect(() => parseKeyList('c2hvcnQ=')).toThrow(/32 bytes/);
    expect(() => createSecretBox([])).toThrow(SecretBoxError);
  });
});
