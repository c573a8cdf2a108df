import { useChangePasswordMutation, useMeQuery } from '@cattle-graph/client';
import type { FormEvent } from 'react';
import { FieldError } from '../parts/field-error.js';

export function ChangePasswordPage() {
  const me = useMeQuery();
  const change = useChangePasswordMutation();
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    if (!me.data) return;
    change.mutate({ id: me.data.me.id, input: { currentPassword: String(form.get('currentPassword')), newPassword: String(form.get('newPassword')) } });
  }
  return (
    <form onSubmit={submit} className="stack">
      <label>
        Current password <input name="currentPassword" type="password" autoComplete="current-password" required />
      </label>
      <FieldError error={change.error} field="currentPassword" />
      <label>
        New password <input name="newPassword" type="password" autoComplete="new-password" required />
      </label>
      <FieldError error={change.error} field="newPassword" />
      {change.error && !change.error.errors.some((error) => error.extensions?.fieldName) && (
        <p role="alert" className="error">
          {change.error.message}
        </p>
      )}
      {change.isSuccess && <p role="status">Password changed.</p>}
      <button type="submit" disabled={change.isPending}>
        Change password
      </button>
    </form>
  );
}
