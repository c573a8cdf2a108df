import pg from 'pg';

/**
 * The databases every database-backed suite runs against: the embedded PGlite and
 * the PostgreSQL server at TEST_DATABASE_URL (default: the local `test` database).
 *
 * Off CI, an unreachable PostgreSQL skips its half of the suite with a warning; on
 * CI (CI=true) it fails the run, so the scale-out mode is never silently untested.
 */
export type DatabaseTarget = { name: 'pglite' } | { name: 'postgres'; url: string };

export const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const postgresReachable = await canConnect(postgresUrl);
if (!postgresReachable) {
  const message = `PostgreSQL at ${postgresUrl} is not reachable`;
  if (process.env.CI) throw new Error(`${message}; CI must test the scale-out mode`);
  console.warn(`WARNING: ${message}; skipping the PostgreSQL half of the suite`);
}

export const databaseTargets: DatabaseTarget[] = [{ name: 'pglite' }, ...(postgresReachable ? [{ name: 'postgres' as const, url: postgresUrl }] : [])];

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A fresh PostgreSQL schema inside the test database, so suites and concurrent runs
 * never see each other's rows. The returned URL selects it with `?schema=`.
 */
export async function createScratchSchema(baseUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  await withClient(baseUrl, (client) => client.query(`CREATE SCHEMA "${schema}"`));
  const url = new URL(baseUrl);
  url.searchParams.set('schema', schema);
  return {
    url: url.toString(),
    drop: () => withClient(baseUrl, (client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)).then(() => undefined),
  };
}

export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
