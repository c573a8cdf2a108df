import { pageSize } from '../../src/schema/page-size.js';
import { FilterSyntaxError, parseFilterExpression, type Requirement } from './filter-expression.js';
import { statusBadRequest } from './status.js';

/**
 * What a /v1 list request asks, read from Steve's query parameters (rancher/steve
 * v0.10; README "List-specific query parameters" and the list processors under
 * pkg/stores/partition and pkg/stores/sqlpartition), before anything is known about
 * the kind: which fields exist is list-filter.ts's and list-sort.ts's business.
 *
 * Where Steve quietly reads a bad value as "no such parameter" (`pagesize=abc` or
 * `pagesize=0` as no paging, `page=abc` as page 1), this face refuses it with a 400
 * Status: a script that asked for a page and got the whole list, or another page,
 * would act on rows it never meant to.
 */
export interface ListQuery {
  /** Every group must hold (repeated `filter`); within a group, any requirement (`,`). */
  filters: Array<{ text: string; requirements: Requirement[] }>;
  /** `sort=a,-b`: most significant first. */
  sort: SortKey[];
  /** `pagesize` and `page` (1-based). */
  page?: { size: number; number: number };
  /** Kubernetes' chunking (`limit`, `continue`), which GraphQL's cursors serve. */
  limit: number;
  continue?: string;
  /** `projectsornamespaces` (or its negation, `projectsornamespaces!`): namespace or project names. */
  projectsOrNamespaces?: { names: string[]; negated: boolean };
  /** Kubernetes' `labelSelector` (`env=prod,tier!=web`): requirements on the labels, all of which must hold. */
  labelSelector?: { text: string; requirements: Requirement[] };
  /** Kubernetes' `fieldSelector` (`metadata.name=prod`): requirements on the name and namespace, all of which must hold. */
  fieldSelector?: { text: string; requirements: Requirement[] };
}

export interface SortKey {
  key: string;
  descending: boolean;
}

/**
 * The parameters that select, order or page a list, which a watch does not take: it sends
 * every change of the objects its `labelSelector` and `fieldSelector` select (Kubernetes'
 * own watch takes no others), in the order they happen, as they happen. `continue` is
 * refused as Kubernetes refuses it on a watch; `limit` is ignored there, as Kubernetes
 * ignores it (a client's ListWatch may pass its list's options on to the watch).
 */
export const listOnlyParameters = ['filter', 'sort', 'pagesize', 'page', 'projectsornamespaces', 'projectsornamespaces!', 'continue'] as const;

export function readListQuery(params: URLSearchParams): ListQuery {
  const filters = params.getAll('filter').map((text) => ({ text, requirements: filterRequirements(text) }));
  const page = pageOf(params);
  const chunked = params.has('limit') || params.has('continue');
  // Steve's two processors disagree on these together (the SQL one no longer reads `limit` and
  // `continue`; the other pages within one chunk of an unsorted list): no answer is safe to guess.
  if (page && chunked) throw statusBadRequest('pagesize and page cannot be combined with limit and continue: page with one pair or the other');
  const after = params.get('continue');
  const projectsOrNamespaces = projectsOrNamespacesOf(params);
  const labelSelector = labelSelectorOf(params);
  const fieldSelector = fieldSelectorOf(params);
  return {
    filters,
    sort: sortKeys(params),
    ...(page ? { page } : {}),
    limit: limitOf(params.get('limit')),
    ...(after ? { continue: after } : {}),
    ...(projectsOrNamespaces ? { projectsOrNamespaces } : {}),
    ...(labelSelector ? { labelSelector } : {}),
    ...(fieldSelector ? { fieldSelector } : {}),
  };
}

function filterRequirements(text: string, parameter = 'filter'): Requirement[] {
  try {
    return parseFilterExpression(text);
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw statusBadRequest(`${parameter} ${JSON.stringify(text)}: ${error.message}`);
    throw error;
  }
}

/**
 * Kubernetes' `labelSelector` on a list. Steve passes it to Kubernetes in its
 * cache-less mode (pkg/stores/proxy: the request's metav1.ListOptions), and its SQL
 * cache ignores it (pkg/stores/sqlpartition/listprocessor reads no such parameter): a
 * kubectl-style script would then act on objects its selector excludes, so it is
 * honoured here. The grammar is Kubernetes' (k8s.io/apimachinery labels.Parse), which
 * Steve's filter language extends (filter-expression.ts): requirements separated by commas,
 * which here must ALL hold, as in Kubernetes (in `filter` a comma is an OR). Steve's
 * additions are refused (`~`, list-filter.ts) or lenient (a quoted value is the text
 * inside, `IN` is `in`); an empty selector selects everything, as in Kubernetes. Given
 * twice, it is refused rather than one of them guessed.
 */
function labelSelectorOf(params: URLSearchParams): ListQuery['labelSelector'] {
  const given = params.getAll('labelSelector');
  if (given.length > 1) throw statusBadRequest('labelSelector is given more than once: join the requirements with commas in one labelSelector');
  const text = given[0];
  return text ? { text, requirements: filterRequirements(text, 'labelSelector') } : undefined;
}

/**
 * Kubernetes' `fieldSelector`, as its API server answers it for a custom resource: only
 * `metadata.name` and `metadata.namespace`, with `=`, `==` or `!=`, every requirement
 * holding (a comma is an AND). Steve passes it to Kubernetes, so a kubectl-style
 * `--field-selector metadata.name=prod` selects one object; any other field is refused
 * in Kubernetes' words, never ignored. Each requirement holds as a `filter` of its own
 * would (list-filter.ts).
 */
const selectableFields = ['metadata.name', 'metadata.namespace'];

function fieldSelectorOf(params: URLSearchParams): ListQuery['fieldSelector'] {
  const given = params.getAll('fieldSelector');
  if (given.length > 1) throw statusBadRequest('fieldSelector is given more than once: join the requirements with commas in one fieldSelector');
  const text = given[0];
  if (!text) return undefined;
  const requirements = filterRequirements(text, 'fieldSelector');
  for (const requirement of requirements) {
    if (!selectableFields.includes(requirement.key))
      throw statusBadRequest(`${JSON.stringify(requirement.key)} is not a known field selector: only "metadata.name", "metadata.namespace"`);
    if (requirement.operator !== '=' && requirement.operator !== '!=')
      throw statusBadRequest(`fieldSelector ${JSON.stringify(text)}: ${requirement.key} takes =, == or != only`);
  }
  return { text, requirements };
}

/** Steve's `sort`: comma-separated keys, `-` in front for descending; empty keys are skipped, as Steve does. */
function sortKeys(params: URLSearchParams): SortKey[] {
  const given = params.getAll('sort');
  if (given.length > 1) throw statusBadRequest('sort is given more than once: list the keys in one sort parameter, separated by commas');
  const keys: SortKey[] = [];
  for (const part of (given[0] ?? '').split(',')) {
    const descending = part.startsWith('-');
    const key = descending ? part.slice(1) : part;
    if (key === '') continue;
    if (/^ip\(.*\)$/.test(key)) throw statusBadRequest(`sort ${JSON.stringify(part)}: sorting as IP addresses is not supported`);
    keys.push({ key, descending });
  }
  return keys;
}

/** `pagesize` (a positive integer) and `page` (from 1, only with `pagesize`). */
function pageOf(params: URLSearchParams): ListQuery['page'] {
  const sizeText = params.get('pagesize');
  const numberText = params.get('page');
  if (sizeText === null) {
    if (numberText !== null) throw statusBadRequest('page needs pagesize: say how many items a page holds');
    return undefined;
  }
  return { size: positiveInteger('pagesize', sizeText), number: numberText === null ? 1 : positiveInteger('page', numberText) };
}

function positiveInteger(name: string, text: string): number {
  const value = /^\d{1,15}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= 1)) throw statusBadRequest(`${name} must be a positive integer, not ${JSON.stringify(text)}`);
  return value;
}

/** Kubernetes' `limit`: a positive integer; larger pages than GraphQL's are cut to its cap and continue. */
function limitOf(text: string | null): number {
  if (text === null) return pageSize.max;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1) throw statusBadRequest(`limit must be a positive integer, not ${JSON.stringify(text)}`);
  return Math.min(limit, pageSize.max);
}

function projectsOrNamespacesOf(params: URLSearchParams): ListQuery['projectsOrNamespaces'] {
  const included = params.get('projectsornamespaces');
  // Steve reads the negated form only when the plain one is absent or empty.
  const negated = included ? null : params.get('projectsornamespaces!');
  const text = included || negated;
  if (!text) return undefined;
  return { names: text.split(','), negated: !included };
}
