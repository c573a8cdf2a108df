// Compiles the server for `npm start` and makes the embedded database's start image.
//
//   node scripts/build.mjs          build now (postinstall runs this)
//   import { ensureBuilt } ...      build only what is stale (scripts/start.mjs)
//
// The program: src/main.ts and everything it imports from src/, rest-compat/ and
// node_modules, bundled by esbuild into dist/program, so a start loads a few dozen
// files instead of Node resolving and parsing thousands of small ones (about half of
// a start's CPU before). Dynamic imports become chunks of their own, loaded when
// first needed. Our sources find files next to them through `import.meta.url`
// (migrations, package.json, static assets), so in the bundle each file's
// `import.meta.url` is its source file's URL: the built program reads exactly the
// files the sources read. The few packages that cannot be bundled stay in
// node_modules (`externalPackages`, each with its reason); test/server/process.test.ts
// runs every face against the built program.
//
// The image: a PGlite data directory with the schema migrations applied,
// dist/pgdata-image. A fresh DATA_DIR starts as a copy of it instead of running initdb
// and the migrations (seconds of CPU); its start still checks for migrations newer than
// the image (src/db/data-dir-image.ts). The compiled program makes it: src/db/start-image.ts
// is a second entry of the bundle, so the image is migrated by the very code a start
// runs, never by a copy of it here.
//
// "Never stale": dist/build-stamp.json records the size and mtime of every input;
// start compares them (a few hundred stat calls) and rebuilds what changed.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const distDirectory = path.join(root, 'dist');
const stampFile = path.join(distDirectory, 'build-stamp.json');
export const imageDirectory = path.join(distDirectory, 'pgdata-image');
/**
 * What the program is built from: our sources, the compiler's settings, the installed
 * packages (the lock file, and npm's record of what node_modules holds, which every
 * install rewrites, even one that leaves the lock file as it was).
 */
const programInputs = [
  'src',
  'rest-compat',
  'tsconfig.json',
  'package-lock.json',
  'node_modules/.package-lock.json',
  'scripts/build.mjs',
  'scripts/inferred-names.mjs',
];
/**
 * Packages the bundle leaves in node_modules, imported from there at run time. Only
 * what cannot work from dist/program: test/server/process.test.ts starts the built
 * program and finds a bundling mistake the sources' tests cannot.
 */
const externalPackages = [
  // Finds pglite.wasm, initdb.wasm and pglite.data next to its own module through
  // `new URL('./pglite.wasm', import.meta.url)`: bundled, it would look in dist/program.
  '@electric-sql/pglite',
];
/**
 * Each chunk is an ES module, but the CommonJS packages in it call `require` (for Node's
 * own modules, and optional ones such as pg-native inside a try) and a few read
 * `__filename`/`__dirname`: give every chunk its own, for the chunk's file, under names
 * no bundled module uses (esbuild renames a module's own `require` to `require2`).
 */
const commonJsGlobals = [
  "import { createRequire as __bundleCreateRequire } from 'node:module';",
  "import { fileURLToPath as __bundleFileURLToPath } from 'node:url';",
  'const require = __bundleCreateRequire(import.meta.url);',
  'const __filename = __bundleFileURLToPath(import.meta.url);',
  "const __dirname = __bundleFileURLToPath(new URL('.', import.meta.url));",
].join(' ');
/**
 * What the image is made from besides the PGlite that made it: the migration history
 * (src/db/migrations.ts reads it there), the code that opens and migrates a database,
 * and the change capture it installs.
 */
export const imageInputs = ['prisma/migrations', 'src/db', 'src/changes/capture.ts', 'src/changes/change.ts'];

/** Builds whatever is missing or older than its inputs; quiet when nothing is. */
export async function ensureBuilt() {
  const stamp = await readFile(stampFile, 'utf8').then(JSON.parse, () => ({}));
  const programFingerprint = fingerprint(programInputs);
  const imageFingerprint = `${await pgliteVersion()} ${fingerprint(imageInputs)}`;
  const stale = {
    program: stamp.program !== programFingerprint,
    image: stamp.image !== imageFingerprint || !(await exists(path.join(imageDirectory, 'PG_VERSION'))),
  };
  if (!stale.program && !stale.image) return;
  if (stale.program) await buildProgram();
  // After the program: the image is made by the program as just built.
  if (stale.image) await buildImage();
  await writeFile(stampFile, JSON.stringify({ program: programFingerprint, image: imageFingerprint }));
}

async function buildProgram() {
  const started = performance.now();
  const staging = `${distDirectory}/.program-${process.pid}`;
  await bundleProgram({
    // The delivery process runs beside the server from its own entry (src/http/delivery-process.ts finds it by name).
    entryPoints: {
      main: path.join(root, 'src/main.ts'),
      'start-image': path.join(root, 'src/db/start-image.ts'),
      'delivery-process-child': path.join(root, 'src/http/delivery-process-child.ts'),
    },
    outdir: staging,
    finalDirectory: `${distDirectory}/program`,
  });
  await rm(`${distDirectory}/program`, { recursive: true, force: true });
  await rename(staging, `${distDirectory}/program`);
  log(`compiled the server into dist/program in ${Math.round(performance.now() - started)} ms`);
}

/**
 * Compiles `entryPoints` into `outdir` as the program is compiled: the bench compiles its
 * servers this way (bench/lib/built-servers.ts), so it measures what `npm start` runs.
 * `finalDirectory` is where `outdir` will be when the program runs (it is moved there).
 */
export async function bundleProgram({ entryPoints, outdir, finalDirectory = outdir }) {
  const { build } = await import('esbuild');
  const { metafile } = await build({
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    // A package without an `exports` map is taken in its ES module form (`module`), not its
    // CommonJS one (`main`, esbuild's default for Node): imported from ES modules, a CommonJS
    // package is reached through a getter per imported name at every use (esbuild's
    // `__toESM`), and graphql-js is such a package — those getters were 8.7 % of the CPU of a
    // GraphQL list (BENCHMARKS.md, `v3`). One form for `import` and `require` alike, so one copy.
    mainFields: ['module', 'main'],
    target: 'node20.19',
    external: externalPackages,
    banner: { js: commonJsGlobals },
    // Names survive for stack traces and for code that reads constructor names.
    keepNames: true,
    // V8 keeps every module's source text for as long as the module lives, and stores a
    // text with one character beyond Latin-1 (a typographic quote in a comment is enough)
    // at two bytes per character: unminified, the chunks held 17 MB of the idle heap.
    // Whitespace only: identifiers keep their names. Stacks then point into long lines;
    // `NODE_OPTIONS=--enable-source-maps` maps them to src/ through the linked maps (read
    // only when that flag is set). Not syntax: it drops the names of function expressions
    // that do not call themselves, which `keepNames` then gives back at run time, on every
    // evaluation (Envelop's hooks are such functions); kept, the language names them.
    // It saved 3 % of the chunks' text (5.63 against 5.45 MB).
    minifyWhitespace: true,
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'warning',
    plugins: [sourceFileUrls, queryCompilerAsBytes(finalDirectory), graphqlModulesOnce],
    metafile: true,
  });
  const doubled = modulesInTwoForms(metafile);
  if (doubled.length > 0) {
    throw new Error(
      `bundled in two forms (two copies of each, and \`instanceof\` false across them): ${doubled.map((forms) => forms.join(' and ')).join('; ')}`,
    );
  }
  await keepNamesWithoutCost(outdir);
}

/**
 * The modules of a package that went into a bundle in two forms (`x.js` and `x.mjs` of the
 * same installed package): each a copy with its own classes. The bundle takes graphql-js in
 * its ES module form (`mainFields` above) and a package that imports one of its files by path
 * would get the CommonJS one (`graphqlModulesOnce` below): a syntax error made by the second
 * copy was not a `GraphQLError` to Yoga, which answered it as an unexpected error.
 */
export function modulesInTwoForms(metafile) {
  const forms = new Map();
  for (const input of Object.keys(metafile.inputs)) {
    if (!input.includes('node_modules/')) continue;
    const module = input.replace(/\.(mjs|cjs|js)$/, '');
    forms.set(module, [...(forms.get(module) ?? []), input]);
  }
  return [...forms.values()].filter((files) => files.length > 1);
}

/**
 * `keepNames` names functions at run time, and the wrappers it adds inside functions run
 * on every call: a /v3 page of 20 clusters named ≈ 1,200 functions, one `defineProperty`
 * each, and the program served lists at ≈ 0.7× the rate it does without them
 * (BENCHMARKS.md, `v3`). Every function keeps the name it had; only the naming the
 * language does by itself is left to it (scripts/inferred-names.mjs).
 */
async function keepNamesWithoutCost(directory) {
  // Loaded here, not with this module: `npm start` imports this module to check the build,
  // and a server that is current would otherwise carry acorn (≈ 1 MB of source) for nothing.
  const { dropInferredNames, skipNamedAlready } = await import('./inferred-names.mjs');
  let dropped = 0;
  let helper = false;
  for (const file of readdirSync(directory).filter((name) => name.endsWith('.js'))) {
    const original = await readFile(path.join(directory, file), 'utf8');
    const inferred = dropInferredNames(original);
    const skipping = skipNamedAlready(inferred.code);
    dropped += inferred.dropped;
    helper ||= skipping.found;
    if (skipping.code !== original) await writeFile(path.join(directory, file), skipping.code);
  }
  // An esbuild that writes its helper differently must be looked at, not shipped unnoticed.
  if (!helper) throw new Error("build: esbuild's __name helper was not found in the program's chunks (scripts/inferred-names.mjs)");
  log(`left ${dropped} function names to the language`);
}

/** Gives each bundled source file its own `import.meta.url`, the URL of the file it came from. */
const sourceFileUrls = {
  name: 'source-file-urls',
  setup(builder) {
    builder.onLoad({ filter: /\.ts$/ }, async ({ path: file }) => {
      const text = await readFile(file, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      return { contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(file).href)), loader: 'ts' };
    });
  },
};

/**
 * graphql-js once, in its ES module form. `import 'graphql'` takes it (`mainFields`), but a
 * package that imports one of its files by path (`graphql/language/parser`: graphql-armor's
 * token limit) is resolved by extension to the CommonJS file beside it — and through it to a
 * second copy of the lexer, the errors and the rest. Such a path goes to the file's `.mjs`
 * form instead, when the package has one.
 */
const graphqlModulesOnce = {
  name: 'graphql-modules-once',
  setup(builder) {
    builder.onResolve({ filter: /^graphql\/./ }, async ({ path: specifier, kind, importer, resolveDir, pluginData }) => {
      if (pluginData === graphqlModulesOnce) return undefined;
      const resolved = await builder.resolve(specifier, { kind, importer, resolveDir, pluginData: graphqlModulesOnce });
      if (resolved.errors.length > 0 || !resolved.path.endsWith('.js')) return undefined;
      const esModule = resolved.path.replace(/\.js$/, '.mjs');
      return { path: existsSync(esModule) ? esModule : resolved.path };
    });
  },
};

/**
 * Prisma's generated client carries its query compiler as a 4.5 MB base64 string in a
 * module of its own, decoded at the first query. In a bundle, that string stays in the
 * heap twice for the life of the process (the module's source, and the literal). The
 * compiler is written next to the program as a `.wasm` file instead, and the generated
 * client reads those bytes; a changed generator output fails the build here rather than
 * silently keeping the string.
 */
const queryCompilerAsBytes = (finalDirectory) => ({
  name: 'query-compiler-as-bytes',
  setup(builder) {
    const loader = /const \{ wasm \} = await import\("(@prisma\/client\/runtime\/[\w.]+)\.wasm-base64\.mjs"\)\s*return await decodeBase64AsWasm\(wasm\)/;
    builder.onLoad({ filter: /[\\/]generated[\\/]prisma[\\/]internal[\\/]class\.ts$/ }, async ({ path: file }) => {
      const text = await readFile(file, 'utf8');
      const found = loader.exec(text);
      if (!found) throw new Error(`${file}: the query compiler's loader is not the one scripts/build.mjs rewrites (Prisma's generator changed?)`);
      const { wasm } = await import(`${found[1]}.wasm-base64.mjs`);
      const bytesFile = path.join(builder.initialOptions.outdir, 'query-compiler.wasm');
      await mkdir(builder.initialOptions.outdir, { recursive: true });
      await writeFile(bytesFile, Buffer.from(wasm, 'base64'));
      // The file's final place: where the output runs from (the staging directory becomes dist/program).
      const finalUrl = pathToFileURL(path.join(finalDirectory, 'query-compiler.wasm')).href;
      // Compiled from when the client's module loads, on V8's own threads (`WebAssembly.compile`),
      // not on this thread at the first query (`new WebAssembly.Module`: ≈ 36 ms of a start's
      // critical path). A failure surfaces where the first query awaits it.
      const compiling =
        `\nconst queryCompilerModule = import('node:fs/promises')\n` +
        `  .then(({ readFile }) => readFile(new URL(${JSON.stringify(finalUrl)})))\n` +
        `  .then((bytes) => WebAssembly.compile(bytes));\n` +
        `queryCompilerModule.catch(() => undefined);\n`;
      return { contents: text.replace(loader, 'return await queryCompilerModule') + compiling, loader: 'ts' };
    });
  },
});

async function buildImage() {
  const started = performance.now();
  const { makeStartImage } = await import(pathToFileURL(path.join(distDirectory, 'program/start-image.js')).href);
  const staging = `${imageDirectory}.${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  const { migrations } = await makeStartImage(staging);
  await rm(imageDirectory, { recursive: true, force: true });
  // The tarball earlier builds made; a start no longer reads it.
  await rm(path.join(distDirectory, 'pgdata-image.tar'), { force: true });
  await rename(staging, imageDirectory);
  log(`made the embedded database's start image (${migrations.length} migrations) in ${Math.round(performance.now() - started)} ms`);
}

/**
 * Size and mtime of every file under `inputs` (paths relative to `base`), as one hash.
 * Synchronous on purpose: it runs before anything else at `npm start`, and a few hundred
 * `stat` calls cost ≈ 2 ms in a loop against ≈ 20 ms as one thread-pool round trip each.
 */
export function fingerprint(inputs, base = root) {
  const hash = createHash('sha256');
  for (const input of inputs) {
    for (const file of filesUnder(path.join(base, input))) {
      const { size, mtimeMs } = statSync(file);
      hash.update(`${path.relative(base, file)}\0${size}\0${mtimeMs}\n`);
    }
  }
  return hash.digest('hex');
}

function filesUnder(entry) {
  const info = statSync(entry, { throwIfNoEntry: false });
  if (!info) return [];
  if (!info.isDirectory()) return [entry];
  return readdirSync(entry, { recursive: true, withFileTypes: true })
    .filter((name) => name.isFile())
    .map((name) => path.join(name.parentPath, name.name))
    .sort();
}

/** The image belongs to the PGlite that made it (its package does not export package.json). */
async function pgliteVersion() {
  const manifest = await readFile(path.join(root, 'node_modules/@electric-sql/pglite/package.json'), 'utf8');
  return JSON.parse(manifest).version;
}

async function exists(file) {
  return stat(file).then(
    () => true,
    () => false,
  );
}

function log(message) {
  process.stderr.write(`build: ${message}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await rm(stampFile, { force: true });
  await ensureBuilt();
  // Done: the schema engine leaves a timer of 10 s behind (its WebAssembly bindings never
  // clear a timeout), which would hold the install that long for nothing.
  process.exit(0);
}
