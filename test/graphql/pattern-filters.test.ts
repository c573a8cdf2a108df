import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createPlace } from '../helpers/project-resources.js';
import { databaseTargets } from '../helpers/targets.js';
import { v3 } from '../rest-compat/helpers.js';

/**
 * String filters on every face (GraphQL and /v3 share src/schema/list-options.ts): a
 * prefix is the characters given, never a pattern, and `like` is the documented pattern
 * (`%` any run, `\` escapes, `_` refused) with nothing else read into it.
 */
describe.each(databaseTargets)('pattern filters on $name', (target) => {
  let server: TestApp;
  const people = [
    { username: 'svc_ci', displayName: '100% sure' },
    { username: 'svcxbot', displayName: '1000 sure' },
    { username: 'svc-deploy', displayName: 'back\\slash' },
  ];
  beforeAll(async () => {
    server = await startTestApp(target);
    for (const person of people) {
      const created = await server.graphql(`mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`, {
        input: { ...person, password: 'a-long-enough-password' },
      });
      expect(created.errors).toBeUndefined();
    }
  });
  afterAll(() => server?.close());

  const usernames = async (filter: string) => {
    const result = await server.graphql(`{ users(filter: { ${filter} }, sort: { field: USERNAME }) { nodes { username } } }`);
    expect(result.errors, filter).toBeUndefined();
    return (result.data!.users.nodes as Array<{ username: string }>).map((user) => user.username).filter((name) => name !== 'admin');
  };

  it('takes a prefix as written: its _ and % are plain characters', async () => {
    expect(await usernames('username: { prefix: "svc_" }')).toEqual(['svc_ci']);
    expect(await usernames('displayName: { prefix: "100%" }')).toEqual(['svc_ci']);
    expect(await usernames('displayName: { prefix: "back\\\\" }')).toEqual(['svc-deploy']);
    expect(await usernames('username: { prefix: "svc" }')).toEqual(['svc-deploy', 'svc_ci', 'svcxbot']);
  });

  it('takes /v3 prefixes as written too', async () => {
    const { body } = await v3(server, 'GET', '/v3/users?username_prefix=svc_');
    expect((body as { data: Array<{ username: string }> }).data.map((user) => user.username)).toEqual(['svc_ci']);
  });

  it('reads like patterns as documented: % any run, \\ escapes, and an escaped _ or % is that character', async () => {
    expect(await usernames('username: { like: "%\\\\_%" }')).toEqual(['svc_ci']);
    expect(await usernames('displayName: { like: "%0\\\\%%" }')).toEqual(['svc_ci']);
    expect(await usernames('username: { like: "svc%" }')).toEqual(['svc-deploy', 'svc_ci', 'svcxbot']);
    expect(await usernames('username: { like: "%bot" }')).toEqual(['svcxbot']);
    expect(await usernames('username: { notlike: "%\\\\_%", prefix: "svc" }')).toEqual(['svc-deploy', 'svcxbot']);
  });

  it('matches every value with like "%" and none with notlike "%", as SQL does (NULL is no value)', async () => {
    expect(await usernames('username: { like: "%" }')).toEqual(['svc-deploy', 'svc_ci', 'svcxbot']);
    expect(await usernames('username: { notlike: "%" }')).toEqual([]);
    expect(await usernames('username: { notlike: "%%" }')).toEqual([]);

    // A nullable column: a namespace outside any project has no projectId.
    const place = await createPlace(server);
    const loose = await server.graphql(`mutation($clusterId: ID!) { createNamespace(input: { clusterId: $clusterId, name: "loose" }) { id } }`, {
      clusterId: place.clusterId,
    });
    expect(loose.errors).toBeUndefined();
    const namespaces = async (projectId: string) => {
      const result = await server.graphql(
        `query($clusterId: String!) { namespaces(filter: { clusterId: { eq: $clusterId }, projectId: ${projectId} }) { nodes { id } } }`,
        {
          clusterId: place.clusterId,
        },
      );
      expect(result.errors, projectId).toBeUndefined();
      return (result.data!.namespaces.nodes as Array<{ id: string }>).map((namespace) => namespace.id);
    };
    expect(await namespaces('{ like: "%" }')).toEqual([place.namespaceId]);
    expect(await namespaces('{ notlike: "%" }')).toEqual([]);
  });
});
