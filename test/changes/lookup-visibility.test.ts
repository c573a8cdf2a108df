import { describe, expect, it } from 'vitest';
import { instanceActions } from '../helpers/instances.js';
import { serverWithPlace } from '../helpers/project-resources.js';
import { subscribeSse } from '../helpers/sse.js';
import { databaseTargets } from '../helpers/targets.js';

type Event = { data?: { resourceChanges: { verb: string; type: string; id: string; node: { id: string; name?: string } | null } } };

/**
 * A non-admin's stream judges each change through the type's own lookup: a service's
 * id (`c-x:apps:web`) has the shape of a namespaced secret's, so `node(id)` alone would
 * look in the wrong table and keep a project member from hearing of their services.
 */
describe.each(databaseTargets)('GraphQL subscriptions judge changes by their type on $name', (target) => {
  const suite = serverWithPlace(target);

  it('a project member hears of a service made in their project', async () => {
    const actions = instanceActions(suite.server, suite.server, 'looker');
    const member = await actions.person();
    const bound = await suite.server.graphql(
      `mutation($input: CreateProjectRoleTemplateBindingInput!) { createProjectRoleTemplateBinding(input: $input) { id } }`,
      { input: { projectId: suite.place.projectId, userId: member.id, roleTemplateId: 'project-member' } },
    );
    expect(bound.errors).toBeUndefined();
    const stream = await subscribeSse<Event>(
      suite.server.url,
      member.token,
      `subscription($since: String) { resourceChanges(types: ["Service"], since: $since) { verb type id node { id ... on Service { name } } } }`,
      { since: await actions.now() },
    );
    const inNamespace = { projectId: suite.place.projectId, namespaceId: suite.place.namespaceId };
    const created = await suite.server.graphql(`mutation($input: CreateServiceInput!) { createService(input: $input) { id } }`, {
      input: { ...inNamespace, name: 'heard', ports: [{ port: 80 }], selector: { app: 'web' } },
    });
    expect(created.errors).toBeUndefined();
    const event = await stream.next();
    stream.close();
    const id = created.data!.createService.id as string;
    expect(event?.data?.resourceChanges).toEqual({ verb: 'CREATE', type: 'Service', id, node: { id, name: 'heard' } });
  });
});
