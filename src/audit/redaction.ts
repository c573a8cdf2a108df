import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import {
  getNamedType,
  getNullableType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isObjectType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

const redacted = '[redacted]';

/**
 * The ONE list of headers whose values never reach the audit log: the caller's own
 * credentials and session, and the meta proxy's headers that carry a third party's
 * (`X-API-Auth-Header` → Authorization, `X-Api-Cookie-Header` → Cookie, …).
 */
const secretHeaders: ReadonlySet<string> = new Set([
  'authorization',
  'cookie',
  'set-cookie',
  'x-api-csrf',
  'x-api-auth-header',
  'x-api-cookie-header',
  'x-api-cattleauth-header',
  'x-api-set-cookie-header',
  'x-api-tunnel-token',
  'x-amz-security-token',
]);

/** Headers as the log shows them: one string each, listed ones redacted. */
export function redactHeaders(headers: IncomingHttpHeaders | OutgoingHttpHeaders): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    shown[name] = secretHeaders.has(name.toLowerCase()) ? redacted : Array.isArray(value) ? value.join(', ') : String(value);
  }
  return shown;
}

/** A field or input field the schema marks as secret (`extensions: { secret: true }`): shown once, never logged. */
function markedSecret(field: { extensions?: Readonly<Record<string, unknown>> | null }): boolean {
  return field.extensions?.secret === true;
}

/**
 * Redaction derived from the schema, not from a list of types: the rule rest-compat
 * uses to mark /v3 fields write-only, applied to every mutation.
 *
 * - An argument's input field is logged only when the field's output type shows the
 *   same field back (same name, same kind: a string for a string, an object for an
 *   input object, compared level by level). What goes in but never comes out is
 *   write-only — passwords, key and credential secrets, secret data, private keys —
 *   and is redacted, with anything the schema does not know: an input of an opaque
 *   scalar (JSON), whose insides it cannot compare, is redacted whole.
 * - Output fields marked secret (a key's `token`, a kubeconfig) are redacted in
 *   answers, found through the operation's own selections so that aliases cannot
 *   smuggle them out.
 * - The arguments a field names as its caller's identity (`extensions.rateLimit.identityArgs`,
 *   the login's username) are kept: they say who tried.
 * - Anything shaped like a header (`{name, value}`) on the header list is redacted.
 *
 * Query arguments (ids, filters, pages) read nothing secret and are logged as given,
 * unless marked secret.
 */
export class SchemaRedactor {
  /** {@link mayRedact}'s answers: selection sets are parsed once per document and reused. */
  private readonly redactable = new WeakMap<SelectionSetNode, Map<string, boolean>>();

  constructor(private readonly schema: GraphQLSchema) {}

  /** A top-level field's arguments, redacted. */
  arguments(field: GraphQLField<unknown, unknown>, values: Record<string, unknown>, isMutation: boolean): Record<string, unknown> {
    const kept = identityPaths(field);
    const mirror = resultObjectType(field.type);
    const shown: Record<string, unknown> = {};
    for (const argument of field.args) {
      if (!(argument.name in values)) continue;
      const value = values[argument.name];
      if (markedSecret(argument)) shown[argument.name] = redacted;
      else if (!isMutation || !isInputObjectType(getNamedType(argument.type))) shown[argument.name] = value;
      else shown[argument.name] = this.input(argument.type, value, mirror, argument.name, kept);
    }
    return shown;
  }

  /** One top-level field's answer, redacted along the selections that produced it. */
  result(field: GraphQLField<unknown, unknown>, value: unknown, node: FieldNode, fragments: Record<string, FragmentDefinitionNode>): unknown {
    if (markedSecret(field)) return redacted;
    return this.output(field.type, value, node.selectionSet, fragments);
  }

  /**
   * An answer that did not come from a GraphQL selection (the /v3-public login's
   * object): each key is read as the field of that name; keys the type does not
   * have are redacted.
   */
  resultByType(field: GraphQLField<unknown, unknown>, value: unknown): unknown {
    if (markedSecret(field)) return redacted;
    return this.outputByType(field.type, value);
  }

  /** Whether the field's arguments name its caller's identity (a login's username). */
  namesIdentity(field: GraphQLField<unknown, unknown>): boolean {
    return identityPaths(field).size > 0;
  }

  /** A login's username and the like: the values at the identity paths of a field's arguments. */
  identity(field: GraphQLField<unknown, unknown>, values: Record<string, unknown>): string | undefined {
    for (const path of identityPaths(field)) {
      const value = path
        .split('.')
        .reduce<unknown>((object, key) => (object && typeof object === 'object' ? (object as Record<string, unknown>)[key] : undefined), values);
      if (typeof value === 'string') return value;
    }
    return undefined;
  }

  private input(type: GraphQLInputType, value: unknown, mirror: GraphQLNamedType | undefined, path: string, kept: ReadonlySet<string>): unknown {
    if (value === null || value === undefined) return value;
    const nullable = getNullableType(type);
    if (isListType(nullable)) return Array.isArray(value) ? value.map((item) => this.input(nullable.ofType, item, mirror, path, kept)) : redacted;
    if (!isInputObjectType(nullable)) return value;
    if (typeof value !== 'object' || Array.isArray(value)) return redacted;
    const inputFields = nullable.getFields();
    const mirrorFields = mirror && (isObjectType(mirror) || isInterfaceType(mirror)) ? mirror.getFields() : {};
    const shown: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const inputField = inputFields[key];
      const fieldPath = `${path}.${key}`;
      if (kept.has(fieldPath)) {
        shown[key] = item;
        continue;
      }
      const outputField = mirrorFields[key];
      if (!inputField || !outputField || markedSecret(inputField) || markedSecret(outputField) || !sameKind(inputField.type, outputField.type)) {
        shown[key] = redacted;
        continue;
      }
      shown[key] = this.input(inputField.type, item, getNamedType(outputField.type), fieldPath, kept);
    }
    return shown;
  }

  private output(
    type: GraphQLOutputType,
    value: unknown,
    selectionSet: SelectionSetNode | undefined,
    fragments: Record<string, FragmentDefinitionNode>,
  ): unknown {
    if (value === null || value === undefined || !selectionSet) return value;
    // Nothing under these selections can be redacted: the answer is shown as it is, uncopied
    // (a page of a hundred rows was copied row by row at level 3; BENCHMARKS.md, the audit log).
    if (!this.mayRedact(getNamedType(type), selectionSet)) return value;
    const nullable = getNullableType(type);
    if (isListType(nullable)) return Array.isArray(value) ? value.map((item) => this.output(nullable.ofType, item, selectionSet, fragments)) : redacted;
    if (typeof value !== 'object') return value;
    const shown: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    this.redactSelections(getNamedType(nullable), shown, selectionSet, fragments);
    if (typeof shown.name === 'string' && 'value' in shown && secretHeaders.has(shown.name.toLowerCase())) shown.value = redacted;
    return shown;
  }

  private outputByType(type: GraphQLOutputType, value: unknown): unknown {
    if (value === null || value === undefined) return value;
    const nullable = getNullableType(type);
    if (isListType(nullable)) return Array.isArray(value) ? value.map((item) => this.outputByType(nullable.ofType, item)) : redacted;
    const named = getNamedType(nullable);
    if (!isObjectType(named) && !isInterfaceType(named)) return value;
    if (typeof value !== 'object') return redacted;
    const fields = named.getFields();
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => {
        const field = fields[key];
        return [key, !field || markedSecret(field) ? redacted : this.outputByType(field.type, item)];
      }),
    );
  }

  /**
   * Whether an answer to `selectionSet` on `parent` can hold anything to redact: a field
   * marked secret, a header-shaped pair (`name` and `value` side by side), or what this
   * check does not follow (fragments, abstract types, a field it cannot place) — those
   * are walked as before. Decided once per selection set and type.
   */
  private mayRedact(parent: GraphQLNamedType, selectionSet: SelectionSetNode): boolean {
    let byType = this.redactable.get(selectionSet);
    if (!byType) {
      byType = new Map();
      this.redactable.set(selectionSet, byType);
    }
    const known = byType.get(parent.name);
    if (known !== undefined) return known;
    byType.set(parent.name, true);
    const answer = this.selectionsMayRedact(parent, selectionSet);
    byType.set(parent.name, answer);
    return answer;
  }

  private selectionsMayRedact(parent: GraphQLNamedType, selectionSet: SelectionSetNode): boolean {
    if (!isObjectType(parent)) return true;
    const keys = new Set<string>();
    for (const selection of selectionSet.selections) {
      if (selection.kind !== 'Field') return true;
      if (selection.name.value === '__typename') continue;
      const field = parent.getFields()[selection.name.value];
      if (!field || markedSecret(field)) return true;
      if (selection.selectionSet && this.mayRedact(getNamedType(field.type), selection.selectionSet)) return true;
      keys.add(selection.alias?.value ?? selection.name.value);
    }
    return keys.has('name') && keys.has('value');
  }

  /** Walks selections (through fragments) and rewrites the keys they answered. */
  private redactSelections(
    parent: GraphQLNamedType,
    object: Record<string, unknown>,
    selectionSet: SelectionSetNode,
    fragments: Record<string, FragmentDefinitionNode>,
  ): void {
    for (const selection of selectionSet.selections) {
      if (selection.kind === 'Field') {
        const key = selection.alias?.value ?? selection.name.value;
        if (!(key in object) || selection.name.value === '__typename') continue;
        const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[selection.name.value] : undefined;
        // A field this walk cannot place is not shown: redaction fails closed.
        object[key] = !field || markedSecret(field) ? redacted : this.output(field.type, object[key], selection.selectionSet, fragments);
        continue;
      }
      const fragment = selection.kind === 'InlineFragment' ? selection : fragments[selection.name.value];
      if (!fragment) continue;
      const condition = fragment.typeCondition ? this.schema.getType(fragment.typeCondition.name.value) : undefined;
      this.redactSelections(condition ?? parent, object, fragment.selectionSet, fragments);
    }
  }
}

/** The object a field answers with: its type, or the node type of a connection. */
function resultObjectType(type: GraphQLOutputType): GraphQLObjectType | undefined {
  const named = getNamedType(type);
  if (!isObjectType(named)) return undefined;
  const edges = named.getFields().edges;
  const edge = edges ? getNamedType(edges.type) : undefined;
  const node = edge && isObjectType(edge) ? edge.getFields().node : undefined;
  const nodeType = node ? getNamedType(node.type) : undefined;
  return nodeType && isObjectType(nodeType) ? nodeType : named;
}

/** An input field is reflected by an output field of the same kind: scalar for the same scalar, object for object, list for list. */
function sameKind(input: GraphQLInputType, output: GraphQLOutputType): boolean {
  const inputType = getNullableType(input);
  const outputType = getNullableType(output);
  if (isListType(inputType) !== isListType(outputType)) return false;
  const inputNamed = getNamedType(inputType);
  const outputNamed = getNamedType(outputType);
  if (isInputObjectType(inputNamed)) return isObjectType(outputNamed) || isInterfaceType(outputNamed);
  // A value the schema does not describe (JSON) cannot be compared with what comes back:
  // a registry map's passwords go in beside the user names that come out.
  if (inputNamed.extensions?.opaque === true) return false;
  return inputNamed.name === outputNamed.name;
}

function identityPaths(field: GraphQLField<unknown, unknown>): ReadonlySet<string> {
  const rateLimit = field.extensions?.rateLimit as { identityArgs?: readonly string[] } | undefined;
  return new Set(rateLimit?.identityArgs ?? []);
}
