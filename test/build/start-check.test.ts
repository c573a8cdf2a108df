import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * `npm start` imports scripts/build.mjs on every start to check that the build is current
 * (scripts/start.mjs). What only building needs must not come with it into the server's
 * process: the parser that drops inferred names (acorn, ≈ 1 MB of source) or esbuild.
 */
describe("npm start's check of the build", () => {
  it('loads neither the parser nor the bundler', async () => {
    // A resolve hook that refuses the build-only packages: importing build.mjs fails if it names one statically.
    const hook = `export async function resolve(specifier, context, next) {
      if (specifier === 'acorn' || specifier === 'esbuild' || specifier.endsWith('/inferred-names.mjs')) throw new Error('loaded at start: ' + specifier);
      return next(specifier, context);
    }`;
    const script = `
      import { register } from 'node:module';
      register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));
      const { ensureBuilt } = await import('./scripts/build.mjs');
      console.log(typeof ensureBuilt);
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: root });
    expect(stdout.trim()).toBe('function');
  });
});
