import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { invalidInput } from '../errors.js';

/** What Rancher shows of a certificate chain: its first (leaf) certificate's facts. */
export interface CertificateFacts {
  cn: string;
  issuer: string;
  subjectAlternativeNames: string[];
  issuedAt: string;
  expiresAt: string;
  algorithm: string;
  keySize: string;
  serialNumber: string;
  certFingerprint: string;
  version: string;
}

const pemBlock = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Parses a PEM chain (leaf first) and, when given, checks that `keyPem` is the leaf's
 * private key. Anything that is not a chain of PEM certificates, or a key that is not
 * the leaf's, is the caller's mistake (INVALID_INPUT on the field at fault).
 */
export function certificateFacts(certs: string, keyPem?: string): CertificateFacts {
  const blocks = certs.match(pemBlock) ?? [];
  if (blocks.length === 0) throw invalidInput('certs', 'certs must hold one or more PEM certificates (-----BEGIN CERTIFICATE-----)', 'InvalidFormat');
  const chain = blocks.map((block, index) => {
    try {
      return new X509Certificate(block);
    } catch {
      throw invalidInput('certs', `certificate ${index + 1} of the chain is not a valid X.509 certificate`, 'InvalidFormat');
    }
  });
  const leaf = chain[0]!;
  if (keyPem !== undefined && !leaf.checkPrivateKey(privateKeyOf(keyPem, 'key'))) {
    throw invalidInput('key', 'the key is not the private key of the first certificate in certs', 'InvalidFormat');
  }
  return {
    cn: attribute(leaf.subject, 'CN') ?? '',
    issuer: attribute(leaf.issuer, 'CN') ?? leaf.issuer.replace(/\n/g, ', '),
    subjectAlternativeNames: alternativeNames(leaf.subjectAltName),
    issuedAt: new Date(leaf.validFrom).toISOString(),
    expiresAt: new Date(leaf.validTo).toISOString(),
    algorithm: leaf.publicKey.asymmetricKeyType ?? '',
    keySize: String(keySizeOf(leaf.publicKey)),
    serialNumber: leaf.serialNumber,
    certFingerprint: leaf.fingerprint,
    version: String(versionOf(leaf.raw)),
  };
}

/** A PEM private key, or INVALID_INPUT on `fieldName`. */
export function privateKeyOf(pem: string, fieldName: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch {
    throw invalidInput(fieldName, `${fieldName} is not a PEM private key (or it is encrypted)`, 'InvalidFormat');
  }
}

/** `CN=example.com` out of Node's newline-separated distinguished name. */
function attribute(name: string, key: string): string | undefined {
  return name
    .split('\n')
    .find((line) => line.startsWith(`${key}=`))
    ?.slice(key.length + 1);
}

/** `DNS:a.example.com, IP Address:10.0.0.1` → the names alone, as Rancher lists them. */
function alternativeNames(subjectAltName: string | undefined): string[] {
  if (!subjectAltName) return [];
  return subjectAltName.split(', ').map((entry) => entry.slice(entry.indexOf(':') + 1));
}

/** RSA: the modulus' bits; EC: the curve's; Ed25519/Ed448: their fixed sizes. */
function keySizeOf(key: KeyObject): number {
  const details = key.asymmetricKeyDetails;
  if (details?.modulusLength) return details.modulusLength;
  const curveBits: Record<string, number> = { prime256v1: 256, 'P-256': 256, secp384r1: 384, 'P-384': 384, secp521r1: 521, 'P-521': 521 };
  if (details?.namedCurve) return curveBits[details.namedCurve] ?? 0;
  const fixedBits: Record<string, number> = { ed25519: 256, ed448: 456 };
  return fixedBits[key.asymmetricKeyType ?? ''] ?? 0;
}

/**
 * The X.509 version (1–3) from the DER: Node does not expose it. The TBSCertificate
 * starts with an explicit [0] version only for v2 and v3; absent, it is v1.
 */
function versionOf(der: Buffer): number {
  const tbs = contentStart(der, 0);
  const first = contentStart(der, tbs);
  if (der[first] !== 0xa0) return 1;
  // [0] { INTEGER version }: the integer's one content byte holds version − 1.
  return der[contentStart(der, contentStart(der, first))]! + 1;
}

/** Offset of the content of the DER element whose tag is at `offset` (short or long length form). */
function contentStart(der: Buffer, offset: number): number {
  const length = der[offset + 1]!;
  return offset + 2 + (length & 0x80 ? length & 0x7f : 0);
}
