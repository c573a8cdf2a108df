import { createHash, createPublicKey } from 'node:crypto';
import { invalidInput } from '../errors.js';
import { privateKeyOf } from './certificates.js';

const opensshBlock = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]+?)-----END OPENSSH PRIVATE KEY-----/;
const opensshMagic = 'openssh-key-v1\0';

/**
 * The OpenSSH fingerprint (`SHA256:<base64>`, as `ssh-keygen -l` prints it) of the
 * public half of a private key in OpenSSH form (what `ssh-keygen` writes) or PEM
 * (PKCS#1, PKCS#8, SEC1). Anything else is INVALID_INPUT on `privateKey`.
 */
export function sshFingerprint(privateKey: string): string {
  const blob = publicKeyBlob(privateKey);
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

function publicKeyBlob(privateKey: string): Buffer {
  const openssh = opensshBlock.exec(privateKey);
  return openssh ? opensshPublicBlob(Buffer.from(openssh[1]!.replace(/\s+/g, ''), 'base64')) : pemPublicBlob(privateKey);
}

/** The openssh-key-v1 container keeps the public key in clear, even when the private part is encrypted. */
function opensshPublicBlob(data: Buffer): Buffer {
  const malformed = () => invalidInput('privateKey', 'privateKey is not a well-formed OpenSSH private key', 'InvalidFormat');
  if (data.subarray(0, opensshMagic.length).toString('latin1') !== opensshMagic) throw malformed();
  let offset = opensshMagic.length;
  const next = () => {
    if (offset + 4 > data.length) throw malformed();
    const length = data.readUInt32BE(offset);
    const value = data.subarray(offset + 4, offset + 4 + length);
    if (value.length !== length) throw malformed();
    offset += 4 + length;
    return value;
  };
  next(); // cipher name
  next(); // KDF name
  next(); // KDF options
  if (offset + 4 > data.length || data.readUInt32BE(offset) < 1) throw malformed();
  offset += 4;
  return next();
}

/** The SSH wire form of a PEM key's public half (RFC 4253 §6.6, RFC 5656, RFC 8709). */
function pemPublicBlob(pem: string): Buffer {
  const key = createPublicKey(privateKeyOf(pem, 'privateKey'));
  const jwk = key.export({ format: 'jwk' });
  const bytes = (value: string | undefined) => Buffer.from(value ?? '', 'base64url');
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return sshStrings('ssh-rsa', mpint(bytes(jwk.e)), mpint(bytes(jwk.n)));
    case 'ed25519':
      return sshStrings('ssh-ed25519', bytes(jwk.x));
    case 'ec': {
      const curve = { 'P-256': 'nistp256', 'P-384': 'nistp384', 'P-521': 'nistp521' }[jwk.crv ?? ''];
      if (!curve) break;
      return sshStrings(`ecdsa-sha2-${curve}`, curve, Buffer.concat([Buffer.from([4]), bytes(jwk.x), bytes(jwk.y)]));
    }
  }
  throw invalidInput('privateKey', `SSH keys are RSA, ECDSA (P-256/384/521) or Ed25519, not ${key.asymmetricKeyType}`, 'InvalidFormat');
}

/** A positive multiple-precision integer: a leading zero byte when the top bit is set. */
function mpint(value: Buffer): Buffer {
  return value[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), value]) : value;
}

function sshStrings(...parts: Array<string | Buffer>): Buffer {
  return Buffer.concat(
    parts.flatMap((part) => {
      const value = typeof part === 'string' ? Buffer.from(part) : part;
      const length = Buffer.alloc(4);
      length.writeUInt32BE(value.length);
      return [length, value];
    }),
  );
}
