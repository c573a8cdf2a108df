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
</head>
<body id="body" class="no-focus-outline">
<noscript>GraphiQL needs JavaScript.</noscript>
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
loadWorkers.finally(() => YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), ${scriptJson(settings)}));
</script>
</body>
</html>`;
}
