import { createHash } from 'node:crypto';

/** What happened to an object: Kubernetes' ADDED/MODIFIED/DELETED, Norman's create/change/remove. */
type ChangeVerb = 'create' | 'update' | 'remove';

/**
 * One committed write of one row, as the change feed carries it. Small on purpose
 * (ids, never field values): subscribers read the row itself, through their own
 * permissions, when they need it.
 */
export interface Change {
  /** Position in the feed: grows with every change (allocated at write, delivered on commit). */
  readonly revision: bigint;
  /** The GraphQL type of the row (./change-types.ts): its model's, e.g. `Cluster`, or the row's own where a model is several (`NamespacedBasicAuth`). */
  readonly type: string;
  readonly id: string;
  readonly verb: ChangeVerb;
  /**
   * Who may see it, as far as the row says: the cluster, project and user (owner) it
   * belongs to. Needed for removals, when the row can no longer be read.
   */
  readonly clusterId: string | null;
  readonly projectId: string | null;
  readonly userId: string | null;
  /** A removed object's name, as it was (Kubernetes names objects by it). */
  readonly name: string | null;
  /** The writing transaction: what it removed alongside an object tells who could see that object. */
  readonly transactionId: bigint | null;
}

/**
 * The NOTIFY channel of one database schema. Channels are per database, not per
 * schema, so instances on different schemas of one database (tests do this) must
 * not hear each other; a hash keeps the name a plain identifier within 63 bytes.
 */
export function changeChannel(schema: string): string {
  return `cattle_changes_${createHash('sha256').update(schema).digest('hex').slice(0, 16)}`;
}

/**
 * Reads one NOTIFY payload written by the capture trigger: `[revision, type, id, verb,
 * clusterId, projectId, userId, name, transactionId]`, or `[revision]` alone when the ids were too long for
 * NOTIFY's 8000 bytes (then the row is read from the Change table).
 */
export function parseChangePayload(payload: string): Change | bigint | undefined {
  try {
    const fields: unknown = JSON.parse(payload);
    if (!Array.isArray(fields) || (typeof fields[0] !== 'number' && typeof fields[0] !== 'string')) return undefined;
    const revision = BigInt(fields[0]);
    if (fields.length === 1) return revision;
    const [, type, id, verb, clusterId, projectId, userId, name, transactionId] = fields as [
      unknown,
      string,
      string,
      ChangeVerb,
      string | null,
      string | null,
      string | null,
      string | null | undefined,
      string | null | undefined,
    ];
    return { revision, type, id, verb, clusterId, projectId, userId, name: name ?? null, transactionId: transactionId ? BigInt(transactionId) : null };
  } catch {
    return undefined;
  }
}

/** A Change table row in the feed's shape. */
export function changeFromRow(row: {
  revision: bigint;
  type: string;
  objectId: string;
  verb: string;
  clusterId: string | null;
  projectId: string | null;
  userId: string | null;
  name: string | null;
  transactionId: bigint | null;
}): Change {
  return {
    revision: row.revision,
    type: row.type,
    id: row.objectId,
    verb: row.verb as ChangeVerb,
    clusterId: row.clusterId,
    projectId: row.projectId,
    userId: row.userId,
    name: row.name,
    transactionId: row.transactionId,
  };
}
