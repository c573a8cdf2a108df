// Writes prisma/migrations/<timestamp>_<name>/migration.sql: the SQL that takes a
// database from the current migration history to prisma/schema.prisma.
//
// Usage: npm run migrate:new -- <name>
//
// The diff runs in a throw-away in-memory PGlite (the shadow database the schema
// engine replays the history into), so it needs no server and no network.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { migrationsDirectory, readMigrationList, readSchema } from '../src/db/migrations.js';
import { withSchemaEngine } from '../src/db/schema-engine.js';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run migrate:new -- <name>   (lowercase letters, digits and _)');
  process.exit(2);
}

const scratch = new PGlite();
const schema = await readSchema();
try {
  const history = await readMigrationList();
  const { exitCode, stdout } = await withSchemaEngine(new PrismaPGlite(scratch), schema, (engine) =>
    engine.diff({
      from: history.migrationDirectories.length > 0 ? { tag: 'migrations', ...history } : { tag: 'empty' },
      to: { tag: 'schemaDatamodel', files: [schema] },
      script: true,
      exitCode: true,
      filters: { externalTables: [], externalEnums: [] },
    }),
  );
  const sql = stdout ?? '';
  if (exitCode === 0 || sql.trim() === '' || sql.includes('This is an empty migration')) {
    console.log('The schema matches the migration history: nothing to write.');
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const directory = path.join(migrationsDirectory, `${stamp}_${name}`);
    await mkdir(directory, { recursive: true });
    await writeFile(path.join(directory, 'migration.sql'), sql);
    await writeFile(
      path.join(migrationsDirectory, 'migration_lock.toml'),
      '# Written by scripts/migrate-new.ts; keep it in version control.\nprovider = "postgresql"\n',
    );
    console.log(`Wrote ${path.relative(process.cwd(), directory)}/migration.sql`);
  }
} finally {
  await scratch.close();
}
