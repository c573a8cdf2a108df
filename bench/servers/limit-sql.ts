// The limit for the clusters list: node:http, one SQL statement on the same database
// (node-postgres, or PGlite directly), JSON.stringify of the same answer. No GraphQL,
// no ORM, no authentication — what no real server can beat.
import { createServer } from 'node:http';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { announce } from './announce.js';
import { clusterCount } from './cluster-fixture.js';
import { openFixtureDatabase } from './fixture-database.js';

// Prisma stores DateTime as `timestamp` without zone, in UTC; read it back as UTC.
process.env.TZ = 'UTC';

const sql = `SELECT c.id, c.name, upper(c.state::text) AS state, c."createdAt", c.labels,
  (SELECT count(*)::int FROM "Project" p WHERE p."clusterId" = c.id) AS projects
  FROM "Cluster" c ORDER BY c.id LIMIT ${clusterCount}`;

interface Row {
  id: string;
  name: string;
  state: string;
  createdAt: Date;
  labels: unknown;
  projects: number;
}

const query = await connect();
const server = createServer((request, response) => {
  // Read the body as a real server must, then answer from one statement.
  request.resume();
  request.on('end', async () => {
    const rows = await query();
    const edges = rows.map((row) => ({
      node: { id: row.id, name: row.name, state: row.state, created: row.createdAt.toISOString(), labels: row.labels, projects: { totalCount: row.projects } },
    }));
    const body = JSON.stringify({ data: { clusters: { edges } } });
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    response.end(body);
  });
});
server.listen(0, '127.0.0.1', () => announce(server));

/** The statement's runner on the fixture's database (migrated and seeded first). */
async function connect(): Promise<() => Promise<Row[]>> {
  const { database, dataDir } = await openFixtureDatabase();
  await database.close();
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) {
    const pglite = new PGlite(`${dataDir}/pgdata`);
    return async () => (await pglite.query<Row>(sql)).rows;
  }
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  const pool = new pg.Pool({ connectionString: parsed.toString(), max: 10, ...(schema ? { options: `-c search_path="${schema}"` } : {}) });
  return async () => (await pool.query<Row>(sql)).rows;
}
