// The floor for memory: PGlite with its defaults in a temporary directory, and
// node:http answering each request with one query. What the embedded database costs
// before any of this product runs.
import { createServer } from 'node:http';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { announce } from './announce.js';
import { scratchDirectory } from './scratch-directory.js';

const database = new PGlite(path.join(await scratchDirectory('cattle-graph-bench-bare-'), 'pgdata'));
await database.waitReady;
const server = createServer((_request, response) => {
  void database.query<{ now: string }>('SELECT now()::text AS now').then(({ rows }) => response.end(JSON.stringify(rows)));
});
server.listen(0, '127.0.0.1', () => announce(server));
process.on('SIGTERM', () => void database.close().then(() => process.exit(0)));
