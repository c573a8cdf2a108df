import {
  useCloudCredentialProvidersQuery,
  useCloudCredentialsQuery,
  useCreateCloudCredentialMutation,
  useDeleteCloudCredentialMutation,
  type CloudCredentialProvidersQuery,
  type CloudCredentialsQuery,
  type CreateCloudCredentialInput,
} from '@cattle-graph/client';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ConfirmDialog } from '../parts/confirm-dialog.js';
import { FieldError, OtherErrors } from '../parts/field-error.js';
import { MenuButton } from '../parts/menu-button.js';
import { useLiveList } from '../parts/use-live-list.js';
import { apiHref } from '../parts/view-in-api.js';

type Provider = CloudCredentialProvidersQuery['cloudCredentialProviders'][number];
type Credential = CloudCredentialsQuery['cloudCredentials']['edges'][number]['node'];

/** Cloud credentials: add one per provider (the server lists providers and fields), the list, delete. */
export function CredentialsPage() {
  const credentials = useCloudCredentialsQuery({ first: 100, sort: { field: 'NAME' } });
  const providers = useCloudCredentialProvidersQuery();
  useLiveList(['CloudCredential'], 'CloudCredentials', credentials.data?.changeRevision);
  const [deleting, setDeleting] = useState<Credential>();
  const queryClient = useQueryClient();
  const remove = useDeleteCloudCredentialMutation({ onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['CloudCredentials'] }) });
  const providerOf = (value: string) => providers.data?.cloudCredentialProviders.find((provider) => provider.provider === value);
  return (
    <>
      {providers.data && <AddCredentialForm providers={providers.data.cloudCredentialProviders} />}
      <section aria-labelledby="credential-list">
        <h2 id="credential-list">Your cloud credentials</h2>
        {(credentials.error ?? remove.error) && (
          <p role="alert" className="error">
            {(credentials.error ?? remove.error)?.message}
          </p>
        )}
        <table>
          <caption className="visually-hidden">Cloud credentials</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Provider</th>
              <th scope="col">Details</th>
              <th scope="col">Created</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {credentials.data?.cloudCredentials.edges.map(({ node }) => (
              <tr key={node.id} data-credential={node.id}>
                <td>
                  {node.name}
                  <br />
                  <small>{node.description}</small>
                </td>
                <td>{providerOf(node.provider)?.displayName ?? node.provider}</td>
                <td>{configSummary(node, providerOf(node.provider)?.configField)}</td>
                <td>{new Date(node.created).toLocaleString()}</td>
                <td>
                  <MenuButton
                    label={`Actions for ${node.name}`}
                    items={[
                      { label: 'Delete', onSelect: () => setDeleting(node) },
                      { label: 'View in API', href: apiHref(`cloudcredentials/${node.id}`) },
                    ]}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {deleting && (
        <ConfirmDialog
          title={`Delete ${deleting.name}?`}
          message="Clusters and machine pools that use this credential can no longer provision machines."
          confirmLabel="Delete"
          onCancel={() => setDeleting(undefined)}
          onConfirm={() => {
            remove.mutate({ id: deleting.id });
            setDeleting(undefined);
          }}
        />
      )}
    </>
  );
}

function AddCredentialForm({ providers }: { providers: Provider[] }) {
  const queryClient = useQueryClient();
  const [providerName, setProviderName] = useState(providers[0]?.name ?? '');
  const provider = providers.find((candidate) => candidate.name === providerName);
  const create = useCreateCloudCredentialMutation({ onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['CloudCredentials'] }) });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!provider) return;
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const config = Object.fromEntries(
      provider.fields.map((field) => [field.name, String(form.get(`config.${field.name}`) ?? '')]).filter(([, value]) => value !== ''),
    );
    // The server names the config field (`amazonec2credentialConfig`, …): the input type
    // has one optional field per provider, so the object is a CreateCloudCredentialInput.
    const input = {
      name: String(form.get('name')),
      description: String(form.get('description')),
      [provider.configField]: config,
    } as CreateCloudCredentialInput;
    create.mutate({ input }, { onSuccess: () => formElement.reset() });
  }
  return (
    <form onSubmit={submit} className="stack panel" aria-labelledby="add-credential">
      <h2 id="add-credential">Add a cloud credential</h2>
      <label>
        Provider{' '}
        <select
          name="provider"
          value={providerName}
          onChange={(event) => {
            setProviderName(event.target.value);
            create.reset();
          }}
        >
          {providers.map((candidate) => (
            <option key={candidate.name} value={candidate.name}>
              {candidate.displayName}
            </option>
          ))}
        </select>
      </label>
      <label>
        Name <input name="name" required aria-describedby="name-error" />
      </label>
      <FieldError error={create.error} field="name" />
      <label>
        Description <input name="description" aria-describedby="description-error" />
      </label>
      <FieldError error={create.error} field="description" />
      {provider && (
        <fieldset key={provider.name} aria-describedby={`${provider.configField}-error`}>
          <legend>{provider.displayName}</legend>
          {provider.fields.map((field) => (
            <label key={field.name}>
              {field.name}
              {field.required ? ' (required)' : ''}{' '}
              <input
                name={`config.${field.name}`}
                // Secrets are write-only: a password input, never filled from the server.
                type={field.secret ? 'password' : 'text'}
                autoComplete={field.secret ? 'new-password' : 'off'}
                required={field.required}
                defaultValue={field.secret ? undefined : (field.default ?? undefined)}
                title={field.description ?? undefined}
              />
            </label>
          ))}
          <FieldError error={create.error} field={provider.configField} />
        </fieldset>
      )}
      <OtherErrors error={create.error} />
      {create.isSuccess && <p role="status">Added {create.data.createCloudCredential.name}.</p>}
      <button type="submit" disabled={create.isPending}>
        Add credential
      </button>
    </form>
  );
}

/** The public fields, and which secrets are stored (never their values), from the provider's config object. */
function configSummary(credential: Credential, configField: string | undefined): string {
  const config: unknown = configField ? (credential as Record<string, unknown>)[configField] : undefined;
  if (typeof config !== 'object' || config === null) return '';
  return Object.entries(config)
    .filter(([key, value]) => key !== '__typename' && value !== null && value !== '')
    .map(([key, value]) => (typeof value === 'boolean' ? `${key.replace(/Set$/, '')}: ${value ? 'stored' : 'not set'}` : `${key}: ${String(value)}`))
    .join(', ');
}
