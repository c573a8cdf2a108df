// `npm start`: runs the compiled server, rebuilding it first when a source changed
// (scripts/build.mjs; normally the build made at install is current and this costs a
// few milliseconds of stat calls). Production mode unless told otherwise: graphql-js
// and friends skip their development checks.
process.env.NODE_ENV ??= 'production';
const { ensureBuilt } = await import('./build.mjs');
await ensureBuilt();
await import('../dist/program/main.js');
