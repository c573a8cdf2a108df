import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const tsc = 'node_modules/typescript/bin/tsc';

describe('the client package (@cattle-graph/client)', () => {
  it.each(['tsconfig.vite.json', 'tsconfig.nodenext.json'])(
    'type-checks, sources and a consumer importing it by name, under %s',
    async (tsconfig) => {
      const checked = await run(process.execPath, [tsc, '-p', `test/client/consumer/${tsconfig}`]).catch((error: { stdout: string }) => error);
      expect(checked.stdout).toBe('');
      // A full type-check of the package and React Query's types: slow on a busy machine.
    },
    240_000,
  );

  it('tree-shakes: an app using one hook bundles that operation and none of the others', async () => {
    const bundle = await build({
      stdin: {
        contents: "import { useClusterQuery } from '@cattle-graph/client';\nexport const hook = useClusterQuery;",
        resolveDir: process.cwd(),
        loader: 'ts',
      },
      bundle: true,
      format: 'esm',
      write: false,
      // The app's own dependencies, not the client's weight.
      external: ['react', '@tanstack/react-query'],
      logLevel: 'silent',
    });
    const code = bundle.outputFiles[0]!.text;
    expect(code).toContain('query Cluster($id: ID!)');
    expect(code).toContain('fragment ClusterSummary');
    for (const absent of [
      'query Clusters(',
      'mutation CreateCluster',
      'mutation DeleteNamespace',
      'query CloudCredentials',
      'useWorkloadsQuery',
      'metaProxy',
    ]) {
      expect(code).not.toContain(absent);
    }
    expect(code.length).toBeLessThan(12_000);
  });
});
