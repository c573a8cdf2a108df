import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { configureClient } from '@cattle-graph/client';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { csrfHeader } from './session.js';
import './styles.css';

// Same origin: the session cookie goes along by itself; unsafe requests echo the CSRF cookie.
configureClient({ endpoint: '/graphql', headers: csrfHeader });

// Lists follow resourceChanges (parts/use-live-list.ts); refetching when the window
// regains focus stays as the fallback for a stream that could not be held open.
const queryClient = new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: true, retry: false } } });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
