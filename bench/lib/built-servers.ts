import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { bundleProgram, ensureBuilt } from '../../scripts/build.mjs';

const builtDirectory = path.resolve('dist/bench');
let building: Promise<void> | undefined;

/**
 * The file to run for bench/servers/<name>.ts, compiled as `npm start`'s program is
 * (scripts/build.mjs `bundleProgram`: bundled, names kept the way the program keeps them):
 * the groups measure the program users run, not the sources through tsx's loader, which
 * compiles only our TypeScript and so ran every package's code as published. Compiled once
 * per bench run, every server in one build, with the delivery process's entry beside them.
 */
export async function builtServer(name: string): Promise<string> {
  building ??= build();
  await building;
  return path.join(builtDirectory, `${name}.js`);
}

async function build(): Promise<void> {
  // The program's own build first: the servers start their PGlite from its start image (dist/pgdata-image).
  await ensureBuilt();
  const servers = (await readdir('bench/servers')).filter((file) => file.endsWith('.ts'));
  await bundleProgram({
    entryPoints: {
      ...Object.fromEntries(servers.map((file) => [path.basename(file, '.ts'), path.resolve('bench/servers', file)])),
      'delivery-process-child': path.resolve('src/http/delivery-process-child.ts'),
    },
    outdir: builtDirectory,
  });
}
