// `npm start`: runs the compiled server, rebuilding it first when a source changed
// (scripts/build.mjs; normally the build made at install is current and this costs a
// few milliseconds of stat calls). Production mode unless told otherwise: graphql-js
// and friends skip their development checks.
import module from 'node:module';

process.env.NODE_ENV ??= 'production';
// Node 22.1 and later keep V8's compiled code of the modules between starts (in the
// system's temporary directory, or NODE_COMPILE_CACHE; NODE_DISABLE_COMPILE_CACHE=1
// turns it off); Node 20 has no such cache and starts as before.
module.enableCompileCache?.();
const { ensureBuilt } = await import('./build.mjs');
await ensureBuilt();
await import('../dist/program/main.js');
