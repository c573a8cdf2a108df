import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';
import { changeChannel } from './change.js';

/**
 * Change capture at the deepest shared point: a trigger on every table. Whatever
 * writes a row — any face, any service, a cascade, another instance — records it in
 * the `Change` table and NOTIFYs it, inside the writing transaction, so the event
 * exists exactly when the write commits (PostgreSQL delivers NOTIFY on commit only).
 *
 * The function and triggers are installed at start rather than in a migration: the
 * migration runner splits scripts on `;`, which a PL/pgSQL body cannot survive, and
 * installing at start also covers tables that later migrations add. Bumping
 * {@link captureVersion} replaces the function everywhere on the next start.
 */
const captureVersion = 1;
const functionName = 'cattle_capture_change';
const triggerName = 'cattle_capture_change';
/** Tables that are bookkeeping, not resources. */
const ignoredTables = new Set(['Change', '_prisma_migrations']);
/** Columns whose change alone is not news (a key's last use, timestamps). */
const bookkeepingColumns = ['updatedAt', 'lastUsedAt'];
/** NOTIFY refuses payloads of 8000 bytes or more; beyond this the listener reads the row. */
const maxPayloadBytes = 7_900;

/** Installs (or brings up to date) the capture function and a trigger on every table. */
export async function installChangeCapture(database: Database, logger: Logger): Promise<void> {
  const { prisma } = database;
  const schema = database.schema;
  const run = async () => {
    const tables = await prisma.$queryRaw<Array<{ name: string; hasTrigger: boolean }>>`
      SELECT c.relname AS name,
             EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = ${triggerName}) AS "hasTrigger"
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ${schema} AND c.relkind = 'r'`;
    const installed = await prisma.$queryRaw<Array<{ comment: string | null }>>`
      SELECT obj_description(p.oid, 'pg_proc') AS comment
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = ${schema} AND p.proname = ${functionName}`;
    const current = installed[0]?.comment === `v${captureVersion}`;
    if (!current) {
      await prisma.$executeRawUnsafe(captureFunctionSql(schema));
      await prisma.$executeRawUnsafe(`COMMENT ON FUNCTION ${quote(schema)}.${functionName}() IS 'v${captureVersion}'`);
    }
    const missing = tables.filter((table) => !ignoredTables.has(table.name) && !table.hasTrigger);
    for (const table of missing) {
      await prisma.$executeRawUnsafe(
        `CREATE TRIGGER ${triggerName} AFTER INSERT OR UPDATE OR DELETE ON ${quote(schema)}.${quote(table.name)} FOR EACH ROW EXECUTE FUNCTION ${quote(schema)}.${functionName}()`,
      );
    }
    if (!current || missing.length > 0) logger.info({ tables: missing.map((table) => table.name), version: captureVersion }, 'installed change capture');
  };
  // Instances starting together must not replace the function under each other.
  if (database.kind === 'postgres') {
    await prisma.$transaction(async (transaction) => {
      await transaction.$executeRaw`SELECT pg_advisory_xact_lock(727073691)`;
      await run();
    }, { maxWait: 60_000, timeout: 60_000 });
  } else await run();
}

function captureFunctionSql(schema: string): string {
  const bookkeeping = bookkeepingColumns.map((column) => ` - '${column}'`).join('');
  const channel = changeChannel(schema);
  return `
CREATE OR REPLACE FUNCTION ${quote(schema)}.${functionName}() RETURNS trigger LANGUAGE plpgsql AS $capture$
DECLARE
  subject jsonb;
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
  INSERT INTO ${quote(schema)}."Change" (type, "objectId", verb, "clusterId", "projectId", "userId")
    VALUES (TG_TABLE_NAME, subject->>'id', verb, subject->>'clusterId', subject->>'projectId', coalesce(subject->>'userId', subject->>'ownerId'))
    RETURNING "Change".revision INTO revision;
  payload := json_build_array(revision::text, TG_TABLE_NAME, subject->>'id', verb, subject->>'clusterId', subject->>'projectId', coalesce(subject->>'userId', subject->>'ownerId'))::text;
  IF octet_length(payload) > ${maxPayloadBytes} THEN payload := json_build_array(revision::text)::text; END IF;
  PERFORM pg_notify('${channel}', payload);
  RETURN NULL;
END
$capture$`;
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
