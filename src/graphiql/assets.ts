import { createRequire } from 'node:module';
import path from 'node:path';
import { css, javascript, staticAssets } from '../http/static-assets.js';

const require = createRequire(import.meta.url);

/**
 * GraphiQL's own build (`@graphql-yoga/graphiql`): the bundle, its stylesheet and
 * Monaco's workers, served from this server so the page works on an air-gapped
 * install. The bundle is 5 MB; compressed it is about 1 MB.
 */
export const graphiqlAssets = staticAssets({
  prefix: '/graphiql-assets/',
  version: require('@graphql-yoga/graphiql/package.json').version,
  directory: path.dirname(require.resolve('@graphql-yoga/graphiql')),
  files: {
    'yoga-graphiql.umd.js': javascript,
    'graphiql.css': css,
    'monacoeditorwork/editor.worker.bundle.js': javascript,
    'monacoeditorwork/json.worker.bundle.js': javascript,
    'monacoeditorwork/graphql.worker..bundle.js': javascript,
  },
});
