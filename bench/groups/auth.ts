// What a credential costs per request: SHA-256 of the secret against a cached row, the
// rate-limit count and the setting it reads. Same route, same answer, with and without;
// the request log is measured the same way (LOG_LEVEL=info against silent).
import { measureThroughput } from '../lib/throughput-group.js';
import type { BenchGroup } from '../lib/types.js';

const rootPath = { method: 'GET' as const, path: '/v3', headers: { accept: 'application/json' } };
const silent = 'GET /v3 root, Bearer key, LOG_LEVEL=silent';

export const group: BenchGroup = {
  name: 'auth',
  run: (options) =>
    measureThroughput(
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
    ),
};
