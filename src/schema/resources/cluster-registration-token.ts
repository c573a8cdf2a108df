import { clusterPolicy } from '../../auth/policies/cluster.js';
import { clusterRegistrationTokenPolicy } from '../../auth/policies/cluster-registration-token.js';
import { authorizeReference } from '../../auth/policies/policy.js';
import type { Context } from '../../context.js';
import { type CommandSource, commandColumns } from '../../services/cluster-registration-tokens.js';
import type { RegistrationCommands } from '../../services/registration-commands.js';
import { builder } from '../builder.js';
import { fieldDocs } from '../field-docs.js';
import { metadataFields, metadataInputFields, metadataListFields, metadataUpdateInput } from '../kubernetes-metadata.js';
import { DateTimeFilter, StringFilter } from '../list-options.js';
import { kubernetesName } from '../validators.js';
import { defineResource } from './define-resource.js';
import { creationFields } from './linked-resource.js';

/** Everything that makes a ClusterRegistrationToken a resource: Rancher's clusterRegistrationToken, a cluster's agent credential. */

const CreateClusterRegistrationTokenInput = builder.inputType('CreateClusterRegistrationTokenInput', {
  description: 'A new registration token of a cluster; its secret is made by the server.',
  fields: (t) => ({
    clusterId: t.id({ description: fieldDocs.clusterId, required: true }),
    name: t.string({
      description: 'Its name, unique in the cluster: a DNS label (Rancher’s `name`, as `default-token`); left out, `crt-` and five random characters.',
      validate: kubernetesName,
    }),
    ...metadataInputFields(t),
  }),
});

/** Each row's commands, made once for all the command fields a request selects of it. */
const commandsByRow = new WeakMap<CommandSource, Promise<RegistrationCommands>>();

function commandsOf(row: CommandSource, context: Context): Promise<RegistrationCommands> {
  let commands = commandsByRow.get(row);
  if (!commands) {
    commands = context.services.clusterRegistrationTokens.commands(row, context.baseUrl);
    commandsByRow.set(row, commands);
  }
  return commands;
}

const commandDocs: Record<keyof RegistrationCommands, string> = {
  manifestUrl: 'The cluster agent’s manifest, at `<server>/v3/import/<token>_<clusterId>.yaml` (Rancher’s `manifestUrl`).',
  command: 'Imports an existing cluster: `kubectl apply -f <manifestUrl>` (Rancher’s `command`).',
  insecureCommand:
    'The same, trusting any certificate this server shows: `curl --insecure -sfL <manifestUrl> | kubectl apply -f -` (Rancher’s `insecureCommand`).',
  nodeCommand:
    'Registers a Linux node: the system agent’s installer for RKE2 and K3s clusters, the agent in Docker for others; with `--ca-checksum` when the `cacerts` setting holds a private CA (Rancher’s `nodeCommand`).',
  insecureNodeCommand: 'The RKE2 or K3s node command trusting any certificate; empty for other clusters, as in Rancher (Rancher’s `insecureNodeCommand`).',
  windowsNodeCommand: 'Registers a Windows node through the agent’s bootstrap in Docker (Rancher’s `windowsNodeCommand`).',
  insecureWindowsNodeCommand: 'Always empty: Rancher writes none (Rancher’s `insecureWindowsNodeCommand`).',
};

defineResource('ClusterRegistrationToken', {
  description:
    'The secret an agent presents to register a cluster, or a node of it, with this server (Rancher’s clusterRegistrationToken), and the commands that use it. Every cluster has one named `default-token`. A credential: only those who may change the cluster (its owners, admins) see it, and its secret and commands never reach the logs. No agent connects to this server (as node pools provision no machine): the commands are Rancher’s, for the tools that read and print them, and `manifestUrl` is where Rancher serves the agent’s manifest, which this server does not.',
  policy: clusterRegistrationTokenPolicy,
  fields: (t) => {
    const command = (name: keyof RegistrationCommands) =>
      t.string({
        description: commandDocs[name],
        extensions: { secret: true },
        select: commandColumns,
        resolve: async (row, _args, context) => (await commandsOf(row as unknown as CommandSource, context))[name],
      });
    return {
      clusterId: t.exposeID('clusterId', { description: fieldDocs.clusterId }),
      cluster: t.relation('cluster', { description: 'The cluster it registers (what `clusterId` names).' }),
      name: t.exposeString('name', { description: 'Its name, unique in the cluster (Rancher’s `name`): `default-token`, `crt-xxxxx` or the one given.' }),
      namespaceId: t.exposeID('clusterId', { description: 'The namespace it is kept in, its cluster’s id, as in Rancher (Rancher’s `namespaceId`).' }),
      token: t.exposeString('token', {
        description: 'The secret itself: 54 characters, fixed for the token’s life (Rancher’s `token`). Delete the token to revoke it.',
        extensions: { secret: true },
      }),
      state: t.string({ description: 'Always `active`: a token can be used from its creation until it is deleted.', select: {}, resolve: () => 'active' }),
      manifestUrl: command('manifestUrl'),
      command: command('command'),
      insecureCommand: command('insecureCommand'),
      nodeCommand: command('nodeCommand'),
      insecureNodeCommand: command('insecureNodeCommand'),
      windowsNodeCommand: command('windowsNodeCommand'),
      insecureWindowsNodeCommand: command('insecureWindowsNodeCommand'),
      ...metadataFields(t),
      ...creationFields(t),
    };
  },
  list: {
    id: { filter: StringFilter },
    clusterId: { filter: StringFilter },
    name: { filter: StringFilter },
    ...metadataListFields,
    created: { filter: DateTimeFilter, column: 'createdAt' },
  },
  create: {
    input: CreateClusterRegistrationTokenInput,
    description: 'Makes a registration token for a cluster (POST on /v3); only those who may change the cluster may.',
    run: async (context, input, query) => {
      await authorizeReference(context, clusterPolicy, { fieldName: 'clusterId', id: input.clusterId }, 'update');
      return context.services.clusterRegistrationTokens.create(input, context.principal!.userId, query);
    },
  },
  update: {
    input: metadataUpdateInput('ClusterRegistrationToken', 'a cluster registration token'),
    verb: 'update',
    allowedDescription: 'This caller may relabel the token (those who may change its cluster); its secret is fixed.',
    run: (context, { id, input, query, scope }) => context.services.clusterRegistrationTokens.writeMetadata(id, input, query, scope),
  },
  remove: { verb: 'update', allowedDescription: 'This caller may delete the token, which revokes it (those who may change its cluster).' },
});
