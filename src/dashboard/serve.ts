import { existsSync, readdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { css, javascript, staticAssets, type StaticAssets } from '../http/static-assets.js';

/**
 * The web console (dashboard/, React + Vite on the client package), built at install
 * time into dashboard/dist and served from here: `/dashboard/assets/<hashed file>`
 * cached forever, every other `/dashboard` path the page itself (hash routing).
 */
const dashboardPrefix = '/dashboard';

const distDirectory = fileURLToPath(new URL('../../dashboard/dist/', import.meta.url));

export function createDashboard() {
  const assets = builtAssets();
  return async function serveDashboard(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<boolean> {
    if (pathname !== dashboardPrefix && !pathname.startsWith(`${dashboardPrefix}/`)) return false;
    if (!assets) {
      response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('The console is not built: run `npm run build:dashboard`.\n');
      return true;
    }
    if (await assets.files.serve(request, response, pathname)) return true;
    if (pathname.startsWith(`${dashboardPrefix}/assets/`)) return false;
    // The page is small and changes with every build: never cached.
    return assets.page.serve(request, response, `${dashboardPrefix}/page/index.html`);
  };
}

/** Vite names its files by content hash under assets/, so the hash is the version. */
function builtAssets(): { files: StaticAssets; page: StaticAssets } | undefined {
  if (!existsSync(`${distDirectory}index.html`)) return undefined;
  const types: Record<string, string> = { '.js': javascript, '.css': css };
  const files = Object.fromEntries(
    readdirSync(`${distDirectory}assets`)
      .filter((file) => types[file.slice(file.lastIndexOf('.'))])
      .map((file) => [file, types[file.slice(file.lastIndexOf('.'))]!]),
  );
  return {
    files: staticAssets({ prefix: `${dashboardPrefix}/`, version: 'assets', directory: `${distDirectory}assets`, files }),
    page: staticAssets({
      prefix: `${dashboardPrefix}/`,
      version: 'page',
      directory: distDirectory,
      files: { 'index.html': 'text/html; charset=utf-8' },
      cache: 'no-cache',
    }),
  };
}
