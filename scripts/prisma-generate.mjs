// Runs `prisma generate` without network access.
//
// The Prisma 7 CLI wants a native schema-engine binary before it does anything, and
// tries to download one when it is missing. Generation never executes that binary
// (the client is Rust-free and the Pothos types are plain TypeScript), so pointing
// PRISMA_SCHEMA_ENGINE_BINARY at any existing file satisfies the check offline.
// Migrations use the WebAssembly schema engine instead (src/db/migrate.ts).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const prismaCli = require.resolve('prisma/build/index.js');

const result = spawnSync(process.execPath, [prismaCli, 'generate', '--schema', 'prisma/schema.prisma'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    // The Pothos generator is a bin of @pothos/plugin-prisma; npm scripts put it on PATH, direct runs do not.
    PATH: [path.resolve('node_modules/.bin'), process.env.PATH].join(path.delimiter),
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
  },
});
process.exit(result.status ?? 1);
