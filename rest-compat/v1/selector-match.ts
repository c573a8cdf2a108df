import type { SelectorCondition } from './list-filter.js';
import { getPath, type KubernetesObject } from './mapping.js';

/**
 * Whether an object, as GET shows it, meets every condition of Kubernetes' selectors: a
 * watch's judgement of each event's object, in memory. The conditions are the ones a list
 * runs in SQL through GraphQL's filter, read and checked by the same code (list-query.ts,
 * list-filter.ts), so a watch selects what a list with the same selectors lists. Only the
 * evaluation is here, with the same semantics:
 *
 * - a label as Kubernetes (and GraphQL's LabelFilter) tests it: the key alone holds when
 *   the object has the label, `!key` when it has not, `in` (`=`) when it has one of the
 *   values, `notin` (`!=`) when it has none of them or no such label;
 * - a field (`metadata.name`, the one a selector can test) equal to one of the values
 *   (`in`), or to none of them (`notin`), where the object shows it (an empty value is
 *   shown as none: list-columns.ts).
 */
export function matchesSelectors(conditions: readonly SelectorCondition[], object: KubernetesObject): boolean {
  return conditions.every((condition) => holds(condition, object));
}

function holds(condition: SelectorCondition, object: KubernetesObject): boolean {
  if (isLabelCondition(condition)) {
    const labels = getPath(object, condition.column.path);
    const value =
      typeof labels === 'object' && labels !== null && Object.hasOwn(labels, condition.column.mapKey)
        ? (labels as Record<string, unknown>)[condition.column.mapKey]
        : undefined;
    const present = typeof value === 'string';
    switch (condition.modifier) {
      case 'has':
        return present;
      case 'hasNot':
        return !present;
      case 'in':
        return present && condition.values.includes(value);
      case 'notin':
        return !present || !condition.values.includes(value);
    }
  }
  const shown = getPath(object, condition.column.path);
  const value = shown === undefined || shown === null ? '' : String(shown);
  return condition.values.includes(value) === (condition.modifier === 'in');
}

const isLabelCondition = (condition: SelectorCondition): condition is Extract<SelectorCondition, { column: { kind: 'mapKey' } }> =>
  condition.column.kind === 'mapKey';
