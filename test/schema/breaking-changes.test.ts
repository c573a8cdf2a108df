import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { breakingChanges, recordedBreakingChanges, unrecorded } from '../../src/schema/breaking-changes.js';

describe('breaking-change guard', () => {
  it('every breaking change since the released baseline is recorded in CHANGELOG.md', async () => {
    const [baseline, current, changelog] = await Promise.all(
      ['schema.baseline.graphql', 'schema.graphql', 'CHANGELOG.md'].map((file) => readFile(file, 'utf8')),
    );
    const missing = unrecorded(await breakingChanges(baseline!, current!), recordedBreakingChanges(changelog!));
    // The failure lists the lines to add under "## Unreleased" in CHANGELOG.md.
    expect(missing.map((change) => `- \`${change.path}\` ${change.message}`)).toEqual([]);
  });

  const baseline = `type Query { cluster(id: ID!): Cluster!, clusters: QueryClustersConnection! } type Cluster { id: ID!, name: String! } type QueryClustersConnection { totalCount: Int! }`;

  it('finds removed and retyped fields and removed types, and ignores additions and safe changes', async () => {
    const current = `type Query { cluster(id: ID!): Cluster, clusters: ClusterConnection!, clusterCount: Int! } type Cluster { id: ID!, name: String!, state: String } type ClusterConnection { totalCount: Int! }`;
    const found = await breakingChanges(baseline, current);
    expect(found.map((change) => change.path).sort()).toEqual(['Query.cluster', 'Query.clusters', 'QueryClustersConnection']);
    expect(await breakingChanges(baseline, `${baseline} type Extra { a: Int }`)).toEqual([]);
  });

  it('accepts a breaking change once its path is listed under Unreleased, and only there', async () => {
    const current = `type Query { cluster(id: ID!): Cluster! } type Cluster { id: ID!, name: String! }`;
    const changes = await breakingChanges(baseline, current);
    const changelog = (entries: string) =>
      `# Changelog\n\n## Unreleased\n\n### Breaking\n${entries}\n## 0.1.0 — 2026-12-02\n\n- \`Query.clusters\` was here long ago\n`;
    expect(unrecorded(changes, recordedBreakingChanges(changelog(''))).map((change) => change.path)).toEqual(['QueryClustersConnection', 'Query.clusters']);
    const recorded = recordedBreakingChanges(
      changelog('- `Query.clusters` replaced by Query.clusterList\n- `QueryClustersConnection` replaced by ClusterConnection\n'),
    );
    expect(unrecorded(changes, recorded)).toEqual([]);
  });
});
