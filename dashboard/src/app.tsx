import { useLogoutMutation, useMeQuery } from '@cattle-graph/client';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiKeysPage } from './pages/api-keys.js';
import { ChangePasswordPage } from './pages/change-password.js';
import { ClusterDetailPage } from './pages/cluster-detail.js';
import { ClustersPage } from './pages/clusters.js';
import { CredentialsPage } from './pages/credentials.js';
import { LoginPage } from './pages/login.js';

const pages = {
  keys: { title: 'API & Keys', render: () => <ApiKeysPage /> },
  clusters: { title: 'Clusters', render: () => <ClustersPage /> },
  credentials: { title: 'Cloud credentials', render: () => <CredentialsPage /> },
  password: { title: 'Change password', render: () => <ChangePasswordPage /> },
} as const;
type PageName = keyof typeof pages;

/** The shell: login when there is no session, else navigation and the current page (`#keys`, `#clusters/<id>`, …). */
export function App() {
  const me = useMeQuery();
  const { page, id } = useHashPage();
  if (me.isPending)
    return (
      <main>
        <p>Loading…</p>
      </main>
    );
  if (me.error?.code === 'UNAUTHORIZED' || !me.data) return <LoginPage error={me.error?.code === 'UNAUTHORIZED' ? undefined : me.error?.message} />;
  const current = pages[page];
  const detail = page === 'clusters' && id;
  return (
    <>
      <header className="bar">
        <strong>Management console</strong>
        <nav aria-label="Main">
          {(Object.keys(pages) as PageName[]).map((name) => (
            <a key={name} href={`#${name}`} aria-current={name === page ? 'page' : undefined}>
              {pages[name].title}
            </a>
          ))}
        </nav>
        <span>{me.data.me.username}</span>
        <LogoutButton />
      </header>
      <main>
        <h1>{detail ? 'Cluster' : current.title}</h1>
        {detail ? <ClusterDetailPage id={detail} /> : current.render()}
      </main>
    </>
  );
}

function LogoutButton() {
  const queryClient = useQueryClient();
  // Ends the session this page is signed in with (the cookie's key), however many keys the user has.
  const logout = useLogoutMutation({ onSettled: () => queryClient.resetQueries() });
  return (
    <button type="button" disabled={logout.isPending} onClick={() => logout.mutate({})}>
      Log out
    </button>
  );
}

/** `#clusters/c-abc` → the clusters page with an object id; unknown pages show the keys. */
function readHashPage(): { page: PageName; id?: string } {
  const [name = '', ...rest] = decodeURIComponent(location.hash.slice(1)).split('/');
  return name in pages ? { page: name as PageName, id: rest.join('/') || undefined } : { page: 'keys' as const };
}

function useHashPage(): { page: PageName; id?: string } {
  const [page, setPage] = useState(readHashPage);
  useEffect(() => {
    const update = () => setPage(readHashPage());
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return page;
}
