// Lists at a million rows (issue 12, item 4): the first page of clusters with its total,
// through /v3 (which always asks for `pagination.total`) and through GraphQL with
// `totalCount`, on PostgreSQL with 1,000 clusters and with 1,000,000. Each scenario at a
// million is measured against the same at a thousand, in the same rounds; the ratio is
// throughput, so "time ≤ 1.3×" is "ratio ≥ 0.77×".
import { postgresReachable, scratchSchema } from '../lib/postgres.js';
import { measureThroughput, type ThroughputScenario } from '../lib/throughput-group.js';
import type { BenchGroup } from '../lib/types.js';

const json = { 'content-type': 'application/json' };
const graphqlPage = JSON.stringify({
  query: '{ clusters(first: 100) { totalCount pageInfo { hasNextPage endCursor } edges { node { id name state created } } } }',
});

export const group: BenchGroup = {
  name: 'scale',
  async run(options) {
    if (!(await postgresReachable())) throw new Error('the scale group needs the PostgreSQL at BENCH_DATABASE_URL (default 127.0.0.1:5432/test)');
    const sizes = [
      { label: '1k', rows: 1_000, schema: scratchSchema('bench_scale') },
      { label: '1M', rows: 1_000_000, schema: scratchSchema('bench_scale') },
    ];
    const scenarios: ThroughputScenario[] = [];
    for (const { label, rows, schema } of sizes) {
      const env = { BENCH_CLUSTERS: '0', BENCH_BULK_CLUSTERS: String(rows), BENCH_DATABASE_URL: schema.url };
      const atThousand = (face: string) => (label === '1k' ? undefined : { baseline: [`${face} (1k clusters)`], target: 'time ≤ 1.3× (ratio ≥ 0.77×)' });
      scenarios.push(
        {
          name: `/v3 first page of 100 with total (${label} clusters)`,
          server: 'app',
          env,
          authenticated: true,
          request: { method: 'GET', path: '/v3/clusters?limit=100', headers: { accept: 'application/json' } },
          ...atThousand('/v3 first page of 100 with total'),
        },
        {
          name: `GraphQL first 100 with totalCount (${label} clusters)`,
          server: 'app',
          env,
          authenticated: true,
          request: { method: 'POST', path: '/graphql', body: graphqlPage, headers: json },
          ...atThousand('GraphQL first 100 with totalCount'),
        },
      );
    }
    try {
      // Each round its own processes (on the same schemas; the rows are loaded once): one
      // slow process for the whole run once read 0.72× where the next run read 0.91×.
      return await measureThroughput(scenarios, options, { processPerRound: true });
    } finally {
      for (const { schema } of sizes) await schema.drop();
    }
  },
  notes: () => [
    'Totals of lists at or above 10,000 rows are counted once and kept until the change feed announces a write (src/services/count-cache.ts); without that, a million-row COUNT(*) made each page 7–11× slower.',
  ],
};
