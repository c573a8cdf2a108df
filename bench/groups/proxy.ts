// The meta proxy against a bare undici forwarder (the limit) and http-proxy (the peer),
// all forwarding GET / to one upstream (raw node:http answering fixed bytes).
import { startServer } from '../lib/servers.js';
import { measureThroughput } from '../lib/throughput-group.js';
import type { BenchGroup } from '../lib/types.js';

const limit = 'undici forwarding to the upstream (the limit)';
const peer = 'http-proxy bare forward (the peer)';

export const group: BenchGroup = {
  name: 'proxy',
  async run(options) {
    const upstream = await startServer('raw');
    try {
      const env = { BENCH_UPSTREAM: upstream.url };
      return await measureThroughput(
        [
          { name: limit, server: 'undici-forward', env, request: { method: 'GET', path: '/' }, serverCpu: {} },
          { name: peer, server: 'http-proxy-forward', env, request: { method: 'GET', path: '/' }, baseline: [limit], serverCpu: {} },
          {
            name: 'this server: /meta/proxy/ to the upstream (PGlite)',
            server: 'app',
            env,
            authenticated: true,
            request: { method: 'GET', path: `/meta/proxy/http:/127.0.0.1:${upstream.port}/` },
            baseline: [limit, peer],
            target: '≥ 0.8× undici, ≥ 1.0× http-proxy',
            // The same target read as CPU: the ratio is the baseline's CPU per request over ours.
            serverCpu: { target: '≥ 0.8× undici, ≥ 1.0× http-proxy' },
          },
        ],
        options,
        // Each round its own processes: one slow process once read 0.73× for a whole run.
        { processPerRound: true },
      );
    } finally {
      await upstream.stop();
    }
  },
};
