import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * What a start loads before the first API request: the bundle's entry chunk, what it
 * imports dynamically at once (main.ts loads src/app.ts that way, having begun taking
 * DATA_DIR first), and the chunks those import statically (scripts/build.mjs bundles
 * the same way). The faces (src/faces.ts) are dynamic imports, built on first use, so
 * whatever only they need must stay out of this set — whatever AUDIT_LEVEL says.
 */
async function loadedAtStart(): Promise<{ inputs: Set<string>; packages: Set<string> }> {
  const { metafile } = await build({
    entryPoints: { main: path.join(root, 'src/main.ts') },
    outdir: path.join(root, 'node_modules/.cache/lazy-faces-test'),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  return staticClosure(metafile);
}

/** The sources in the chunks a start loads, and the packages (external here) those chunks import statically. */
function staticClosure(metafile: Metafile): { inputs: Set<string>; packages: Set<string> } {
  const outputs = metafile.outputs;
  const entry = Object.keys(outputs).find((name) => outputs[name]?.entryPoint?.endsWith('src/main.ts'));
  const seen = new Set<string>();
  const inputs = new Set<string>();
  const packages = new Set<string>();
  const visit = (name: string) => {
    const output = outputs[name];
    if (!output || seen.has(name)) return;
    seen.add(name);
    for (const input of Object.keys(output.inputs)) inputs.add(input);
    // The entry's own dynamic imports run at start; those of the chunks beneath it (the faces) do not.
    const followed = name === entry ? ['import-statement', 'dynamic-import'] : ['import-statement'];
    for (const imported of output.imports) {
      if (!followed.includes(imported.kind)) continue;
      if (imported.external) packages.add(imported.path);
      else visit(imported.path);
    }
  };
  if (entry) visit(entry);
  return { inputs, packages };
}

describe('a start loads none of the faces', () => {
  it('neither the schema, nor /v3, nor the /v3 model the audit log reads its field meanings from', async () => {
    const { inputs: loaded } = await loadedAtStart();
    expect(loaded.has('src/app.ts')).toBe(true);
    expect(loaded.has('src/faces.ts')).toBe(true);
    for (const lazy of ['rest-compat/schemas/derive.ts', 'src/schema/index.ts', 'rest-compat/index.ts', 'src/graphql/yoga.ts'])
      expect(loaded, lazy).not.toContain(lazy);
  });

  it("nor either database's driver before it knows which database it has: PGlite and its adapter for DATA_DIR only, Prisma's PostgreSQL adapter for DATABASE_URL only", async () => {
    const { inputs, packages } = await loadedAtStart();
    expect(inputs.has('src/db/database.ts')).toBe(true);
    expect(inputs).not.toContain('src/db/embedded-database.ts');
    for (const driver of ['@electric-sql/pglite', 'pglite-prisma-adapter', '@prisma/adapter-pg']) expect(packages, driver).not.toContain(driver);
  });
});
