import { z } from 'zod';

/**
 * Kubernetes' syntax of label keys and values (k8s.io/apimachinery validation:
 * IsQualifiedName, IsValidLabelValue), written once for every place that takes them:
 * labels, annotations and taints on writes, label selectors on reads (GraphQL's
 * LabelFilter, /v1's `filter` and `labelSelector`). A key or value no label can have
 * is refused in the API server's own words.
 */
const namePart = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const namePartRule = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** Why `key` is not a label key (a qualified name: `[prefix/]name`, the prefix a DNS subdomain), or undefined when it is one. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (prefix !== undefined) {
    if (prefix === '') return 'prefix part must be non-empty';
    if (prefix.length > 253) return 'prefix part must be no more than 253 characters';
    if (!dnsSubdomain.test(prefix))
      return "prefix part must be a lowercase DNS subdomain: lowercase alphanumeric characters, '-' or '.', starting and ending with an alphanumeric character";
  }
  if (name === '') return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!namePart.test(name)) return `name part ${namePartRule}`;
  return undefined;
}

/** Why `value` is not a label value, or undefined when it is one (the empty value is one). */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return 'must be no more than 63 characters';
  if (value !== '' && !namePart.test(value)) return `must be empty or ${namePartRule.replace('must consist', 'consist')}`;
  return undefined;
}

const checked = (problem: (text: string) => string | undefined) =>
  z.string().superRefine((text, context) => {
    const found = problem(text);
    if (found) context.addIssue({ code: 'custom', message: `${JSON.stringify(text)}: ${found}` });
  });

/** A label key (also an annotation's or a taint's). */
export const labelKey = checked(labelKeyProblem);
/** A label value (also a taint's). */
export const labelValue = checked(labelValueProblem);

/**
 * Entries of a map whose keys are label keys, each checked by `valueProblem` too; the
 * issue names the key (z.record's own key issue says only "Invalid key in record").
 */
const keyedMap = (valueProblem: (value: string) => string | undefined) =>
  z.record(z.string(), z.string()).superRefine((pairs, context) => {
    for (const [key, value] of Object.entries(pairs)) {
      const keyProblem = labelKeyProblem(key);
      const [text, found] = keyProblem ? [key, keyProblem] : [value, valueProblem(value)];
      if (found) context.addIssue({ code: 'custom', path: [key], message: `${JSON.stringify(text)}: ${found}` });
    }
  });

/** Kubernetes labels: label keys, label values. */
export const labelMap = keyedMap(labelValueProblem);

/** Kubernetes annotations: label keys, any text as values, 256 KiB in all. */
export const annotationMap = keyedMap(() => undefined).refine((map) => JSON.stringify(map).length <= 256 * 1024, 'annotations must not exceed 256 KiB');
