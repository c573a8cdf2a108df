import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib } from 'node:zlib';
import { assetUrl } from './page.js';

const compress = promisify(brotliCompress);

/** The only files served: GraphiQL's bundle, its stylesheet and Monaco's workers. */
const servedFiles: Record<string, string> = {
  'yoga-graphiql.umd.js': 'text/javascript; charset=utf-8',
  'graphiql.css': 'text/css; charset=utf-8',
  'monacoeditorwork/editor.worker.bundle.js': 'text/javascript; charset=utf-8',
  'monacoeditorwork/json.worker.bundle.js': 'text/javascript; charset=utf-8',
  'monacoeditorwork/graphql.worker..bundle.js': 'text/javascript; charset=utf-8',
};

const distDirectory = path.dirname(createRequire(import.meta.url).resolve('@graphql-yoga/graphiql'));

interface Asset {
  contentType: string;
  plain: Buffer;
  brotli: Buffer;
}

const cache = new Map<string, Promise<Asset>>();

/**
 * Serves one GraphiQL asset, brotli-compressed when the browser accepts it. The
 * bundle is 5 MB; compressed once per process and kept in memory it is ~1 MB.
 * Answers false when the path is not one of ours.
 */
export async function serveGraphiQLAsset(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<boolean> {
  const file = Object.keys(servedFiles).find((name) => assetUrl(name) === pathname);
  if (!file) return false;
  const asset = await loadAsset(file);
  const acceptsBrotli = /\bbr\b/.test(String(request.headers['accept-encoding'] ?? ''));
  const body = acceptsBrotli ? asset.brotli : asset.plain;
  response.writeHead(200, {
    'content-type': asset.contentType,
    'content-length': body.length,
    'cache-control': 'public, max-age=31536000, immutable',
    'x-content-type-options': 'nosniff',
    vary: 'accept-encoding',
    ...(acceptsBrotli ? { 'content-encoding': 'br' } : {}),
  });
  response.end(request.method === 'HEAD' ? undefined : body);
  return true;
}

function loadAsset(file: string): Promise<Asset> {
  let asset = cache.get(file);
  if (!asset) {
    asset = (async () => {
      const plain = await readFile(path.join(distDirectory, file));
      const brotli = await compress(plain, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5 } });
      return { contentType: servedFiles[file]!, plain, brotli };
    })();
    asset.catch(() => cache.delete(file));
    cache.set(file, asset);
  }
  return asset;
}
