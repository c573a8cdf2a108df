import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { escapeHtml, scriptJson } from '../../src/http/html.js';
import { css, javascript, staticAssets } from '../../src/http/static-assets.js';

/**
 * The /v3 API UI: our own page (rest-compat/ui/static), served by this server so
 * it works air-gapped. Each /v3 response a browser asks for comes back as this page
 * with the JSON body embedded; the script renders it using the schemas.
 */
const directory = fileURLToPath(new URL('./static/', import.meta.url));
const files = { 'api-ui.js': javascript, 'api-ui.css': css };

export const apiUiAssets = staticAssets({
  prefix: '/api-ui/',
  // A content hash, so a changed file gets a new URL and caches can keep old ones forever.
  version: createHash('sha256')
    .update(
      Object.keys(files)
        .map((file) => readFileSync(new URL(file, `file://${directory}`)))
        .join('\n'),
    )
    .digest('hex')
    .slice(0, 12),
  directory,
  files,
});

/** What the UI prints in cURL commands instead of a real key. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable the user's shell expands, not a template.
const curlUserPlaceholder = '${CATTLE_ACCESS_KEY}:${CATTLE_SECRET_KEY}';

export interface ApiUiPage {
  /** The JSON body the same request would have received. */
  data: unknown;
  schemasUrl: string;
  /** The absolute URL of the request, for the UI's own links and cURL lines. */
  requestUrl: string;
}

/**
 * The headers of the page: it runs only our own script (the configuration travels
 * as JSON, not code), may be framed only by ourselves, and is never cached.
 */
export const apiUiHeaders: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'self'",
  'x-frame-options': 'SAMEORIGIN',
  'x-content-type-options': 'nosniff',
};

export function renderApiUiPage(page: ApiUiPage): string {
  const title = `API: ${new URL(page.requestUrl).pathname}`;
  const config = { schemasUrl: page.schemasUrl, data: page.data, curlUser: curlUserPlaceholder, requestUrl: page.requestUrl };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${apiUiAssets.url('api-ui.css')}">
<script id="api-ui-config" type="application/json">${scriptJson(config)}</script>
<script src="${apiUiAssets.url('api-ui.js')}" defer></script>
</head>
<body>
<div id="app"><p>Loading the API UI…</p></div>
<section id="requests-section"><h2>Requests</h2><div id="requests"></div></section>
</body>
</html>`;
}
