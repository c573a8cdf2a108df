import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib } from 'node:zlib';

const compress = promisify(brotliCompress);

export interface StaticAssets {
  /** The URL of one of the files (versioned, so it may be cached forever). */
  url(file: string): string;
  /** Serves the file behind `pathname`; answers false when the path is not one of ours. */
  serve(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<boolean>;
}

interface Asset {
  contentType: string;
  plain: Buffer;
  brotli: Buffer;
}

/**
 * A fixed set of files from one directory, served under `<prefix><version>/<file>`:
 * nothing outside the list is reachable. Each file is read and brotli-compressed
 * once per process, on first use, and kept in memory.
 */
export function staticAssets(options: { prefix: string; version: string; directory: string; files: Record<string, string>; cache?: string }): StaticAssets {
  const { prefix, version, directory, files } = options;
  const cacheControl = options.cache ?? 'public, max-age=31536000, immutable';
  const url = (file: string) => `${prefix}${version}/${file}`;
  const byUrl = new Map(Object.keys(files).map((file) => [url(file), file]));
  const cache = new Map<string, Promise<Asset>>();

  const load = (file: string): Promise<Asset> => {
    let asset = cache.get(file);
    if (!asset) {
      asset = (async () => {
        const plain = await readFile(path.join(directory, file));
        const brotli = await compress(plain, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5 } });
        return { contentType: files[file]!, plain, brotli };
      })();
      asset.catch(() => cache.delete(file));
      cache.set(file, asset);
    }
    return asset;
  };

  return {
    url,
    async serve(request, response, pathname) {
      const file = byUrl.get(pathname);
      if (!file) return false;
      const asset = await load(file);
      const acceptsBrotli = /\bbr\b/.test(String(request.headers['accept-encoding'] ?? ''));
      const body = acceptsBrotli ? asset.brotli : asset.plain;
      response.writeHead(200, {
        'content-type': asset.contentType,
        'content-length': body.length,
        'cache-control': cacheControl,
        'x-content-type-options': 'nosniff',
        vary: 'accept-encoding',
        ...(acceptsBrotli ? { 'content-encoding': 'br' } : {}),
      });
      response.end(request.method === 'HEAD' ? undefined : body);
      return true;
    },
  };
}

export const javascript = 'text/javascript; charset=utf-8';
export const css = 'text/css; charset=utf-8';
