import type { Change } from '../../src/changes/change.js';
import { userPassword } from '../auth/helpers.js';
import { login, startTestApp, type TestApp } from './app.js';
import { createScratchSchema, postgresUrl } from './targets.js';

/** Two (or more) instances of the server on one PostgreSQL scratch schema, as a scaled-out deployment runs. */
export async function startInstances(count = 2): Promise<{ instances: TestApp[]; databaseUrl: string; close: () => Promise<void> }> {
  const scratch = await createScratchSchema(postgresUrl);
  const instances: TestApp[] = [];
  // One after the other: the first applies the migrations, the rest find nothing to do.
  for (let index = 0; index < count; index += 1) instances.push(await startTestApp({ name: 'pglite' }, { databaseUrl: scratch.url }));
  return {
    instances,
    databaseUrl: scratch.url,
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

/**
 * The writes two-instance suites make on `writer` while they watch `reader`: users to
 * subscribe as, clusters to change, and where a stream must start so that nothing
 * committed after that moment is missed.
 */
export function instanceActions(writer: TestApp, reader: TestApp, usernamePrefix: string) {
  let people = 0;
  return {
    /** A new user without any binding, and a session token of theirs. */
    async person(): Promise<{ id: string; token: string }> {
      people += 1;
      const username = `${usernamePrefix}-${people}`;
      const created = await writer.graphql(`mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`, {
        input: { username, password: userPassword },
      });
      return { id: created.data!.createUser.id as string, token: await login(writer.url, username, userPassword) };
    },
    /** The reader's newest revision: a subscription started from it misses nothing committed later. */
    now: async () => (await reader.graphql(`{ changeRevision }`)).data!.changeRevision as string,
    createCluster: async (name: string) =>
      (await writer.graphql(`mutation($name: String!) { createCluster(input: { name: $name }) { id } }`, { name })).data!.createCluster.id as string,
    describeCluster: (id: string, description: string) =>
      writer.graphql(`mutation($id: ID!, $description: String!) { updateCluster(id: $id, input: { description: $description }) { id } }`, {
        id,
        description,
      }),
  };
}
