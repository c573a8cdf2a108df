import { graphqlAs, login, type GraphQLResponse, type TestApp } from '../helpers/app.js';
import type { Json } from '../helpers/json.js';

/** Everyone the authorization matrix asks on behalf of. */
export const actors = ['admin', 'owner', 'member', 'readOnly', 'outsider', 'scopedKey'] as const;
export type Actor = (typeof actors)[number];

/** One cluster with one project, and who holds which role there. */
export interface Estate {
  clusterId: string;
  projectId: string;
  memberClusterBindingId: string;
  memberProjectBindingId: string;
  readOnlyBindingId: string;
  /** In the project, holding one workload, one secret, one service and one ingress. */
  namespaceId: string;
  /** In the cluster, outside any project. */
  looseNamespaceId: string;
  workloadId: string;
  secretId: string;
  /** Targets the workload; the ingress routes to it. */
  serviceId: string;
  ingressId: string;
}

export interface World {
  server: TestApp;
  tokens: Record<Actor, string>;
  userIds: Record<Exclude<Actor, 'scopedKey'>, string>;
  estate: Estate;
  /** Another cluster of the owner's, the only one their scoped key reaches. */
  scopeClusterId: string;
  /** A key of the read-only user, for the token rows of the matrix. */
  readOnlyKeyId: string;
  /** A cloud credential of the owner's. */
  ownerCredentialId: string;
  /** A new cloud credential of the owner's, for cells that destroy it. */
  newOwnerCredential(): Promise<string>;
  /** Builds a fresh estate, for cells that destroy what they act on. */
  newEstate(): Promise<Estate>;
  as<T = Record<string, Json>>(actor: Actor, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
}

const password = 'a-long-enough-password';
let counter = 0;

/**
 * The people of the matrix: an admin; Olivia, who creates a cluster and a project
 * and so owns them; Max, cluster-member there and project-member of the project;
 * Rita, read-only on the project; Otto, who belongs nowhere; and a key of Olivia's
 * scoped to another of her clusters.
 */
export async function buildWorld(server: TestApp): Promise<World> {
  const must = async <T = Record<string, Json>>(token: string, query: string, variables?: Record<string, unknown>): Promise<T> => {
    const result = await graphqlAs<T>(server.url, token, query, variables);
    if (result.errors) throw new Error(`setup failed: ${JSON.stringify(result.errors)}`);
    return result.data!;
  };
  const createUser = async (username: string) => {
    const data = await must(server.token, `mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`, { input: { username, password } });
    return { id: data.createUser.id as string, token: await login(server.url, username, password) };
  };
  const [owner, member, readOnly, outsider] = await Promise.all(['olivia', 'max', 'rita', 'otto'].map(createUser));

  const newEstate = async (): Promise<Estate> => {
    counter += 1;
    const cluster = await must(owner!.token, `mutation($name: String!) { createCluster(input: { name: $name }) { id } }`, { name: `estate-${counter}` });
    const clusterId = cluster.createCluster.id as string;
    const project = await must(owner!.token, `mutation($clusterId: ID!) { createProject(input: { clusterId: $clusterId, name: "apps" }) { id } }`, {
      clusterId,
    });
    const projectId = project.createProject.id as string;
    const bindCluster = (userId: string, roleTemplateId: string) =>
      must(owner!.token, `mutation($input: CreateClusterRoleTemplateBindingInput!) { createClusterRoleTemplateBinding(input: $input) { id } }`, {
        input: { clusterId, userId, roleTemplateId },
      }).then((data) => data.createClusterRoleTemplateBinding.id as string);
    const bindProject = (userId: string, roleTemplateId: string) =>
      must(owner!.token, `mutation($input: CreateProjectRoleTemplateBindingInput!) { createProjectRoleTemplateBinding(input: $input) { id } }`, {
        input: { projectId, userId, roleTemplateId },
      }).then((data) => data.createProjectRoleTemplateBinding.id as string);
    const namespaceId = (
      await must(owner!.token, `mutation($projectId: ID!) { createNamespace(input: { projectId: $projectId, name: "apps" }) { id } }`, { projectId })
    ).createNamespace.id as string;
    const looseNamespaceId = (
      await must(owner!.token, `mutation($clusterId: ID!) { createNamespace(input: { clusterId: $clusterId, name: "loose" }) { id } }`, { clusterId })
    ).createNamespace.id as string;
    const inNamespace = { projectId, namespaceId };
    const workload = await must(owner!.token, `mutation($input: CreateWorkloadInput!) { createWorkload(input: $input) { id } }`, {
      input: { ...inNamespace, kind: 'DEPLOYMENT', name: 'web', containers: [{ name: 'web', image: 'nginx' }] },
    });
    const secret = await must(owner!.token, `mutation($input: CreateNamespacedSecretInput!) { createNamespacedSecret(input: $input) { id } }`, {
      input: { ...inNamespace, name: 'token', data: { token: 'x' } },
    });
    const workloadId = workload.createWorkload.id as string;
    const service = await must(owner!.token, `mutation($input: CreateServiceInput!) { createService(input: $input) { id } }`, {
      input: { ...inNamespace, name: 'web', ports: [{ port: 80 }], targetWorkloadIds: [workloadId] },
    });
    const serviceId = service.createService.id as string;
    const ingress = await must(owner!.token, `mutation($input: CreateIngressInput!) { createIngress(input: $input) { id } }`, {
      input: { ...inNamespace, name: 'www', defaultBackend: { serviceId, targetPort: 80 } },
    });
    return {
      clusterId,
      projectId,
      namespaceId,
      looseNamespaceId,
      workloadId,
      secretId: secret.createNamespacedSecret.id as string,
      serviceId,
      ingressId: ingress.createIngress.id as string,
      memberClusterBindingId: await bindCluster(member!.id, 'cluster-member'),
      memberProjectBindingId: await bindProject(member!.id, 'project-member'),
      readOnlyBindingId: await bindProject(readOnly!.id, 'read-only'),
    };
  };

  const estate = await newEstate();
  const scope = await must(owner!.token, `mutation { createCluster(input: { name: "olivias-scope" }) { id } }`);
  const scopeClusterId = scope.createCluster.id as string;
  const scopedKey = await must(owner!.token, `mutation($clusterId: ID!) { createToken(input: { clusterId: $clusterId }) { token } }`, {
    clusterId: scopeClusterId,
  });
  const readOnlyKey = await must(readOnly!.token, `mutation { createToken(input: { name: "rita's" }) { id } }`);
  const newOwnerCredential = () =>
    must(owner!.token, `mutation($input: CreateCloudCredentialInput!) { createCloudCredential(input: $input) { id } }`, {
      input: { name: `olivias-${++counter}`, genericcredentialConfig: { endpoint: 'https://api.example.com', token: 'a-token' } },
    }).then((data) => data.createCloudCredential.id as string);

  const tokens: Record<Actor, string> = {
    admin: server.token,
    owner: owner!.token,
    member: member!.token,
    readOnly: readOnly!.token,
    outsider: outsider!.token,
    scopedKey: scopedKey.createToken.token as string,
  };
  return {
    server,
    tokens,
    userIds: {
      admin: (await must(server.token, `{ me { id } }`)).me.id as string,
      owner: owner!.id,
      member: member!.id,
      readOnly: readOnly!.id,
      outsider: outsider!.id,
    },
    estate,
    scopeClusterId,
    readOnlyKeyId: readOnlyKey.createToken.id as string,
    ownerCredentialId: await newOwnerCredential(),
    newOwnerCredential,
    newEstate,
    as: (actor, query, variables) => graphqlAs(server.url, tokens[actor], query, variables),
  };
}
