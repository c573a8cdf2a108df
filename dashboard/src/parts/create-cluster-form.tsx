import {
  useCloudCredentialsQuery,
  useCreateClusterMutation,
  useKubernetesVersionsQuery,
  type ClusterDriver,
  type MachinePoolInput,
} from '@cattle-graph/client';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { errorId, FieldError, OtherErrors } from './field-error.js';

const drivers: Array<{ value: ClusterDriver; label: string }> = [
  { value: 'IMPORTED', label: 'Imported (an existing cluster)' },
  { value: 'RKE2', label: 'RKE2' },
  { value: 'K3S', label: 'K3s' },
];
const roles = [
  { field: 'etcdRole', label: 'etcd' },
  { field: 'controlPlaneRole', label: 'Control plane' },
  { field: 'workerRole', label: 'Worker' },
] as const;

/**
 * "Create" a cluster: name, description, driver; for RKE2/K3s the Kubernetes version
 * (from the versions the server offers) and machine pools (roles, quantity, a cloud
 * credential from the caller's list, the machine config). The server reports every
 * invalid field at once; each error sits next to its field (`fieldName`), a pool's
 * next to its input (`fieldPath`), and what concerns the pools as a whole under them.
 */
export function CreateClusterForm() {
  const queryClient = useQueryClient();
  const [driver, setDriver] = useState<ClusterDriver>('IMPORTED');
  // Keys of the pool rows shown; the values live in the form's inputs.
  const [pools, setPools] = useState<number[]>([1]);
  const provisioned = driver !== 'IMPORTED';
  const versions = useKubernetesVersionsQuery({ driver }, { enabled: provisioned });
  const credentials = useCloudCredentialsQuery({ first: 100, sort: { field: 'NAME' } }, { enabled: provisioned });
  const create = useCreateClusterMutation({ onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['Clusters'] }) });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const text = (name: string) => String(form.get(name) ?? '');
    create.mutate(
      {
        input: {
          name: text('name'),
          description: text('description'),
          driver,
          ...(provisioned ? { kubernetesVersion: text('kubernetesVersion'), machinePools: pools.map((key) => poolFrom(form, key)) } : {}),
        },
      },
      {
        onSuccess: () => {
          formElement.reset();
          setDriver('IMPORTED');
          setPools([1]);
        },
      },
    );
  }
  return (
    <form onSubmit={submit} className="stack panel" aria-labelledby="create-cluster" noValidate>
      <h2 id="create-cluster">Create a cluster</h2>
      <label>
        Name <input name="name" aria-describedby="name-error" />
      </label>
      <FieldError error={create.error} field="name" />
      <label>
        Description <input name="description" aria-describedby="description-error" />
      </label>
      <FieldError error={create.error} field="description" />
      <fieldset>
        <legend>Kubernetes distribution</legend>
        {drivers.map((choice) => (
          <label key={choice.value}>
            <input type="radio" name="driver" value={choice.value} checked={driver === choice.value} onChange={() => setDriver(choice.value)} /> {choice.label}
          </label>
        ))}
      </fieldset>
      <FieldError error={create.error} field="driver" />
      {provisioned && (
        <>
          <label>
            Kubernetes version{' '}
            <select name="kubernetesVersion" key={driver} aria-describedby="kubernetesVersion-error">
              {versions.data?.kubernetesVersions.map((version) => (
                <option key={version} value={version}>
                  {version}
                </option>
              ))}
            </select>
          </label>
          <FieldError error={create.error} field="kubernetesVersion" />
          <fieldset className="stack" aria-describedby="machinePools-error">
            <legend>Machine pools</legend>
            {pools.map((key, index) => (
              <fieldset key={key} className="row pool">
                <legend>Pool {index + 1}</legend>
                <label>
                  Pool name <input name={`pool.${key}.name`} defaultValue={`pool${index + 1}`} aria-describedby={errorId(poolPath(index, 'name'))} />
                </label>
                <FieldError error={create.error} path={poolPath(index, 'name')} />
                <label>
                  Quantity{' '}
                  <input name={`pool.${key}.quantity`} type="number" min={0} defaultValue={1} aria-describedby={errorId(poolPath(index, 'quantity'))} />
                </label>
                <FieldError error={create.error} path={poolPath(index, 'quantity')} />
                {roles.map((role) => (
                  <label key={role.field}>
                    <input type="checkbox" name={`pool.${key}.${role.field}`} defaultChecked /> {role.label}
                  </label>
                ))}
                <label>
                  Cloud credential{' '}
                  <select name={`pool.${key}.cloudCredentialId`} defaultValue="" aria-describedby={errorId(poolPath(index, 'cloudCredentialId'))}>
                    <option value="">None</option>
                    {credentials.data?.cloudCredentials.edges.map(({ node }) => (
                      <option key={node.id} value={node.id}>
                        {node.name} ({node.provider})
                      </option>
                    ))}
                  </select>
                </label>
                <FieldError error={create.error} path={poolPath(index, 'cloudCredentialId')} />
                <label>
                  Machine config kind{' '}
                  <input name={`pool.${key}.kind`} defaultValue="Amazonec2Config" aria-describedby={errorId(poolPath(index, 'machineConfigRef', 'kind'))} />
                </label>
                <FieldError error={create.error} path={poolPath(index, 'machineConfigRef', 'kind')} />
                <label>
                  Machine config name <input name={`pool.${key}.configName`} aria-describedby={errorId(poolPath(index, 'machineConfigRef', 'name'))} />
                </label>
                <FieldError error={create.error} path={poolPath(index, 'machineConfigRef', 'name')} />
                <button
                  type="button"
                  aria-label={`Remove pool ${index + 1}`}
                  disabled={pools.length === 1}
                  onClick={() => setPools(pools.filter((other) => other !== key))}
                >
                  Remove
                </button>
              </fieldset>
            ))}
            <button type="button" onClick={() => setPools([...pools, Math.max(...pools) + 1])}>
              Add pool
            </button>
          </fieldset>
          <FieldError error={create.error} field="machinePools" except={pools.flatMap((_key, index) => poolInputs.map((input) => poolPath(index, ...input)))} />
        </>
      )}
      <OtherErrors error={create.error} />
      {create.isSuccess && <p role="status">Created {create.data.createCluster.name}.</p>}
      <button type="submit" disabled={create.isPending}>
        Create
      </button>
    </form>
  );
}

/** The inputs each pool row shows, as paths inside a pool; their errors sit beside them. */
const poolInputs: ReadonlyArray<ReadonlyArray<string>> = [
  ['name'],
  ['quantity'],
  ['cloudCredentialId'],
  ['machineConfigRef', 'kind'],
  ['machineConfigRef', 'name'],
];
const poolPath = (index: number, ...inside: ReadonlyArray<string>) => ['machinePools', index, ...inside];

function poolFrom(form: FormData, key: number): MachinePoolInput {
  const text = (field: string) => String(form.get(`pool.${key}.${field}`) ?? '');
  return {
    name: text('name'),
    quantity: Number(text('quantity')),
    ...Object.fromEntries(roles.map((role) => [role.field, form.has(`pool.${key}.${role.field}`)])),
    cloudCredentialId: text('cloudCredentialId') || null,
    machineConfigRef: { kind: text('kind'), name: text('configName') },
  };
}
