import { createHash } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import aws4 from 'aws4';
import { generate } from 'selfsigned';
import { ApiError } from '../../src/errors.js';
import {
  createTransport,
  handleMetaProxy,
  type AuditRecord,
  type CredentialResolver,
  type ProxyCaller,
  type ProxyDependencies,
  type Resolver,
  type Timeouts,
} from '../../src/proxy/index.js';

/** What an echo upstream saw. */
export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  rawHeaders: string[];
  body: Buffer;
}

export interface Upstream {
  readonly port: number;
  readonly seen: Seen[];
  close(): Promise<void>;
}

/** A self-signed certificate for `localhost` and 127.0.0.1, made fresh per run. */
export async function localhostCertificate(): Promise<{ key: string; cert: string }> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

/**
 * A real upstream on 127.0.0.1 that records each request (body included) and answers
 * with `respond`, by default an echo of what it saw as JSON.
 */
export async function startUpstream(
  respond: (seen: Seen, response: ServerResponse, request: IncomingMessage) => void | Promise<void> = echo,
  tls?: { key: string; cert: string },
): Promise<Upstream> {
  const seen: Seen[] = [];
  const listener: RequestListener = async (request, response) => {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of request) chunks.push(chunk as Buffer);
    } catch {
      return; // the proxy gave up on this request (a test of exactly that)
    }
    const record = { method: request.method!, url: request.url!, headers: request.headers, rawHeaders: request.rawHeaders, body: Buffer.concat(chunks) };
    seen.push(record);
    await respond(record, response, request);
  };
  const server: Server = tls ? createTlsServer(tls, listener) : createServer(listener);
  return { port: await listen(server), seen, close: () => closeServer(server) };
}

export function echo(seen: Seen, response: ServerResponse): void {
  const body = JSON.stringify({ method: seen.method, url: seen.url, headers: seen.headers, bodyLength: seen.body.length, bodySha256: sha256(seen.body) });
  response.writeHead(200, { 'content-type': 'application/json' }).end(body);
}

/** The header names a SigV4 Authorization says it signed. */
export function signedHeaderNames(seen: Seen): string[] {
  return /SignedHeaders=([^,]+)/.exec(String(seen.headers.authorization))![1]!.split(';');
}

/** What AWS does on receipt: rebuild the canonical request from what arrived and sign it again. */
export function recomputedAuthorization(seen: Seen, keys: { accessKey: string; secretKey: string }): string {
  const [, region, service] = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\//.exec(String(seen.headers.authorization))!;
  const headers = Object.fromEntries(
    signedHeaderNames(seen)
      .filter((name) => name !== 'host')
      .map((name) => [name, String(seen.headers[name])]),
  );
  const signed = aws4.sign(
    { host: seen.headers.host, method: seen.method, path: seen.url, service, region, headers, ...(seen.body.length ? { body: seen.body } : {}) },
    { accessKeyId: keys.accessKey, secretAccessKey: keys.secretKey },
  );
  return String(signed.headers!.Authorization);
}

export const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

export interface StoredCredential {
  owner: string;
  fields: Record<string, string>;
  allowedHosts: string[];
}

export interface ProxyHarness {
  readonly port: number;
  /** The dependencies the route uses, for calling the core directly. */
  readonly deps: ProxyDependencies;
  /** Allow-list entries, mutable: changes apply to the next request. */
  readonly allow: string[];
  readonly credentials: Map<string, StoredCredential>;
  readonly audit: AuditRecord[];
  /** Sends through the proxy; `path` is what follows /meta/proxy/. */
  send(path: string, options?: SendOptions): Promise<Answer>;
  close(): Promise<void>;
}

export interface SendOptions {
  method?: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  caller?: ProxyCaller | null;
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

export const alice: ProxyCaller = { id: 'u-alice' };
export const mallory: ProxyCaller = { id: 'u-mallory' };

export interface HarnessOptions {
  allow?: string[];
  ca?: string;
  resolve?: Resolver;
  timeouts?: Partial<Timeouts>;
  requestBodyLimit?: number;
}

/**
 * The REST route on a bare node:http server, with an in-memory credential store that
 * answers PERMISSION_DENIED for both "not yours" and "no such credential".
 */
export async function startProxy(options: HarnessOptions = {}): Promise<ProxyHarness> {
  const allow = [...(options.allow ?? [])];
  const credentials = new Map<string, StoredCredential>();
  const audit: AuditRecord[] = [];
  const resolveCredential: CredentialResolver = async (id, caller) => {
    const stored = credentials.get(id);
    if (!stored || stored.owner !== caller.id) throw new ApiError('PERMISSION_DENIED', 'you may not use this credential');
    return { fields: stored.fields, allowedHosts: stored.allowedHosts };
  };
  const deps: ProxyDependencies = {
    allowList: { whitelistDomains: async () => allow },
    credentials: resolveCredential,
    audit: { info: (record) => audit.push(record) },
    transport: createTransport({ timeouts: options.timeouts, ...(options.ca ? { ca: options.ca } : {}) }),
    ...(options.resolve ? { resolve: options.resolve } : {}),
    ...(options.requestBodyLimit ? { requestBodyLimit: options.requestBodyLimit } : {}),
  };
  const server = createServer((request, response) => {
    const header = request.headers['x-test-caller'];
    const caller = header === undefined ? alice : header === 'none' ? undefined : (JSON.parse(String(header)) as ProxyCaller);
    void handleMetaProxy(request, response, caller, deps).catch(() => response.destroy());
  });
  const port = await listen(server);
  return {
    port,
    allow,
    credentials,
    audit,
    deps,
    async send(path, { method = 'GET', headers = {}, body, caller } = {}) {
      const callerHeader = caller === undefined ? {} : { 'x-test-caller': caller === null ? 'none' : JSON.stringify(caller) };
      // node:http rather than undici: it lets tests send Connection, Upgrade and the like.
      const response = await new Promise<IncomingMessage>((resolve, reject) => {
        const outgoing = httpRequest({ host: '127.0.0.1', port, method, path: `/meta/proxy/${path}`, headers: { ...headers, ...callerHeader } }, resolve);
        outgoing.once('error', reject);
        outgoing.end(body);
      });
      const chunks: Buffer[] = [];
      for await (const chunk of response) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString();
      return { status: response.statusCode!, headers: response.headers, text, json: () => JSON.parse(text) };
    },
    async close() {
      await deps.transport.close();
      await closeServer(server);
    },
  };
}

export async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
