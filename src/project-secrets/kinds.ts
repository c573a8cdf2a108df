import { z } from 'zod';
import { invalidInput } from '../errors.js';
import type { ProjectSecretKind } from '../generated/prisma/client.js';
import { certificateFacts } from './certificates.js';
import { sshFingerprint } from './ssh-keys.js';

/**
 * Rancher's project secret family (project.cattle.io/v3: certificates,
 * dockerCredentials, basicAuths, sshAuths, serviceAccountTokens), declared once each as
 * data: its fields, which are write-only, and the rule that checks what is given and
 * derives what is shown. src/schema/resources/project-secret.ts makes each kind two
 * resource types from this — project-wide and namespaced — and the service seals the
 * write-only fields; nothing else knows a kind.
 */
export interface SecretKindDeclaration {
  kind: ProjectSecretKind;
  /** The project-wide type (`Certificate`); the namespaced one is `Namespaced<typeName>`. */
  typeName: string;
  /** The project-wide list (`certificates`); the namespaced one is `namespaced<ListName>`. */
  listName: string;
  /** What Kubernetes calls the secret's type. */
  kubernetesType: string;
  description: string;
  fields: readonly SecretKindField[];
  /** False: made in the cluster (service account tokens), never through the API. */
  writable: boolean;
  /**
   * Checks the given fields (on update, only those given) against what is stored, and
   * answers every readable field and every write-only value to seal.
   */
  derive(given: Readonly<Record<string, unknown>>, stored: StoredSecret): DerivedSecret;
}

export interface SecretKindField {
  name: string;
  type: 'string' | 'stringList' | 'dateTime' | 'registries';
  description: string;
  /** Taken on create and update (`required`: on create). Absent: derived, shown only. */
  input?: 'required' | 'optional';
  /** Write-only: stored sealed, never returned. */
  secret?: boolean;
}

/** What a stored secret holds: its readable fields, and its sealed ones opened on demand. */
export interface StoredSecret {
  publicFields: Readonly<Record<string, unknown>>;
  secret(name: string): string | undefined;
}

interface DerivedSecret {
  publicFields: Record<string, unknown>;
  /** Write-only values (plain) to seal, merged over those stored. */
  secrets: Record<string, string>;
  /** `secrets` is the whole set (keyed by what the input names, as registries are): drop the stored ones. */
  replaceSecrets?: boolean;
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
const unchanged = (stored: StoredSecret): DerivedSecret => ({ publicFields: { ...stored.publicFields }, secrets: {} });
/** `{ name: value }` when a value is given, `{}` otherwise. */
const sealing = (name: string, value: string | undefined): Record<string, string> => (value === undefined ? {} : { [name]: value });

/** A registry host as Docker names it: a host name or address, with an optional port. */
const registryHost = z
  .string()
  .max(253)
  .regex(/^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?(:[0-9]{1,5})?$/, 'registry hosts are host names with an optional :port');

const registryEntry = z
  .object({
    username: z.string().min(1).max(1024),
    password: z
      .string()
      .max(64 * 1024)
      .optional()
      .nullable(),
    auth: z
      .string()
      .max(64 * 1024)
      .optional()
      .nullable(),
    email: z.string().max(1024).optional().nullable(),
    description: z.string().max(4096).optional().nullable(),
  })
  .strict();

/** The input rule of `registries`: host → username, write-only password (or auth), email, description. */
export const registriesInput = z
  .record(registryHost, registryEntry)
  .refine((registries) => Object.keys(registries).length > 0, 'name at least one registry')
  .refine((registries) => Object.keys(registries).length <= 100, 'at most 100 registries');

type RegistryEntry = z.infer<typeof registryEntry>;

const certificate: SecretKindDeclaration = {
  kind: 'certificate',
  typeName: 'Certificate',
  listName: 'certificates',
  kubernetesType: 'kubernetes.io/tls',
  description:
    'A TLS certificate chain and its private key (Rancher’s certificate). The chain is parsed: its first certificate’s facts are shown; the key is write-only and must be that certificate’s.',
  writable: true,
  fields: [
    { name: 'certs', type: 'string', input: 'required', description: 'The PEM certificate chain, the server’s certificate first.' },
    { name: 'key', type: 'string', input: 'required', secret: true, description: 'The PEM private key of the first certificate; write-only.' },
    { name: 'cn', type: 'string', description: 'The first certificate’s subject common name.' },
    { name: 'issuer', type: 'string', description: 'The common name of its issuer (the whole issuer name when it has none).' },
    { name: 'subjectAlternativeNames', type: 'stringList', description: 'Its DNS names and IP addresses.' },
    { name: 'issuedAt', type: 'dateTime', description: 'The start of its validity.' },
    { name: 'expiresAt', type: 'dateTime', description: 'The end of its validity.' },
    { name: 'algorithm', type: 'string', description: 'Its public key’s algorithm: rsa, ec, ed25519, …' },
    { name: 'keySize', type: 'string', description: 'Its public key’s size in bits (RSA modulus, EC curve).' },
    { name: 'serialNumber', type: 'string', description: 'Its serial number, in hexadecimal.' },
    { name: 'certFingerprint', type: 'string', description: 'Its SHA-1 fingerprint, colon-separated hexadecimal.' },
    { name: 'version', type: 'string', description: 'Its X.509 version (1–3).' },
  ],
  derive(given, stored) {
    const certs = text(given.certs) ?? text(stored.publicFields.certs);
    // The key must match whichever chain the secret ends up with: a new chain is checked against the stored key.
    const key = text(given.key) ?? (given.certs === undefined ? undefined : stored.secret('key'));
    if (certs === undefined) throw invalidInput('certs', 'certs is required', 'MissingRequired');
    if (given.certs === undefined && key === undefined) return unchanged(stored);
    return { publicFields: { certs, ...certificateFacts(certs, key) }, secrets: sealing('key', key) };
  },
};

const dockerCredential: SecretKindDeclaration = {
  kind: 'dockerCredential',
  typeName: 'DockerCredential',
  listName: 'dockerCredentials',
  kubernetesType: 'kubernetes.io/dockerconfigjson',
  description: 'Credentials for container registries (Rancher’s dockerCredential), used to pull images.',
  writable: true,
  fields: [
    {
      name: 'registries',
      type: 'registries',
      input: 'required',
      description:
        'Registry host (`index.docker.io`, `registry.example.com:5000`) → `{ username, password, auth, email, description }`. `password` and `auth` are write-only: answers show `username`, `email` and `description`. On update the map replaces the stored one; a host kept without a password keeps its stored password.',
    },
  ],
  derive(given, stored) {
    if (given.registries === undefined) return unchanged(stored);
    const registries = given.registries as Record<string, RegistryEntry>;
    const shown: Record<string, Record<string, string>> = {};
    const secrets: Record<string, string> = {};
    for (const [host, entry] of Object.entries(registries)) {
      const password = entry.password ?? stored.secret(`${host}/password`);
      const auth = entry.auth ?? stored.secret(`${host}/auth`);
      if (!password && !auth) throw invalidInput(`registries.${host}.password`, `registry ${host} needs a password (or auth)`, 'MissingRequired');
      if (password) secrets[`${host}/password`] = password;
      if (auth) secrets[`${host}/auth`] = auth;
      shown[host] = { username: entry.username, email: entry.email ?? '', description: entry.description ?? '' };
    }
    return { publicFields: { registries: shown }, secrets, replaceSecrets: true };
  },
};

const basicAuth: SecretKindDeclaration = {
  kind: 'basicAuth',
  typeName: 'BasicAuth',
  listName: 'basicAuths',
  kubernetesType: 'kubernetes.io/basic-auth',
  description: 'A user name and password (Rancher’s basicAuth); the password is write-only.',
  writable: true,
  fields: [
    { name: 'username', type: 'string', input: 'required', description: 'The user name.' },
    { name: 'password', type: 'string', input: 'required', secret: true, description: 'The password; write-only.' },
  ],
  derive: (given, stored) => ({
    publicFields: { username: text(given.username) ?? text(stored.publicFields.username) ?? '' },
    secrets: sealing('password', text(given.password)),
  }),
};

const sshAuth: SecretKindDeclaration = {
  kind: 'sshAuth',
  typeName: 'SshAuth',
  listName: 'sshAuths',
  kubernetesType: 'kubernetes.io/ssh-auth',
  description: 'An SSH private key (Rancher’s sshAuth), e.g. for Git over SSH. The key is write-only; its public key’s fingerprint is shown.',
  writable: true,
  fields: [
    { name: 'privateKey', type: 'string', input: 'required', secret: true, description: 'The private key, in OpenSSH or PEM form; write-only.' },
    { name: 'certFingerprint', type: 'string', description: 'The public key’s fingerprint as `ssh-keygen -l` prints it (SHA256:…).' },
  ],
  derive(given, stored) {
    const privateKey = text(given.privateKey);
    if (privateKey === undefined) return unchanged(stored);
    return { publicFields: { certFingerprint: sshFingerprint(privateKey) }, secrets: { privateKey } };
  },
};

const serviceAccountToken: SecretKindDeclaration = {
  kind: 'serviceAccountToken',
  typeName: 'ServiceAccountToken',
  listName: 'serviceAccountTokens',
  kubernetesType: 'kubernetes.io/service-account-token',
  description:
    'A Kubernetes service account’s token (Rancher’s serviceAccountToken). Read-only: tokens are made in the cluster for its service accounts, never through the API; the token itself is never returned.',
  writable: false,
  fields: [
    { name: 'accountName', type: 'string', description: 'The service account’s name.' },
    { name: 'accountUid', type: 'string', description: 'The service account’s UID.' },
    { name: 'caCrt', type: 'string', description: 'The cluster’s CA certificate (PEM) that goes with the token.' },
  ],
  derive: (_given, stored) => unchanged(stored),
};

export const secretKinds: readonly SecretKindDeclaration[] = [certificate, dockerCredential, basicAuth, sshAuth, serviceAccountToken];
