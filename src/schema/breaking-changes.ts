import { CriticalityLevel, diff } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';

/**
 * The breaking-change guard. `schema.baseline.graphql` is the schema of the last
 * release; every breaking change from it to `schema.graphql` (as graphql-inspector
 * judges it) must be recorded in CHANGELOG.md, under "## Unreleased", as a list item
 * that starts with the change's path in backticks:
 *
 *     - `QueryClustersConnection` replaced by ClusterConnection
 *     - `Query.cluster` is nullable now
 *
 * test/schema/breaking-changes.test.ts runs it in `npm test`, hence in CI.
 */
export interface BreakingChange {
  /** What the CHANGELOG line must start with: `Type`, `Type.field`, `Type.field.argument`, … */
  path: string;
  message: string;
}

export async function breakingChanges(baselineSdl: string, currentSdl: string): Promise<BreakingChange[]> {
  const changes = await diff(buildSchema(baselineSdl), buildSchema(currentSdl));
  return changes
    .filter((change) => change.criticality.level === CriticalityLevel.Breaking)
    .map((change) => ({ path: change.path ?? change.type, message: change.message }));
}

/** The paths recorded under `## Unreleased` (up to the next `## ` heading). */
export function recordedBreakingChanges(changelog: string): Set<string> {
  const unreleased = /^## Unreleased\b.*$([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(changelog)?.[1] ?? '';
  return new Set([...unreleased.matchAll(/^\s*[-*] `([^`]+)`/gm)].map((match) => match[1]!));
}

/** Breaking changes the CHANGELOG does not record: what makes the guard fail. */
export function unrecorded(changes: readonly BreakingChange[], recorded: ReadonlySet<string>): BreakingChange[] {
  return changes.filter((change) => !recorded.has(change.path));
}
