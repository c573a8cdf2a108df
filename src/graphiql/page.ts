import { escapeHtml, scriptJson } from '../http/html.js';
import { graphiqlAssets } from './assets.js';

/**
 * GraphiQL that works on an air-gapped install.
 *
 * Yoga's built-in page loads GraphiQL from a public CDN. This page is the same
 * application (the `@graphql-yoga/graphiql` build) served from this server; the
 * Monaco editor's workers come from here too.
 */
const assetUrl = graphiqlAssets.url;

export interface GraphiQLPageOptions {
  title: string;
  endpoint: string;
  defaultQuery: string;
}

/**
 * Without a credential the schema cannot be introspected (every operation needs one),
 * so the page asks the server whether the browser is logged in and, if not, offers a
 * login form (the local provider, with the session cookie GraphiQL then sends) instead
 * of leaving the Docs pane at "Error fetching schema". GraphiQL fetches the schema only
 * once, so editing the Headers pane (an Authorization header) re-fetches it, through
 * GraphiQL's own "Re-fetch schema" control, once typing pauses.
 */
const loginScript = (endpoint: string) => `
const endpoint = ${scriptJson(endpoint)};
const hint = document.getElementById('login-hint');
async function credentialWorks(headers) {
  const response = await fetch(endpoint, { method: 'POST', credentials: 'same-origin',
    headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ __typename }' }) });
  const body = await response.json().catch(() => ({}));
  return !(body.errors || []).some((error) => error.extensions && error.extensions.code === 'UNAUTHORIZED');
}
function paneHeaders(text) {
  try { const parsed = JSON.parse(text || '{}'); return parsed && typeof parsed === 'object' ? parsed : {}; } catch { return {}; }
}
credentialWorks({}).then((works) => { hint.hidden = works; });
let editTimer;
function onEditHeaders(text) {
  clearTimeout(editTimer);
  editTimer = setTimeout(async () => {
    document.querySelector('button[aria-label^="Re-fetch GraphQL schema"]')?.click();
    if (!hint.hidden) hint.hidden = await credentialWorks(paneHeaders(text));
  }, 500);
}
document.getElementById('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const response = await fetch('/v3-public/localProviders/local?action=login', { method: 'POST', credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: form.get('username'), password: form.get('password'), responseType: 'cookie' }) });
  if (response.ok) location.reload();
  else document.getElementById('login-error').textContent = (await response.json().catch(() => ({}))).message || 'login failed';
});
`;

export function renderGraphiQLPage(options: GraphiQLPageOptions): string {
  // GraphiQL 5 opens its first tab with `initialQuery`; `defaultQuery` is for new tabs.
  const settings = { endpoint: options.endpoint, defaultQuery: options.defaultQuery, initialQuery: options.defaultQuery, title: options.title };
  const workers = {
    editorWorkerService: assetUrl('monacoeditorwork/editor.worker.bundle.js'),
    json: assetUrl('monacoeditorwork/json.worker.bundle.js'),
    graphql: assetUrl('monacoeditorwork/graphql.worker..bundle.js'),
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(options.title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${assetUrl('graphiql.css')}">
<style>
#login-hint { font: 14px system-ui, sans-serif; padding: 8px 16px; background: #fff4d6; color: #1f1f1f; border-bottom: 1px solid #e0c36b; }
#login-hint form { display: inline-flex; gap: 6px; margin-left: 8px; }
#login-hint[hidden] { display: none; }
body { display: flex; flex-direction: column; height: 100vh; margin: 0; }
#root { flex: 1; min-height: 0; }
</style>
</head>
<body id="body" class="no-focus-outline">
<noscript>GraphiQL needs JavaScript.</noscript>
<div id="login-hint" role="alert" hidden>
  You are not logged in, so the schema cannot be loaded.
  <form id="login-form">
    <label>User <input name="username" autocomplete="username" required></label>
    <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
    <button type="submit">Log in</button>
  </form>
  <span id="login-error"></span>
  — or put <code>{"Authorization": "Bearer token-…:…"}</code> in the Headers pane below.
</div>
<div id="root">Loading ${escapeHtml(options.title)}…</div>
<script>
// Monaco starts its workers from blob URLs made from our own copies of the scripts.
const workerUrls = ${scriptJson(workers)};
const workers = {};
self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_id, label) => workers[label] };
const loadWorkers = Promise.all(Object.entries(workerUrls).map(async ([label, url]) => {
  const source = await (await fetch(url)).text();
  workers[label] = URL.createObjectURL(new Blob([source], { type: 'application/javascript' }));
}));
</script>
<script src="${assetUrl('yoga-graphiql.umd.js')}"></script>
<script>
${loginScript(options.endpoint)}
loadWorkers.finally(() => YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), { ...${scriptJson(settings)}, onEditHeaders }));
</script>
</body>
</html>`;
}
