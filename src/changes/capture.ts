import type { Database } from '../db/database.js';
import { Prisma } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import { changeChannel } from './change.js';
import { changeTypeSql, ignoredTables } from './change-types.js';

/**
 * Change capture at the deepest shared point: a trigger on every table. Whatever
 * writes a row — any face, any service, a cascade, another instance — records it in
 * the `Change` table and NOTIFYs it, inside the writing transaction, so the event
 * exists exactly when the write commits (PostgreSQL delivers NOTIFY on commit only).
 *
 * Revisions follow COMMIT order, not write order. A revision drawn while writing (a
 * plain AFTER trigger) lets two overlapping transactions commit in the opposite order
 * of their revisions: a reader that saw 11 and resumes "after 11" would never see 10,
 * committed a moment later. So the trigger is a deferred constraint trigger: it runs
 * as its transaction commits, takes a per-schema transaction lock, and only then draws
 * the revision; the lock is held until the commit is visible. Every revision below the
 * newest visible one is therefore committed (or rolled back) already, on every
 * instance, and NOTIFY (delivered in commit order) carries them in revision order.
 * The alternatives cost more: holding back readers until the oldest in-flight
 * transaction ends stalls every stream behind any long transaction in the database
 * (other schemas' included), and ordering by commit in the reader needs the commit
 * timestamp tracking that is off by default. The price here is that writing
 * transactions serialise for the few statements of their commit, never while they
 * run; bookkeeping-only updates (a key's last use) return before the lock.
 *
 * A change names the GraphQL type of its row (./change-types.ts): the table's name, but
 * for a table whose rows are of several types, which the row's own columns tell (v3).
 *
 * The same trigger writes the revision into a table's `resourceVersion` column, when it
 * has one (Cluster): Kubernetes' `metadata.resourceVersion`, comparable with the feed's
 * positions, so a watch resumed from an object's version misses nothing, and a PUT with
 * a stale one fails (a conditional UPDATE, see ResourceStore.writeIfVersion).
 *
 * The function and triggers are installed at start rather than in a migration: the
 * migration runner splits scripts on `;`, which a PL/pgSQL body cannot survive, and
 * installing at start also covers tables that later migrations add. Bumping
 * {@link captureVersion} replaces the function everywhere on the next start.
 */
const captureVersion = 3;
const functionName = 'cattle_capture_change';
const triggerName = 'cattle_capture_change';
/** Columns whose change alone is not news (a key's last use, timestamps). */
const bookkeepingColumns = ['updatedAt', 'lastUsedAt', 'resourceVersion'];
/** NOTIFY refuses payloads of 8000 bytes or more; beyond this the listener reads the row. */
const maxPayloadBytes = 7_900;

/** Installs (or brings up to date) the capture function and a trigger on every table. */
export async function installChangeCapture(database: Database, logger: Logger): Promise<void> {
  const { prisma } = database;
  const schema = database.schema;
  const run = async () => {
    // A trigger of version 1 (plain, not deferred) counts as missing: it is replaced.
    const tables = await database.read<{ name: string; hasTrigger: boolean; hasOldTrigger: boolean }>(Prisma.sql`
      SELECT c.relname AS name,
             EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = ${triggerName} AND t.tginitdeferred) AS "hasTrigger",
             EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = ${triggerName} AND NOT t.tginitdeferred) AS "hasOldTrigger"
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ${schema} AND c.relkind = 'r'`);
    const installed = await database.read<{ comment: string | null }>(Prisma.sql`
      SELECT obj_description(p.oid, 'pg_proc') AS comment
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = ${schema} AND p.proname = ${functionName}`);
    const current = installed[0]?.comment === `v${captureVersion}`;
    if (!current) {
      await prisma.$executeRawUnsafe(captureFunctionSql(schema));
      await prisma.$executeRawUnsafe(`COMMENT ON FUNCTION ${quote(schema)}.${functionName}() IS 'v${captureVersion}'`);
    }
    // A table ignored since its trigger was installed (AuditEvent before v3) loses it.
    for (const table of tables.filter((one) => ignoredTables.has(one.name) && (one.hasTrigger || one.hasOldTrigger))) {
      await prisma.$executeRawUnsafe(`DROP TRIGGER ${triggerName} ON ${quote(schema)}.${quote(table.name)}`);
    }
    const missing = tables.filter((table) => !ignoredTables.has(table.name) && !table.hasTrigger);
    for (const table of missing) {
      const target = `${quote(schema)}.${quote(table.name)}`;
      if (table.hasOldTrigger) await prisma.$executeRawUnsafe(`DROP TRIGGER ${triggerName} ON ${target}`);
      await prisma.$executeRawUnsafe(
        `CREATE CONSTRAINT TRIGGER ${triggerName} AFTER INSERT OR UPDATE OR DELETE ON ${target} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ${quote(schema)}.${functionName}()`,
      );
    }
    if (!current || missing.length > 0) logger.info({ tables: missing.map((table) => table.name), version: captureVersion }, 'installed change capture');
  };
  // Instances starting together must not replace the function under each other.
  if (database.kind === 'postgres') {
    await prisma.$transaction(
      async (transaction) => {
        await transaction.$executeRaw`SELECT pg_advisory_xact_lock(727073691)`;
        await run();
      },
      { maxWait: 60_000, timeout: 60_000 },
    );
  } else await run();
}

function captureFunctionSql(schema: string): string {
  const bookkeeping = bookkeepingColumns.map((column) => ` - '${column}'`).join('');
  const channel = changeChannel(schema);
  // Transaction-level advisory lock, one per schema (instances of other schemas on the
  // same database do not wait for each other): [namespace, hash of the schema].
  const commitLock = `pg_advisory_xact_lock(727073692, hashtext('${schema.replaceAll("'", "''")}'))`;
  return `
CREATE OR REPLACE FUNCTION ${quote(schema)}.${functionName}() RETURNS trigger LANGUAGE plpgsql AS $capture$
DECLARE
  subject jsonb;
  change_type text;
  verb text;
  revision bigint;
  payload text;
BEGIN
  IF TG_OP = 'DELETE' THEN
    subject := to_jsonb(OLD); verb := 'remove';
  ELSIF TG_OP = 'INSERT' THEN
    subject := to_jsonb(NEW); verb := 'create';
  ELSE
    subject := to_jsonb(NEW); verb := 'update';
    IF subject${bookkeeping} = to_jsonb(OLD)${bookkeeping} THEN RETURN NULL; END IF;
  END IF;
  change_type := ${changeTypeSql('subject')};
  -- Deferred: this runs as the transaction commits. The lock makes revisions commit-ordered.
  PERFORM ${commitLock};
  INSERT INTO ${quote(schema)}."Change" (type, "objectId", verb, "clusterId", "projectId", "userId", name, "transactionId")
    VALUES (change_type, subject->>'id', verb, subject->>'clusterId', subject->>'projectId', coalesce(subject->>'userId', subject->>'ownerId'),
            CASE WHEN verb = 'remove' THEN subject->>'name' END, pg_current_xact_id()::text::bigint)
    RETURNING "Change".revision INTO revision;
  IF verb <> 'remove' AND subject ? 'resourceVersion' THEN
    -- Seen by this trigger as a bookkeeping-only update: no change of its own.
    EXECUTE format('UPDATE %I.%I SET "resourceVersion" = $1 WHERE id = $2', TG_TABLE_SCHEMA, TG_TABLE_NAME) USING revision, subject->>'id';
  END IF;
  payload := json_build_array(revision::text, change_type, subject->>'id', verb, subject->>'clusterId', subject->>'projectId', coalesce(subject->>'userId', subject->>'ownerId'),
                              CASE WHEN verb = 'remove' THEN subject->>'name' END, pg_current_xact_id()::text)::text;
  IF octet_length(payload) > ${maxPayloadBytes} THEN payload := json_build_array(revision::text)::text; END IF;
  PERFORM pg_notify('${channel}', payload);
  RETURN NULL;
END
$capture$`;
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
