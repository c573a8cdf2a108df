import {
  useActivateTokenMutation,
  useCreateTokenMutation,
  useDeactivateTokenMutation,
  useDeleteTokenMutation,
  useTokensQuery,
  useUpdateTokenMutation,
  type CreateTokenMutation,
  type TokensQuery,
} from '@cattle-graph/client';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent, type RefObject } from 'react';
import { ConfirmDialog } from '../parts/confirm-dialog.js';
import { FieldError, OtherErrors } from '../parts/field-error.js';
import { MenuButton } from '../parts/menu-button.js';
import { ModalDialog } from '../parts/modal-dialog.js';
import { useLiveList } from '../parts/use-live-list.js';
import { apiHref } from '../parts/view-in-api.js';

type Token = TokensQuery['tokens']['edges'][number]['node'];
type CreatedToken = CreateTokenMutation['createToken'];

const ttlChoices = [
  { label: 'Never expires', ms: 0 },
  { label: '1 day', ms: 86_400_000 },
  { label: '30 days', ms: 30 * 86_400_000 },
  { label: '90 days', ms: 90 * 86_400_000 },
];

/** API & Keys: the endpoints, adding a key (its secret shown once), and the keys with their actions. */
export function ApiKeysPage() {
  const tokens = useTokensQuery({ first: 100 });
  useLiveList(['Token'], 'Tokens', tokens.data?.changeRevision);
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<CreatedToken>();
  const addButton = useRef<HTMLButtonElement>(null);
  return (
    <>
      <section aria-labelledby="endpoints">
        <h2 id="endpoints">Endpoints</h2>
        <dl className="pairs">
          <dt>Rancher API (v3)</dt>
          <dd>
            <code>{`${location.origin}/v3`}</code>
          </dd>
          <dt>GraphQL</dt>
          <dd>
            <code>{`${location.origin}/graphql`}</code>
          </dd>
        </dl>
      </section>
      <section aria-labelledby="keys">
        <h2 id="keys">API keys</h2>
        <button type="button" ref={addButton} onClick={() => setAdding(true)}>
          Add key
        </button>
        {adding && (
          <AddKeyForm
            onDone={(token) => {
              setAdding(false);
              setCreated(token);
            }}
            onCancel={() => setAdding(false)}
          />
        )}
        {created && <SecretDialog token={created} returnFocus={addButton} onClose={() => setCreated(undefined)} />}
        {tokens.error && (
          <p role="alert" className="error">
            {tokens.error.message}
          </p>
        )}
        <table>
          <caption className="visually-hidden">Your API keys</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Description</th>
              <th scope="col">Scope</th>
              <th scope="col">State</th>
              <th scope="col">Expires</th>
              <th scope="col">Last used</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {tokens.data?.tokens.edges.map(({ node }) => (
              <KeyRow key={node.id} token={node} />
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}

function AddKeyForm({ onDone, onCancel }: { onDone: (token: CreatedToken) => void; onCancel: () => void }) {
  const queryClient = useQueryClient();
  const [scope, setScope] = useState<'account' | 'cluster' | 'project'>('account');
  const create = useCreateTokenMutation({
    onSuccess: (data) => {
      void queryClient.invalidateQueries({ queryKey: ['Tokens'] });
      onDone(data.createToken);
    },
  });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const scopeId = String(form.get('scopeId') ?? '');
    create.mutate({
      input: {
        name: String(form.get('name')) || null,
        description: String(form.get('description')),
        ttl: Number(form.get('ttl')),
        ...(scope === 'cluster' ? { clusterId: scopeId } : {}),
        ...(scope === 'project' ? { projectId: scopeId } : {}),
      },
    });
  }
  return (
    <form onSubmit={submit} className="stack panel" aria-label="Add API key">
      <label>
        Name <input name="name" />
      </label>
      <FieldError error={create.error} field="name" />
      <label>
        Description <input name="description" />
      </label>
      <FieldError error={create.error} field="description" />
      <fieldset>
        <legend>Scope</legend>
        {(['account', 'cluster', 'project'] as const).map((value) => (
          <label key={value}>
            <input type="radio" name="scope" value={value} checked={scope === value} onChange={() => setScope(value)} />{' '}
            {value === 'account' ? 'No scope (account)' : value === 'cluster' ? 'One cluster' : 'One project'}
          </label>
        ))}
      </fieldset>
      {scope !== 'account' && (
        <label>
          {scope === 'cluster' ? 'Cluster id (c-…)' : 'Project id (c-…:p-…)'} <input name="scopeId" required />
        </label>
      )}
      <FieldError error={create.error} field={scope === 'cluster' ? 'clusterId' : 'projectId'} />
      <label>
        Expires{' '}
        <select name="ttl" defaultValue="0">
          {ttlChoices.map((choice) => (
            <option key={choice.ms} value={choice.ms}>
              {choice.label}
            </option>
          ))}
        </select>
      </label>
      <FieldError error={create.error} field="ttl" />
      <OtherErrors error={create.error} />
      <div className="row">
        <button type="submit" disabled={create.isPending}>
          Create
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The new key's secret, once: it is stored only as a hash and can never be shown again. */
function SecretDialog({ token, returnFocus, onClose }: { token: CreatedToken; returnFocus: RefObject<HTMLButtonElement | null>; onClose: () => void }) {
  const bearer = token.token ?? '';
  const [accessKey, secretKey] = [bearer.slice(0, bearer.indexOf(':')), bearer.slice(bearer.indexOf(':') + 1)];
  const curl = `curl -u '${accessKey}:${secretKey}' ${location.origin}/v3`;
  const rows = [
    ['Access key', accessKey],
    ['Secret key', secretKey],
    ['Bearer token', bearer],
    ['curl', curl],
  ] as const;
  return (
    <ModalDialog title="API key created" titleId="secret-title" describedBy="secret-warning" returnFocus={returnFocus}>
      <p id="secret-warning" className="warning">
        Save the secret now: it cannot be shown again. If you lose it, delete this key and add a new one.
      </p>
      <dl className="pairs">
        {rows.map(([label, value]) => (
          <div key={label} className="secret-row">
            <dt>{label}</dt>
            <dd>
              <code data-testid={label}>{value}</code>{' '}
              <button type="button" aria-label={`Copy ${label}`} onClick={() => void navigator.clipboard?.writeText(value)}>
                Copy
              </button>
            </dd>
          </div>
        ))}
      </dl>
      <button type="button" onClick={onClose}>
        Done
      </button>
    </ModalDialog>
  );
}

function KeyRow({ token }: { token: Token }) {
  const queryClient = useQueryClient();
  const refresh = { onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['Tokens'] }) };
  const activate = useActivateTokenMutation(refresh);
  const deactivate = useDeactivateTokenMutation(refresh);
  const remove = useDeleteTokenMutation(refresh);
  const update = useUpdateTokenMutation(refresh);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const state = token.expired ? 'Expired' : token.enabled ? 'Active' : 'Inactive';
  const failure = activate.error ?? deactivate.error ?? remove.error ?? update.error;
  function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    update.mutate(
      { id: token.id, input: { name: String(form.get('name')), description: String(form.get('description')) } },
      { onSuccess: () => setEditing(false) },
    );
  }
  return (
    <tr data-key={token.id}>
      <td>
        {token.name || token.id}
        {token.current && ' (this session)'}
      </td>
      <td>
        {editing ? (
          <form onSubmit={save} className="row" aria-label={`Edit ${token.id}`}>
            <label>
              Name <input name="name" defaultValue={token.name} />
            </label>
            <label>
              Description <input name="description" defaultValue={token.description} />
            </label>
            <button type="submit">Save</button>
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </form>
        ) : (
          token.description
        )}
      </td>
      <td>{token.projectId ? `project ${token.projectId}` : token.clusterId ? `cluster ${token.clusterId}` : 'account'}</td>
      <td>{state}</td>
      <td>{token.expiresAt ? new Date(token.expiresAt).toLocaleString() : 'Never'}</td>
      <td>{token.lastUsedAt ? new Date(token.lastUsedAt).toLocaleString() : 'Never'}</td>
      <td>
        <MenuButton
          label={`Actions for ${token.name || token.id}`}
          items={[
            token.enabled
              ? { label: 'Deactivate', onSelect: () => deactivate.mutate({ id: token.id }) }
              : { label: 'Activate', onSelect: () => activate.mutate({ id: token.id }) },
            { label: 'Edit', onSelect: () => setEditing(true) },
            { label: 'Delete', onSelect: () => setDeleting(true) },
            { label: 'View in API', href: apiHref(`tokens/${token.id}`) },
          ]}
        />
        {deleting && (
          <ConfirmDialog
            title={`Delete the key ${token.name || token.id}?`}
            message="Anything using it stops working."
            confirmLabel="Delete"
            onCancel={() => setDeleting(false)}
            onConfirm={() => {
              setDeleting(false);
              remove.mutate({ id: token.id });
            }}
          />
        )}
        {failure && (
          <p role="alert" className="error">
            {failure.message}
          </p>
        )}
      </td>
    </tr>
  );
}
