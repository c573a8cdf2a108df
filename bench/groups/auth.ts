// What a credential costs per request: SHA-256 of the secret against a cached row, the
// rate-limit count and the setting it reads. Same route, same answer, with and without;
// the request log is measured the same way (LOG_LEVEL=info against silent). The
// credential check and the count cannot be switched off for a request that needs them,
// so their share of a cached read is read from a CPU profile of the server under it.
import type { CallFrame } from '../lib/cpu-profile.js';
import { measureProfiledShare } from '../lib/profiled-share.js';
import { measureThroughput } from '../lib/throughput-group.js';
import type { LoadRequest } from '../lib/load.js';
import type { BenchGroup, BenchOptions } from '../lib/types.js';

const rootPath = { method: 'GET' as const, path: '/v3', headers: { accept: 'application/json' } };
const meRead = { method: 'GET' as const, path: `/graphql?query=${encodeURIComponent('{ me { id username } }')}`, headers: { accept: 'application/json' } };
const silent = 'GET /v3 root, Bearer key, LOG_LEVEL=silent';

/**
 * Admission: the router's `admit`/`identify`, parsing the credential, the key's cached
 * lookup and its SHA-256, the count (rate-limiter-flexible) with the setting it reads, and
 * the rate-limit headers. By function where a file holds other work too.
 */
const admissionFrames: { file: RegExp; functions?: RegExp }[] = [
  { file: /\/src\/auth\/(authenticate|credentials|secrets|failed-authentications)\.ts$/ },
  { file: /\/src\/rate-limit\/request-limiter\.ts$/ },
  { file: /\/node_modules\/rate-limiter-flexible\// },
  { file: /\/src\/http\/router\.ts$/, functions: /^(admit|identify)$/ },
  { file: /\/src\/services\/tokens\.ts$/, functions: /^(authenticate|lookup|touch)$/ },
  { file: /\/src\/services\/settings\.ts$/, functions: /^numberValue$/ },
  { file: /\/src\/app\.ts$/, functions: /^(authenticateRequest|countRequest)$/ },
  { file: /\/src\/http\/caller\.ts$/ },
];
const isAdmission = (frame: CallFrame) =>
  admissionFrames.some(({ file, functions }) => file.test(frame.url) && (!functions || functions.test(frame.functionName)));

/**
 * The request log: its listener and line (src/http/request-log.ts, request-line-writer.ts),
 * the batched output (src/logger.ts, also when its timer gathers the lines), pino and
 * sonic-boom beneath it.
 */
const isRequestLog = (frame: CallFrame) =>
  /\/src\/http\/request-(log|line-writer)\.ts$|\/src\/logger\.ts$|\/node_modules\/(pino|sonic-boom|quick-format-unescaped|atomic-sleep)\//.test(frame.url);

/** A part's share of the server's CPU under `request`, sent with the bench admin's key as Bearer. */
interface Share {
  part: string;
  isPart: (frame: CallFrame) => boolean;
  target: string;
  read: string;
  request: LoadRequest;
  env?: Record<string, string>;
}
const shareOf = ({ part, read, ...share }: Share, options: BenchOptions) =>
  measureProfiledShare({ name: `${part}, share of the server CPU: ${read}`, server: 'app', authenticated: true, ...share }, options);
const admission = { part: 'credential check + rate-limit count', isPart: isAdmission, target: '≤ 5 %' };
const requestLog = { part: 'request log', isPart: isRequestLog, target: '≤ 3 %', env: { BENCH_LOG_LEVEL: 'info' } };

export const group: BenchGroup = {
  name: 'auth',
  run: async (options) => [
    ...(await measureThroughput(
      [
        // CPU per request beside the rate: two server processes differ in throughput by as
        // much as the 3 % budget, their CPU per request much less.
        { name: silent, server: 'app', authenticated: true, request: rootPath, serverCpu: {} },
        {
          name: 'GET /v3 root, Bearer key, LOG_LEVEL=info (request log to /dev/null)',
          server: 'app',
          env: { BENCH_LOG_LEVEL: 'info' },
          authenticated: true,
          request: rootPath,
          baseline: [silent],
          target: '≥ 0.97× (log ≤ 3 %)',
          serverCpu: { target: '≥ 0.97× (log ≤ 3 %)' },
        },
        { name: 'GET /v3 root, Basic key', server: 'app', authenticated: 'basic', request: rootPath, baseline: [silent] },
        { name: 'GET /ping (no credential, no face)', server: 'app', request: { method: 'GET', path: '/ping' }, baseline: [silent] },
      ],
      options,
      // Each round its own processes: the log's two servers once read 0.75× by CPU for a whole run, a fast silent one.
      { processPerRound: true },
    )),
    // The /v3 root is a document made once: the cheapest answer there is, so the strictest
    // reading of the budget. A GraphQL read of the caller themselves for comparison.
    await shareOf({ ...admission, read: 'GET /v3 root (Bearer key)', request: rootPath }, options),
    await shareOf({ ...admission, read: 'GraphQL GET { me { id username } } (Bearer key)', request: meRead }, options),
    // The same readings for the log, steadier than two processes' rates: on the root and,
    // as for admission, on a GraphQL read of the caller.
    await shareOf({ ...requestLog, read: 'GET /v3 root, Bearer key, LOG_LEVEL=info', request: rootPath }, options),
    await shareOf({ ...requestLog, read: 'GraphQL GET { me { id username } }, Bearer key, LOG_LEVEL=info', request: meRead }, options),
  ],
};
