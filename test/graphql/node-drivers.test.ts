import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { databaseTargets } from '../helpers/targets.js';
import { v3 } from '../rest-compat/helpers.js';

describe.each(databaseTargets)('node drivers on $name', (target) => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp(target);
  });
  afterAll(() => server?.close());

  const fields = 'id name builtin active state url whitelistDomains availableActions canRemove';

  it('ships Rancher’s built-in drivers, addressed by name', async () => {
    const result = await server.graphql(
      `{ amazon: nodeDriver(id: "amazonec2") { ${fields} } node(id: "exoscale") { ... on NodeDriver { active state } } nodeDrivers(filter: { builtin: { eq: true } }) { totalCount } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.amazon).toMatchObject({
      id: 'amazonec2',
      name: 'amazonec2',
      builtin: true,
      active: true,
      state: 'ACTIVE',
      url: 'local://',
      availableActions: ['deactivate'],
      canRemove: false,
    });
    expect(result.data!.amazon.whitelistDomains).toContain('ec2.%.amazonaws.com');
    expect(result.data!.node).toEqual({ active: false, state: 'INACTIVE' });
    expect(result.data!.nodeDrivers.totalCount).toBeGreaterThanOrEqual(10);
  });

  it('adds a driver by URL, naming it after the docker-machine-driver file', async () => {
    const result = await server.graphql(
      `mutation { createNodeDriver(input: { url: "https://example.com/releases/docker-machine-driver-acme-v1.2.tar.gz", whitelistDomains: ["api.acme.example"] }) { ${fields} } }`,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.createNodeDriver).toMatchObject({
      name: 'acme',
      builtin: false,
      active: false,
      availableActions: ['activate'],
      canRemove: true,
      whitelistDomains: ['api.acme.example'],
    });
    expect(result.data!.createNodeDriver.id).toMatch(/^nd-[a-z0-9]{5}$/);
  });

  it.each([
    ['url: "ftp://example.com/driver"', 'url'],
    ['url: "https://example.com/some-binary"', 'name'],
    ['url: "https://example.com/docker-machine-driver-x", checksum: "abc"', 'checksum'],
    ['url: "https://example.com/docker-machine-driver-y", whitelistDomains: ["*.com"]', 'whitelistDomains'],
    ['url: "https://example.com/docker-machine-driver-z", whitelistDomains: ["*"]', 'whitelistDomains'],
  ])('refuses %s on %s', async (input, fieldName) => {
    const result = await server.graphql(`mutation { createNodeDriver(input: { ${input} }) { id } }`);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'INVALID_INPUT', fieldName });
  });

  it('activates and deactivates, refusing a repeat', async () => {
    const { data } = await server.graphql(`mutation { createNodeDriver(input: { url: "https://example.com/docker-machine-driver-flip" }) { id } }`);
    const id = data!.createNodeDriver.id;
    const activated = await server.graphql(`mutation($id: ID!) { activateNodeDriver(id: $id) { active availableActions } }`, { id });
    expect(activated.data!.activateNodeDriver).toEqual({ active: true, availableActions: ['deactivate'] });
    const again = await server.graphql(`mutation($id: ID!) { activateNodeDriver(id: $id) { active } }`, { id });
    expect(again.errors?.[0]?.extensions?.code).toBe('INVALID_STATE');
    const deactivated = await server.graphql(`mutation($id: ID!) { deactivateNodeDriver(id: $id) { active } }`, { id });
    expect(deactivated.data!.deactivateNodeDriver.active).toBe(false);
  });

  it('keeps a built-in driver’s URL but lets admins switch it, and never removes it', async () => {
    const updated = await server.graphql(
      `mutation { updateNodeDriver(id: "linode", input: { url: "https://evil.example/docker-machine-driver-linode", active: false }) { url active } }`,
    );
    expect(updated.data!.updateNodeDriver).toEqual({ url: 'local://', active: false });
    const removed = await server.graphql(`mutation { deleteNodeDriver(id: "linode") { id } }`);
    expect(removed.errors?.[0]?.extensions?.code).toBe('METHOD_NOT_ALLOWED');
    const { NodeDriverService } = await import('../../src/services/node-drivers.js');
    await new NodeDriverService(server.app.database.prisma).seedBuiltins(server.app.database.read);
    const after = await server.graphql(`{ nodeDriver(id: "linode") { active } }`);
    expect(after.data!.nodeDriver.active).toBe(false);
  });

  it('appears in /v3 with state-dependent actions and no remove link on built-ins', async () => {
    const { body: amazon } = await v3(server, 'GET', '/v3/nodedrivers/amazonec2');
    expect(amazon).toMatchObject({ type: 'nodeDriver', builtin: true, actions: { deactivate: `${server.url}/v3/nodedrivers/amazonec2?action=deactivate` } });
    expect(amazon.actions.activate).toBeUndefined();
    expect(amazon.links.remove).toBeUndefined();
    expect(amazon.availableActions).toBeUndefined();
    expect((await v3(server, 'DELETE', '/v3/nodedrivers/amazonec2')).status).toBe(405);
    const repeat = await v3(server, 'POST', '/v3/nodedrivers/amazonec2?action=activate');
    expect(repeat.status).toBe(422);
    expect(repeat.body.code).toBe('InvalidAction');
    const { body: schema } = await v3(server, 'GET', '/v3/schemas/nodedriver');
    expect(schema.resourceActions).toEqual({ activate: { output: 'nodeDriver' }, deactivate: { output: 'nodeDriver' } });
    expect(schema.collectionFilters.active.modifiers).toEqual(['eq', 'ne', 'null', 'notnull']);
    const active = await v3(server, 'GET', '/v3/nodedrivers?active=true&builtin=true');
    expect(active.body.data.every((driver: { active: boolean }) => driver.active)).toBe(true);
  });
});
