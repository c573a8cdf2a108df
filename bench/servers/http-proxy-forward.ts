// The peer: `http-proxy` (node-http-proxy) doing a bare forward to BENCH_UPSTREAM over
// keep-alive connections, as a typical Node reverse proxy does.
import { Agent, createServer } from 'node:http';
import httpProxy from 'http-proxy';
import { announce } from './announce.js';

const proxy = httpProxy.createProxyServer({ target: process.env.BENCH_UPSTREAM!, agent: new Agent({ keepAlive: true }) });
const server = createServer((request, response) =>
  proxy.web(request, response, {}, () => {
    if (!response.headersSent) response.writeHead(502);
    response.end();
  }),
);
server.listen(0, '127.0.0.1', () => announce(server));
