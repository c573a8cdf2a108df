import {
  getNamedType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLFieldResolver,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { InvalidInputs } from '../errors.js';
import { inputIssues, type Issue } from './input-issues.js';

/** A Standard Schema validator (zod's), as the validation plugin keeps it on each input field it checks. */
interface StandardSchema {
  '~standard': { validate(value: unknown): { issues?: readonly Issue[] } | Promise<{ issues?: readonly Issue[] }> };
}

interface InputField {
  name: string;
  type: GraphQLInputType;
  extensions: Readonly<Record<string, unknown>>;
}

const validatorsOf = (field: InputField): StandardSchema[] =>
  (field.extensions['@pothos/plugin-validation'] as { schemas?: StandardSchema[] } | undefined)?.schemas ?? [];

/**
 * Pothos' validation plugin stops at the first input field that fails, so a form would
 * learn of its mistakes one at a time. For every field with validated arguments, this
 * checks all of them first, with the very validators the plugin holds (each input
 * field's `validate`), and refuses with every issue at once (`InvalidInputs`, one
 * GraphQL error each). When they all pass, the plugin runs as before (and still
 * applies whole-object rules and transforms).
 */
export function reportEveryInputIssue(schema: GraphQLSchema): GraphQLSchema {
  const checked = new Map<GraphQLInputType, boolean>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      if (!field.args.some((argument) => hasValidators(argument, checked))) continue;
      const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve!;
      const { args } = field;
      const checkThenResolve = async (...call: Parameters<GraphQLFieldResolver<unknown, unknown>>) => {
        const issues: Issue[] = [];
        await collectIssues(args, call[1], [], issues);
        if (issues.length > 0) throw new InvalidInputs(inputIssues(issues));
        return resolve(...call);
      };
      // Nothing given, nothing to check, and no promise: a nested list (`Cluster.projects`)
      // resolves once per parent row, almost always without arguments.
      field.resolve = (root, values: Record<string, unknown>, context, info) =>
        args.some((argument) => values[argument.name] != null) ? checkThenResolve(root, values, context, info) : resolve(root, values, context, info);
    }
  }
  return schema;
}

/** Whether a field, or anything inside its input type, has validators (memoised: input types may nest themselves). */
function hasValidators(field: InputField, checked: Map<GraphQLInputType, boolean>): boolean {
  if (validatorsOf(field).length > 0) return true;
  const named = getNamedType(field.type);
  if (!isInputObjectType(named)) return false;
  if (!checked.has(named)) {
    checked.set(named, false);
    checked.set(
      named,
      Object.values(named.getFields()).some((inner) => hasValidators(inner, checked)),
    );
  }
  return checked.get(named)!;
}

async function collectIssues(fields: readonly InputField[], values: Record<string, unknown>, path: PropertyKey[], issues: Issue[]): Promise<void> {
  for (const field of fields) {
    const value = values[field.name];
    if (value === null || value === undefined) continue;
    const at = [...path, field.name];
    for (const validator of validatorsOf(field)) {
      const result = await validator['~standard'].validate(value);
      if (!result.issues?.length) continue;
      issues.push(...result.issues.map((issue) => ({ message: issue.message, path: [...at, ...(issue.path ?? [])] })));
      break;
    }
    await collectNested(field.type, value, at, issues);
  }
}

/** Into the fields of an input object, through any lists around it. */
async function collectNested(type: GraphQLInputType, value: unknown, path: PropertyKey[], issues: Issue[]): Promise<void> {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    if (!Array.isArray(value)) return;
    for (const [index, item] of value.entries()) if (item != null) await collectNested(inner.ofType, item, [...path, index], issues);
    return;
  }
  if (isInputObjectType(inner) && typeof value === 'object')
    await collectIssues(Object.values(inner.getFields()), value as Record<string, unknown>, path, issues);
}
