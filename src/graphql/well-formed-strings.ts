import { Kind, visit, type DocumentNode, type ValueNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ApiError } from '../errors.js';

/**
 * Refuses, before anything runs, every string input PostgreSQL cannot store: one with
 * U+0000 (its `text` has no NUL) or with a lone UTF-16 surrogate (not encodable as
 * UTF-8). Without this the database refused them mid-request (SQLSTATE 22021) and the
 * caller got a 500 for a bad input.
 *
 * It lives at the GraphQL layer because every face runs through it in process — /v3,
 * /v3-public and /v1 included — so one check covers path segments, query strings,
 * bodies and variables of all of them. Strings are checked in the variables (keys
 * too: label maps) and in the literals of the document.
 */
export function useWellFormedStrings(): Plugin {
  return {
    onExecute({ args }) {
      const variable = checkVariables(args.variableValues ?? {});
      if (variable?.problem === 'too deep') {
        throw new ApiError('INVALID_INPUT', `${variable.fieldName} nests deeper than ${deepestNesting} levels`, {
          reason: 'MaxLimitExceeded',
          fieldName: variable.fieldName,
        });
      }
      const fieldName = variable?.fieldName ?? malformedLiteral(args.document);
      if (fieldName === undefined) return;
      throw new ApiError('INVALID_INPUT', `${fieldName || 'a string input'} contains a NUL character or invalid Unicode`, {
        reason: 'InvalidCharacters',
        ...(fieldName ? { fieldName } : {}),
      });
    },
  };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what PostgreSQL text refuses.
const malformed = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when PostgreSQL could not store the string as text. */
const isMalformedString = (value: string): boolean => malformed.test(value);

/**
 * How deep a variable's value may nest: far beyond any input's shape (a Kubernetes
 * affinity is about eight levels), and short of the stack whatever walks it next would
 * exhaust (a JSON variable 200,000 arrays deep was a 500: the stack ran out).
 */
const deepestNesting = 100;

/**
 * The first problem in the variables, in the order the caller wrote them: a string
 * PostgreSQL cannot store (keys too: label maps), or a value nested deeper than
 * {@link deepestNesting} (named by its first levels). The field is named as the caller
 * named it: `name`, `labels.app`, `filter.name.eq` (a mutation's `input` wrapper left out).
 * Walked with a stack of its own, so no depth exhausts this one.
 */
function checkVariables(variables: unknown): { fieldName: string; problem: 'malformed' | 'too deep' } | undefined {
  const pending: { value: unknown; path: string[] }[] = [{ value: variables, path: [] }];
  while (pending.length > 0) {
    const { value, path } = pending.pop()!;
    if (typeof value === 'string') {
      if (isMalformedString(value)) return { fieldName: fieldPath(path), problem: 'malformed' };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (path.length >= deepestNesting) return { fieldName: fieldPath(path.slice(0, 3)), problem: 'too deep' };
    const entries = Array.isArray(value) ? value.map((item, index) => [String(index), item] as const) : Object.entries(value);
    for (const [key] of entries) if (!Array.isArray(value) && isMalformedString(key)) return { fieldName: fieldPath(path), problem: 'malformed' };
    // Pushed last first, so the first is taken next: the caller's order.
    for (let index = entries.length - 1; index >= 0; index -= 1) pending.push({ value: entries[index]![1], path: [...path, entries[index]![0]] });
  }
  return undefined;
}

/**
 * Literals are part of the document, and Yoga's parser cache hands the same document
 * object to every request with the same text: each document is walked once, not once
 * per request (the walk was ~1.6 % of a small query's CPU).
 */
const literalVerdicts = new WeakMap<DocumentNode, { fieldName: string | undefined }>();

function malformedLiteral(document: DocumentNode): string | undefined {
  let verdict = literalVerdicts.get(document);
  if (!verdict) {
    verdict = { fieldName: firstMalformedLiteral(document) };
    literalVerdicts.set(document, verdict);
  }
  return verdict.fieldName;
}

function firstMalformedLiteral(document: DocumentNode): string | undefined {
  let found: string | undefined;
  visit(document, {
    Argument(node) {
      found ??= malformedValueNode(node.value, [node.name.value]);
      return found === undefined ? undefined : false;
    },
  });
  return found;
}

function malformedValueNode(node: ValueNode, path: string[]): string | undefined {
  if (node.kind === Kind.STRING) return isMalformedString(node.value) ? fieldPath(path) : undefined;
  if (node.kind === Kind.LIST) {
    for (const [index, item] of node.values.entries()) {
      const found = malformedValueNode(item, [...path, String(index)]);
      if (found !== undefined) return found;
    }
  }
  if (node.kind === Kind.OBJECT) {
    for (const field of node.fields) {
      const found = malformedValueNode(field.value, [...path, field.name.value]);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

const fieldPath = (path: string[]): string => (path[0] === 'input' ? path.slice(1) : path).join('.');
