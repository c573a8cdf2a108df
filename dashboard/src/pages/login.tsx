import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { logIn } from '../session.js';

export function LoginPage({ error }: { error?: string | undefined }) {
  const queryClient = useQueryClient();
  const [failure, setFailure] = useState<string | undefined>(error);
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    const problem = await logIn(String(form.get('username')), String(form.get('password')));
    setBusy(false);
    setFailure(problem);
    if (!problem) await queryClient.resetQueries();
  }
  return (
    <main className="login">
      <h1>Log in</h1>
      <form onSubmit={submit}>
        <label>
          Username <input name="username" autoComplete="username" required />
        </label>
        <label>
          Password <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {failure && (
          <p role="alert" className="error">
            {failure}
          </p>
        )}
        <button type="submit" disabled={busy}>
          Log in
        </button>
      </form>
    </main>
  );
}
