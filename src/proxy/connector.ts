import net from 'node:net';
import tls from 'node:tls';
import { type buildConnector, Pool } from 'undici';
import type { Timeouts } from './transport.js';
import { errorCode, UpstreamFailure } from './upstream-errors.js';

interface PinnedEndpoint {
  readonly protocol: 'http:' | 'https:';
  /** The name the certificate must carry and SNI announces. */
  readonly hostname: string;
  /** The checked address, the only one this connector ever dials. */
  readonly address: string;
  readonly port: number;
}

export interface ConnectorOptions {
  readonly connectTimeoutMs: number;
  readonly tlsTimeoutMs: number;
  /** Extra trust (a private CA); undefined means Node's default roots. */
  readonly ca?: string | Buffer | Array<string | Buffer>;
}

/** The transport's deadlines that a pool's connections and exchanges work to. */
type PoolTimeouts = Pick<Timeouts, 'connectMs' | 'tlsMs' | 'headersMs' | 'bodyIdleMs'>;

/**
 * A keep-alive pool for one origin that only ever dials `endpoint.address`. This module
 * is the proxy's one value import of undici: the transport loads it with its first call.
 */
export function pinnedPool(origin: string, endpoint: PinnedEndpoint, timeouts: PoolTimeouts, ca: ConnectorOptions['ca']): Pool {
  return new Pool(origin, {
    connect: pinnedConnector(endpoint, { connectTimeoutMs: timeouts.connectMs, tlsTimeoutMs: timeouts.tlsMs, ca }),
    headersTimeout: timeouts.headersMs,
    bodyTimeout: timeouts.bodyIdleMs,
  });
}

/**
 * An undici connector that dials a fixed, already-checked address and verifies TLS
 * against the hostname, so no second DNS lookup happens between check and connect.
 * TCP connect and the TLS handshake have separate deadlines (30 s / 10 s by default, as
 * Rancher's Go transport), and failures come out tagged, without addresses.
 */
function pinnedConnector(endpoint: PinnedEndpoint, options: ConnectorOptions): buildConnector.connector {
  return (_ignoredUndiciOptions, callback) => {
    let settled = false;
    const settle = (...args: Parameters<buildConnector.Callback>) => {
      if (settled) return;
      settled = true;
      callback(...args);
    };
    const socket = net.connect({ host: endpoint.address, port: endpoint.port, noDelay: true, keepAlive: true });
    const connectTimer = setTimeout(() => socket.destroy(new UpstreamFailure('connect-timeout', 'ETIMEDOUT')), options.connectTimeoutMs);
    socket.once('error', (error) => {
      clearTimeout(connectTimer);
      settle(error instanceof UpstreamFailure ? error : new UpstreamFailure('connect', errorCode(error) ?? 'connection failed'), null);
    });
    socket.once('connect', () => {
      clearTimeout(connectTimer);
      if (endpoint.protocol === 'http:') return settle(null, socket);
      startTls(socket, endpoint, options, settle);
    });
  };
}

function startTls(socket: net.Socket, endpoint: PinnedEndpoint, options: ConnectorOptions, settle: buildConnector.Callback): void {
  const secure = tls.connect({
    socket,
    // `host` is what the certificate is checked against; SNI may not carry an IP.
    host: endpoint.hostname,
    ...(net.isIP(endpoint.hostname) ? {} : { servername: endpoint.hostname }),
    ...(options.ca ? { ca: options.ca } : {}),
    ALPNProtocols: ['http/1.1'],
  });
  const tlsTimer = setTimeout(() => secure.destroy(new UpstreamFailure('tls-timeout', 'ETIMEDOUT')), options.tlsTimeoutMs);
  secure.once('error', (error) => {
    clearTimeout(tlsTimer);
    socket.destroy();
    settle(error instanceof UpstreamFailure ? error : new UpstreamFailure('tls', errorCode(error) ?? 'handshake failed'), null);
  });
  secure.once('secureConnect', () => {
    clearTimeout(tlsTimer);
    settle(null, secure);
  });
}
