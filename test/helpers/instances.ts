import type { Change } from '../../src/changes/change.js';
import { startTestApp, type TestApp } from './app.js';
import { createScratchSchema, postgresUrl } from './targets.js';

/** Two (or more) instances of the server on one PostgreSQL scratch schema, as a scaled-out deployment runs. */
export async function startInstances(count = 2): Promise<{ instances: TestApp[]; close: () => Promise<void> }> {
  const scratch = await createScratchSchema(postgresUrl);
  const instances: TestApp[] = [];
  // One after the other: the first applies the migrations, the rest find nothing to do.
  for (let index = 0; index < count; index += 1) instances.push(await startTestApp({ name: 'pglite' }, { databaseUrl: scratch.url }));
  return {
    instances,
    close: async () => {
      await Promise.all(instances.map((instance) => instance.close()));
      await scratch.drop();
    },
  };
}

/**
 * Resolves when `server`'s change feed delivers a change matching `wanted` (set it
 * up before the write). Waiting on the event rather than on a clock keeps tests
 * free of timing assumptions while proving the write travelled through the feed.
 */
export function nextChange(server: TestApp, wanted: (change: Change) => boolean): Promise<Change> {
  return new Promise((resolve) => {
    const stop = server.app.changes.subscribe((changes) => {
      const found = changes.find(wanted);
      if (!found) return;
      stop();
      resolve(found);
    });
  });
}
