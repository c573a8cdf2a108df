// /v3 lists against the GraphQL query with the same selection, on PGlite and on
// PostgreSQL, plus the framework floor (raw node:http, a bare Yoga).
import { documents } from '../../rest-compat/execute/documents.js';
import { deriveApiModel } from '../../rest-compat/schemas/derive.js';
import { schema } from '../../src/schema/index.js';
import { postgresReachable, scratchSchema } from '../lib/postgres.js';
import { measureThroughput, type ThroughputScenario } from '../lib/throughput-group.js';
import type { BenchGroup } from '../lib/types.js';

const json = { 'content-type': 'application/json' };
// What /v3 runs for a page of clusters, asked through GraphQL: the very document /v3
// generates (every field a Norman resource shows), so both faces do the same work
// before writing their answer.
const clusterList = documents.list(deriveApiModel(schema).bindings.get('cluster')!);
const clustersAllFields = (first: number) => JSON.stringify({ query: clusterList, variables: { first } });
const v3Page = (limit: number) => ({ method: 'GET' as const, path: `/v3/clusters?limit=${limit}`, headers: { accept: 'application/json' } });

export const group: BenchGroup = {
  name: 'v3',
  async run(options) {
    const scenarios: ThroughputScenario[] = [
      { name: 'raw node:http, fixed bytes (the limit)', server: 'raw', request: { method: 'GET', path: '/' } },
      {
        name: 'graphql-yoga hello world (the peer)',
        server: 'yoga-hello',
        request: { method: 'POST', path: '/graphql', body: '{"query":"{ hello }"}', headers: json },
        baseline: ['raw node:http, fixed bytes (the limit)'],
      },
    ];
    const databases: Array<{ label: string; env: Record<string, string> }> = [{ label: 'PGlite', env: { BENCH_CLUSTERS: '100' } }];
    const schema = (await postgresReachable()) ? scratchSchema() : undefined;
    if (schema) databases.push({ label: 'PostgreSQL', env: { BENCH_CLUSTERS: '100', BENCH_DATABASE_URL: schema.url } });
    for (const { label, env } of databases) {
      const graphql = `GraphQL 100 clusters, the /v3 selection (${label})`;
      scenarios.push(
        {
          name: graphql,
          server: 'app',
          env,
          authenticated: true,
          request: { method: 'POST', path: '/graphql', body: clustersAllFields(100), headers: json },
          baseline: ['graphql-yoga hello world (the peer)'],
          serverCpu: {},
        },
        {
          name: `/v3 page of 100 clusters (${label})`,
          server: 'app',
          env,
          authenticated: true,
          request: v3Page(100),
          baseline: [graphql],
          target: '≥ 1.0×',
          // CPU of this server's process: PGlite's work included, PostgreSQL's (another process) not, for both faces alike.
          serverCpu: { target: '≥ 1.0×' },
        },
      );
    }
    try {
      // A server under these pages keeps getting faster for about a minute (7.8 → 5.2 ms of
      // CPU a page on one process, by hand, 2026-12-06; its code tiering up, not traced
      // further), and both faces of a database share one process: with a short warm-up the
      // rounds measured that trend, which favours whichever face runs later.
      return await measureThroughput(scenarios, options, { warmupSeconds: 30 });
    } finally {
      await schema?.drop();
    }
  },
};
