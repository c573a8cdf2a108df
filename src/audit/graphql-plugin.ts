import type { IncomingMessage } from 'node:http';
import {
  getArgumentValues,
  getOperationAST,
  Kind,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  type GraphQLField,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ApiError, toApiError } from '../errors.js';
import type { FieldMeaning } from './field-meanings.js';
import type { FieldRecord, RequestAudit } from './request-audit.js';
import { SchemaRedactor } from './redaction.js';

/**
 * The Envelop plugin behind every face's audit entries: /graphql, /v3 and /v1 all
 * execute through the same pipeline, so the entries for what a request DID come from
 * here — one per top-level field of a mutation (three fields, three entries, one
 * audit id), one per query operation — with the arguments and answers redacted by
 * the schema's own write-only rule (redaction.ts). The router supplies the HTTP facts.
 */
export function useAudit(options: {
  schema: GraphQLSchema;
  /** The request's audit, when the audit log is on and the request is audited. */
  auditOf: (request: IncomingMessage | undefined) => RequestAudit | undefined;
  meaningOf: (field: GraphQLField<unknown, unknown>) => FieldMeaning;
}): Plugin {
  const redactor = new SchemaRedactor(options.schema);
  const auditOf = (context: unknown) => options.auditOf((context as { req?: IncomingMessage } | undefined)?.req);
  const plans = new OperationPlans(options.schema, options.meaningOf, redactor);
  return {
    onParse({ context }) {
      return ({ result }) => {
        if (result instanceof Error) auditOf(context)?.fail('GRAPHQL_PARSE_FAILED');
      };
    },
    onValidate({ context }) {
      return ({ valid }) => {
        if (!valid) auditOf(context)?.fail('GRAPHQL_VALIDATION_FAILED');
      };
    },
    onExecute({ args }) {
      const audit = auditOf(args.contextValue);
      if (!audit) return undefined;
      return {
        onExecuteDone({ result }) {
          // Subscriptions are streams: they are audited by the stream hook (open, close).
          if (Symbol.asyncIterator in result) return;
          const plan = plans.of(args.document, args.operationName);
          if (!plan) return;
          const variables = (args.variableValues ?? {}) as Record<string, unknown>;
          for (const record of recordsOf(plan, variables, result, audit.level)) audit.record(record);
        },
      };
    },
  };

  function recordsOf(plan: OperationPlan, variables: Record<string, unknown>, result: ExecutionResult, level: number): FieldRecord[] {
    const data = (result.data ?? {}) as Record<string, unknown>;
    const described = plan.fields.map(({ node, field, key, meaning, readsArguments }) => {
      // Coercing the arguments again is skipped when nothing at this level reads them.
      const values = readsArguments || level >= 2 ? argumentsOf(field, node, variables) : {};
      const answer = data[key];
      return {
        key,
        record: describeField(redactor, meaning, field, values, answer, errorFor(result.errors, key), plan.name),
        // Redaction runs only at the levels that log bodies.
        body: () => redactor.arguments(field, values, plan.isMutation),
        response: () => redactor.result(field, answer, node, plan.fragments),
      };
    });
    if (plan.isMutation) {
      return described.map(({ record, body, response }) => ({
        ...record,
        ...(level >= 2 ? { requestBody: body() } : {}),
        ...(level >= 3 ? { responseBody: response() } : {}),
      }));
    }
    const first = described[0];
    if (!first) return [];
    const failed =
      described.find(({ record }) => record.outcome === 'failure') ?? (result.errors?.length ? { record: { code: codeOf(result.errors[0]!) } } : undefined);
    return [
      {
        ...first.record,
        field: described.map(({ record }) => record.field).join(','),
        outcome: failed ? 'failure' : 'success',
        code: failed?.record.code ?? 'OK',
        ...(level >= 2 ? { requestBody: Object.fromEntries(described.map(({ key, body }) => [key, body()])) } : {}),
        ...(level >= 3 ? { responseBody: Object.fromEntries(described.map(({ key, response }) => [key, response()])) } : {}),
      },
    ];
  }
}

/** What the audit reads of an operation's document, the same for every request that runs it. */
interface OperationPlan {
  /** `query`, `mutation ChangePassword`: the operation's type and name. */
  name: string;
  isMutation: boolean;
  fragments: Record<string, FragmentDefinitionNode>;
  fields: PlannedField[];
}

interface PlannedField {
  node: FieldNode;
  field: GraphQLField<unknown, unknown>;
  /** Where the field's answer sits in the result: its alias or its name. */
  key: string;
  meaning: FieldMeaning;
  /** Level 1 reads the arguments only for an `id` (the resource) or an identity (who tried to log in). */
  readsArguments: boolean;
}

/**
 * Plans per document and operation name. Yoga's parser cache hands back the same
 * DocumentNode for the same text (/v3's generated documents go through it too), so
 * a request to a known operation only reads its plan; walking the document each time
 * was a good part of what level 1 cost a request (BENCHMARKS.md, the audit log).
 */
class OperationPlans {
  private readonly plans = new WeakMap<DocumentNode, Map<string | null, OperationPlan>>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly meaningOf: (field: GraphQLField<unknown, unknown>) => FieldMeaning,
    private readonly redactor: SchemaRedactor,
  ) {}

  of(document: DocumentNode, operationName: string | null | undefined): OperationPlan | undefined {
    let byName = this.plans.get(document);
    if (!byName) {
      byName = new Map();
      this.plans.set(document, byName);
    }
    let plan = byName.get(operationName ?? null);
    if (!plan) {
      plan = this.plan(document, operationName);
      // Only operations the document has are kept: a name it lacks (any string a caller
      // sends) is no plan, and is not remembered.
      if (plan) byName.set(operationName ?? null, plan);
    }
    return plan;
  }

  private plan(document: DocumentNode, operationName: string | null | undefined): OperationPlan | undefined {
    const operation = getOperationAST(document, operationName);
    const root = operation && this.schema.getRootType(operation.operation);
    if (!operation || !root) return undefined;
    const fragments = fragmentsOf(document);
    const fields = topLevelFields(operation.selectionSet, fragments).flatMap((node): PlannedField[] => {
      const field = root.getFields()[node.name.value];
      if (!field) return [];
      const readsArguments = field.args.some((argument) => argument.name === 'id') || this.redactor.namesIdentity(field);
      return [{ node, field, key: node.alias?.value ?? node.name.value, meaning: this.meaningOf(field), readsArguments }];
    });
    return {
      name: `${operation.operation}${operation.name ? ` ${operation.name.value}` : ''}`,
      isMutation: operation.operation === 'mutation',
      fragments,
      fields,
    };
  }
}

function describeField(
  redactor: SchemaRedactor,
  meaning: FieldMeaning,
  field: GraphQLField<unknown, unknown>,
  values: Record<string, unknown>,
  answer: unknown,
  errorCode: string | undefined,
  operation: string,
): FieldRecord {
  const userLoginName = redactor.identity(field, values);
  return {
    operation,
    field: field.name,
    resourceType: meaning.resourceType,
    resourceId: typeof values.id === 'string' ? values.id : idOf(answer),
    verb: meaning.verb,
    outcome: errorCode ? 'failure' : 'success',
    code: errorCode ?? 'OK',
    ...(userLoginName ? { userLoginName } : {}),
  };
}

function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  return Object.fromEntries(
    document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION).map((fragment) => [fragment.name.value, fragment]),
  );
}

/** The top-level fields of an operation, through fragments; `__typename` is no action. */
function topLevelFields(selectionSet: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>): FieldNode[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return selection.name.value.startsWith('__') ? [] : [selection];
    const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments[selection.name.value];
    return fragment ? topLevelFields(fragment.selectionSet, fragments) : [];
  });
}

function argumentsOf(field: GraphQLField<unknown, unknown>, node: FieldNode, variables: Record<string, unknown>): Record<string, unknown> {
  try {
    return getArgumentValues(field, node, variables);
  } catch {
    // Arguments GraphQL could not coerce: the field did not run, and its values are not logged.
    return {};
  }
}

/** The code of the error that ended a field: one on its path, or a request-wide one. */
function errorFor(errors: readonly GraphQLError[] | undefined, key: string): string | undefined {
  const error = errors?.find((candidate) => candidate.path?.[0] === key) ?? errors?.find((candidate) => !candidate.path);
  return error ? codeOf(error) : undefined;
}

/**
 * The code the client is told (this runs before Yoga masks errors, so it reads them
 * as the masker in src/graphql/errors.ts does): the API error's code; GraphQL's own
 * refusals are the caller's input; anything else is internal.
 */
function codeOf(error: GraphQLError): string {
  const code = error.extensions?.code;
  if (typeof code === 'string') return code;
  const original = toApiError(error.originalError ?? error);
  if (original instanceof ApiError) return String(original.code);
  return error.originalError ? 'INTERNAL_SERVER_ERROR' : 'INVALID_INPUT';
}

function idOf(answer: unknown): string | null {
  const id = answer && typeof answer === 'object' ? (answer as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id : null;
}
