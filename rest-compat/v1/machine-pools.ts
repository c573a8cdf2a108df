import { machinePoolsSchema, maxDrainTimeoutSeconds } from '../../src/services/cluster-spec.js';
import { reportDroppedFields, type WriteContext } from './field-validation.js';
import { formatGoDuration, parseGoDuration, secondsToNanoseconds, wholeSeconds } from './go-duration.js';
import { isJsonObject, type JsonObject } from '../../src/json-object.js';
import { invalidValue, isEmpty, issueStatus } from './invalid-value.js';

/**
 * Rancher's machine pool (`RKEMachinePool` of provisioning.cattle.io/v1, with the
 * `RKECommonNodeConfig` it embeds) as /v1 shows and takes it, translated to and from
 * the GraphQL `MachinePool`. Most fields share their name; the rest differ in name
 * (`cloudCredentialSecretName`), in form (`drainBeforeDeleteTimeout`, a Go duration,
 * is whole seconds in GraphQL), or are Rancher's only (`hooks`, `autoscalingMinSize`, …):
 * known, so never "unknown", but not kept here.
 */

/** One field of Rancher's pool: where GraphQL keeps it and how its value crosses over. */
interface PoolField {
  /** Rancher's JSON name. */
  rancher: string;
  /** The GraphQL MachinePool field that keeps it; none: this server does not keep it. */
  graphql?: string;
  /** Rancher's value (not null) → the GraphQL input's; undefined leaves it unset. Without: as sent. */
  write?: (value: unknown, at: string) => unknown;
  /** The GraphQL value → Rancher's; undefined leaves it out (Go's `omitempty`). Without: as stored, unless empty. */
  read?: (value: unknown) => unknown;
  /** An object (or, with `list`, a list of objects) whose own fields are checked for unknown ones. */
  shape?: Shape;
  list?: true;
  /** A map: what follows it in a path is a key, written `[key]`. */
  map?: true;
}

/** The fields of a nested object: those kept, and those Rancher has that are not. */
interface Shape {
  kept: readonly string[];
  unkept: readonly string[];
}

/** corev1.ObjectReference: a machine configuration is found by kind and name (its namespace is the cluster's). */
const objectReference: Shape = { kept: ['kind', 'name', 'apiVersion'], unkept: ['namespace', 'uid', 'resourceVersion', 'fieldPath'] };
/** corev1.Taint: `timeAdded` is set by Kubernetes on NoExecute taints, never by a client. */
const taint: Shape = { kept: ['key', 'value', 'effect'], unkept: ['timeAdded'] };
const rollingUpdate: Shape = { kept: ['maxUnavailable', 'maxSurge'], unkept: [] };

/** Go leaves out a string or a number at its zero value; Rancher reads that as unset. */
const unlessZero = (value: unknown) => (value === '' || value === 0 ? undefined : value);
const quantityDefault = 1;

/**
 * In the order Go writes them (the embedded RKECommonNodeConfig first), so an object
 * reads like Rancher's.
 */
const poolFields: readonly PoolField[] = [
  { rancher: 'labels', graphql: 'labels', map: true },
  { rancher: 'taints', graphql: 'taints', shape: taint, list: true, read: (taints) => shownList(taints, taint) },
  { rancher: 'cloudCredentialSecretName', graphql: 'cloudCredentialId' },
  { rancher: 'userdata' },
  { rancher: 'paused', graphql: 'paused' },
  { rancher: 'etcdRole', graphql: 'etcdRole' },
  { rancher: 'controlPlaneRole', graphql: 'controlPlaneRole' },
  { rancher: 'workerRole', graphql: 'workerRole' },
  { rancher: 'drainBeforeDelete', graphql: 'drainBeforeDelete' },
  {
    rancher: 'drainBeforeDeleteTimeout',
    graphql: 'drainTimeoutSeconds',
    write: drainSeconds,
    read: (seconds) => (typeof seconds === 'number' ? formatGoDuration(secondsToNanoseconds(seconds)) : undefined),
  },
  { rancher: 'machineConfigRef', graphql: 'machineConfigRef', shape: objectReference, read: (reference) => shownObject(reference, objectReference) },
  { rancher: 'name', graphql: 'name' },
  { rancher: 'displayName', graphql: 'displayName', write: unlessZero },
  // Rancher's quantity may be left out, and Cluster API then makes one machine; GraphQL requires it.
  { rancher: 'quantity', graphql: 'quantity', read: (quantity) => quantity },
  { rancher: 'rollingUpdate', graphql: 'rollingUpdate', shape: rollingUpdate, read: (update) => shownObject(update, rollingUpdate) },
  { rancher: 'machineDeploymentLabels', graphql: 'machineDeploymentLabels', map: true },
  { rancher: 'machineDeploymentAnnotations', graphql: 'machineDeploymentAnnotations', map: true },
  { rancher: 'autoscalingMinSize' },
  { rancher: 'autoscalingMaxSize' },
  { rancher: 'nodeStartupTimeout', graphql: 'nodeStartupTimeout', write: canonicalDuration, read: shownDuration },
  { rancher: 'unhealthyNodeTimeout', graphql: 'unhealthyNodeTimeout', write: canonicalDuration, read: shownDuration },
  { rancher: 'maxUnhealthy', graphql: 'maxUnhealthy' },
  { rancher: 'unhealthyRange', graphql: 'unhealthyRange' },
  { rancher: 'machineOS', graphql: 'machineOS', write: unlessZero },
  { rancher: 'hooks' },
  { rancher: 'dynamicSchemaSpec' },
  { rancher: 'hostnameLengthLimit', graphql: 'hostnameLengthLimit', write: unlessZero },
];

const byRancherName = new Map(poolFields.map((field) => [field.rancher, field]));
const byGraphQLName = new Map(poolFields.filter((field) => field.graphql).map((field) => [field.graphql!, field]));

/** The pools of a cluster as Rancher's JSON shows them. */
export function rancherMachinePools(pools: unknown): unknown {
  if (!Array.isArray(pools)) return pools;
  return pools.map((pool: unknown) => {
    if (!isJsonObject(pool)) return pool;
    const shown: JsonObject = {};
    for (const field of poolFields) {
      if (!field.graphql) continue;
      const value = field.read ? field.read(pool[field.graphql]) : shownUnlessEmpty(pool[field.graphql]);
      if (value !== undefined) shown[field.rancher] = value;
    }
    return shown;
  });
}

/**
 * The GraphQL input's pools from Rancher's (`at` is where they sit in the object).
 * Unknown fields are found in every pool first and go by the write's `fieldValidation`,
 * as a decoder finds them before anything is validated; then each value is converted
 * and the pools are checked with the GraphQL input's own rules, so that a bad value is
 * named by its path in Rancher's object rather than in GraphQL's.
 */
export function machinePoolsInput(value: unknown, at: string, context: WriteContext): JsonObject[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalidValue(at, value, 'must be a list of machine pools');
  const found: Found = { unknown: [], unkept: [] };
  const pools = value.map((pool, index) => {
    if (!isJsonObject(pool)) throw invalidValue(`${at}[${index}]`, pool, 'must be an object');
    findFields(pool, `${at}[${index}]`, found);
    return pool;
  });
  reportDroppedFields(context, found);
  const input = pools.map((pool, index) => graphqlPool(pool, `${at}[${index}]`));
  const checked = machinePoolsSchema.safeParse(input);
  if (!checked.success) throw issueStatus(checked.error.issues[0]!, input, (path) => `${at}${machinePoolPath(path)}`);
  return input;
}

/**
 * Where a field of the GraphQL pools (as an error names it: `0.cloudCredentialId`,
 * `[0, 'labels', 'a/b']`) sits below the pools in Rancher's object:
 * `[0].cloudCredentialSecretName`, `[0].labels[a/b]`.
 */
export function machinePoolPath(path: readonly PropertyKey[]): string {
  const [index, name, ...deeper] = path;
  if (index === undefined) return '';
  const field = name === undefined ? undefined : byGraphQLName.get(String(name));
  let shown = `[${String(index)}]`;
  if (name !== undefined) shown += `.${field?.rancher ?? String(name)}`;
  for (const segment of deeper) {
    const key = String(segment);
    shown += field?.map || /^[0-9]+$/.test(key) ? `[${key}]` : `.${key}`;
  }
  return shown;
}

interface Found {
  /** Paths of fields Rancher does not have. */
  unknown: string[];
  /** Paths of fields Rancher has and this server does not keep, set to something. */
  unkept: string[];
}

function findFields(pool: JsonObject, at: string, found: Found): void {
  for (const [name, value] of Object.entries(pool)) {
    const field = byRancherName.get(name);
    if (!field) found.unknown.push(`${at}.${name}`);
    else if (!field.graphql && !isEmpty(value)) found.unkept.push(`${at}.${name}`);
    else if (field.shape && field.list && Array.isArray(value))
      value.forEach((item, index) => {
        if (isJsonObject(item)) findShapeFields(item, field.shape!, `${at}.${name}[${index}]`, found);
      });
    else if (field.shape && isJsonObject(value)) findShapeFields(value, field.shape, `${at}.${name}`, found);
  }
}

function findShapeFields(object: JsonObject, shape: Shape, at: string, found: Found): void {
  for (const [name, value] of Object.entries(object)) {
    if (shape.unkept.includes(name)) {
      if (!isEmpty(value)) found.unkept.push(`${at}.${name}`);
    } else if (!shape.kept.includes(name)) found.unknown.push(`${at}.${name}`);
  }
}

/** One pool's GraphQL input: each kept field Rancher's pool sets, converted; null is unset, as in Go. */
function graphqlPool(pool: JsonObject, at: string): JsonObject {
  const input: JsonObject = {};
  for (const field of poolFields) {
    const value = Object.hasOwn(pool, field.rancher) ? pool[field.rancher] : undefined;
    if (!field.graphql || value === undefined || value === null) continue;
    const shaped = field.shape ? keptFields(value, field) : value;
    const converted = field.write ? field.write(shaped, `${at}.${field.rancher}`) : shaped;
    if (converted !== undefined) input[field.graphql] = converted;
  }
  input.quantity ??= quantityDefault;
  return input;
}

/**
 * A nested object (or list of them) with only the fields GraphQL keeps, those set; a
 * value of another type is left for the rules to refuse.
 */
function keptFields(value: unknown, field: PoolField): unknown {
  const keep = (object: unknown) => (isJsonObject(object) ? setFields(object, field.shape!) : object);
  return field.list && Array.isArray(value) ? value.map(keep) : keep(value);
}

/**
 * The kept fields of a nested object that are set. Not Go's `omitempty`: these are
 * pointers or IntOrStrings, where 0 is a value (`maxSurge: 0`); only an empty string,
 * an ObjectReference's or a Taint's unset one, is nothing.
 */
function setFields(object: JsonObject, shape: Shape): JsonObject {
  return Object.fromEntries(
    shape.kept.flatMap((name) => {
      const value = Object.hasOwn(object, name) ? object[name] : undefined;
      return value === undefined || value === null || value === '' ? [] : [[name, value]];
    }),
  );
}

/** `drainBeforeDeleteTimeout` → `drainTimeoutSeconds`: whole seconds, at most a day. */
function drainSeconds(value: unknown, at: string): number {
  const nanoseconds = durationOf(value, at);
  const seconds = wholeSeconds(nanoseconds);
  if (seconds === undefined) throw invalidValue(at, value, 'must be a whole number of seconds, such as 1m30s');
  if (seconds > BigInt(maxDrainTimeoutSeconds))
    throw invalidValue(at, value, `must be at most ${formatGoDuration(secondsToNanoseconds(maxDrainTimeoutSeconds))}`);
  return Number(seconds);
}

/** A Go duration in Go's own spelling (`1h30m` → `1h30m0s`), the form the GraphQL rules and Rancher agree on. */
function canonicalDuration(value: unknown, at: string): string {
  return formatGoDuration(durationOf(value, at));
}

/** A timeout: a Go duration (Go reads negative ones too; no timeout of a pool can be). */
function durationOf(value: unknown, at: string): bigint {
  const nanoseconds = typeof value === 'string' ? parseGoDuration(value) : undefined;
  if (nanoseconds === undefined) throw invalidValue(at, value, 'must be a duration such as 10m0s or 1h30m');
  if (nanoseconds < 0n) throw invalidValue(at, value, 'must not be negative');
  return nanoseconds;
}

/** A stored duration in Go's spelling; one Go cannot read (stored before /v1 checked them) as it is. */
function shownDuration(value: unknown): unknown {
  if (typeof value !== 'string') return undefined;
  const nanoseconds = parseGoDuration(value);
  return nanoseconds === undefined ? value : formatGoDuration(nanoseconds);
}

function shownObject(value: unknown, shape: Shape): JsonObject | undefined {
  if (!isJsonObject(value)) return undefined;
  const shown = setFields(value, shape);
  return Object.keys(shown).length > 0 ? shown : undefined;
}

function shownList(value: unknown, shape: Shape): JsonObject[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.map((item) => shownObject(item, shape) ?? {});
}

const shownUnlessEmpty = (value: unknown) => (isEmpty(value) ? undefined : value);
