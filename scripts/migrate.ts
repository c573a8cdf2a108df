// Applies pending migrations to the configured database and exits, without
// starting the server (the server also does this at start-up). Useful for running
// migrations as a separate deployment step in front of many instances.
//
// Usage: npm run migrate          (DATABASE_URL / DATA_DIR as for `npm start`)
import { ConfigError, loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { applyPendingMigrations } from '../src/db/migrate.js';
import { createLogger } from '../src/logger.js';

try {
  const config = loadConfig();
  const database = await openDatabase(config);
  try {
    const applied = await applyPendingMigrations(database, createLogger(config.logLevel));
    console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'The database is up to date.');
  } finally {
    await database.close();
  }
  // Done: the schema engine's WebAssembly bindings leave a 10 s timer they never clear,
  // which kept this step waiting that long after its work (scripts/build.mjs does the same).
  process.exit(0);
} catch (error) {
  console.error(`error: ${error instanceof ConfigError ? error.message : (error as Error).message.split('\n')[0]}`);
  process.exit(1);
}
