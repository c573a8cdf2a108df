import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Encryption at rest for secret fields (cloud-credential secrets, project secrets):
 * AES-256-GCM with a random 96-bit nonce per value, and the key's id stored with
 * the ciphertext so keys can be rotated:
 *
 *   v1.<keyId>.<nonce>.<tag>.<ciphertext>      (each part base64url)
 *
 * A key ring has one current key (encrypts) and any number of older keys (decrypt
 * only). Rotation: put the new key first, keep the old ones; values are re-encrypted
 * with the current key whenever they are written, and `needsRotation` tells which
 * stored values still use an old key.
 */
export interface SecretBox {
  encrypt(plaintext: string, context: string): string;
  decrypt(sealed: string, context: string): string;
  needsRotation(sealed: string): boolean;
}

export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
}

/**
 * @param keys 32-byte keys, current first.
 * The `context` of encrypt/decrypt (e.g. `cloudCredential:cc-abcde:secretKey`) is
 * authenticated data: a value copied to another row or field does not decrypt.
 */
export function createSecretBox(keys: readonly Buffer[]): SecretBox {
  if (keys.length === 0) throw new SecretBoxError('at least one encryption key is required');
  for (const key of keys) if (key.length !== 32) throw new SecretBoxError('encryption keys must be 32 bytes (AES-256)');
  const ring = new Map(keys.map((key) => [keyIdOf(key), key]));
  const currentId = keyIdOf(keys[0]!);

  return {
    encrypt(plaintext, context) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', ring.get(currentId)!, nonce);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', currentId, nonce.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
    },

    decrypt(sealed, context) {
      const [version, keyId, nonce, tag, ciphertext] = sealed.split('.');
      if (version !== 'v1' || !keyId || !nonce || !tag || ciphertext === undefined) throw new SecretBoxError('not an encrypted value');
      const key = ring.get(keyId);
      if (!key) throw new SecretBoxError(`value was encrypted with an unknown key (${keyId}); is an old key missing from the ring?`);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'));
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretBoxError('value does not decrypt: wrong key, wrong context, or tampered');
      }
    },

    needsRotation(sealed) {
      return sealed.split('.')[1] !== currentId;
    },
  };
}

/** A short public fingerprint of a key, stored with each value to pick the key. */
function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('secret-box key id').update(key).digest('base64url').slice(0, 8);
}

/** Parses `base64key[,base64key…]`, current key first. */
export function parseKeyList(text: string): Buffer[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const key = Buffer.from(part, 'base64');
      if (key.length !== 32) throw new SecretBoxError('each encryption key must be 32 bytes, base64-encoded');
      return key;
    });
}

export function generateKey(): Buffer {
  return randomBytes(32);
}
