// The limit: node:http answering fixed bytes, no routing, no parsing.
import { createServer } from 'node:http';
import { announce } from './announce.js';

const body = JSON.stringify({ data: { hello: 'world' } });
const server = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
});
server.listen(0, '127.0.0.1', () => announce(server));
