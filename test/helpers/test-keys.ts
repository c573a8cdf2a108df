import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Certificates and SSH keys made at test time with the openssl and ssh-keygen CLIs (no
 * private key is committed), with what those tools themselves say about them, so the
 * server's parsing is checked against an independent reader.
 */
export interface TestCertificate {
  certs: string;
  key: string;
  /** `openssl x509 -serial`: the serial in upper-case hexadecimal. */
  serialNumber: string;
  /** `openssl x509 -fingerprint -sha1`: colon-separated upper-case hexadecimal. */
  fingerprint: string;
}

export function makeCertificate(commonName: string, alternativeNames: string[]): TestCertificate {
  return inScratch((directory) => {
    const key = path.join(directory, 'key.pem');
    const cert = path.join(directory, 'cert.pem');
    run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '30',
      '-subj',
      `/CN=${commonName}`,
      '-addext',
      `subjectAltName=${alternativeNames.join(',')}`,
    ]);
    const facts = run('openssl', ['x509', '-in', cert, '-noout', '-serial', '-fingerprint', '-sha1']);
    return {
      certs: readFileSync(cert, 'utf8'),
      key: readFileSync(key, 'utf8'),
      serialNumber: /serial=(\w+)/.exec(facts)![1]!,
      fingerprint: /Fingerprint=([\w:]+)/.exec(facts)![1]!,
    };
  });
}

/** An Ed25519 key in OpenSSH form and its fingerprint as `ssh-keygen -l` prints it. */
export function makeSshKey(): { privateKey: string; fingerprint: string } {
  return inScratch((directory) => {
    const file = path.join(directory, 'id');
    run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'test', '-f', file]);
    return { privateKey: readFileSync(file, 'utf8'), fingerprint: run('ssh-keygen', ['-l', '-f', `${file}.pub`]).split(' ')[1]! };
  });
}

function run(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

function inScratch<T>(work: (directory: string) => T): T {
  const directory = mkdtempSync(path.join(tmpdir(), 'test-keys-'));
  try {
    return work(directory);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
