// The limit for a proxy built on undici: node:http in, one keep-alive undici pool to
// BENCH_UPSTREAM, the answer streamed straight into the response (undici's `stream`,
// its fastest API). No authentication, allow list, header rules or audit: what
// forwarding itself costs.
import { createServer } from 'node:http';
import { Pool } from 'undici';
import { announce } from './announce.js';

const upstream = new Pool(process.env.BENCH_UPSTREAM!);
const server = createServer((request, response) => {
  upstream
    .stream({ path: request.url!, method: 'GET', headers: { accept: request.headers.accept ?? '*/*' } }, ({ statusCode, headers }) => {
      response.writeHead(statusCode, headers as Record<string, string>);
      return response;
    })
    .catch(() => {
      if (!response.headersSent) response.writeHead(502);
      response.end();
    });
});
server.listen(0, '127.0.0.1', () => announce(server));
// Exits on SIGTERM as the other servers do, so a server started with --cpu-prof writes its profile.
process.on('SIGTERM', () => process.exit(0));
