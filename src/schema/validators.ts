import { z } from 'zod';
import { annotationMap, labelMap } from '../kubernetes-labels.js';

/**
 * Input rules shared by several types, written once as zod schemas. The validation
 * plugin runs them before any resolver, and rest-compat reads their limits
 * (lengths, patterns) back from the schema for the /v3 field attributes.
 */

/** A Kubernetes object name (RFC 1123 label): what clusters are called on disk and in kubectl. */
export const kubernetesName = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be lowercase letters, digits and -, starting and ending with a letter or digit');

/** A name people read: any text without control characters and without surrounding spaces. */
export const displayName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^\S(.*\S)?$/u, 'must not be empty or start or end with whitespace')
  .refine((value) => !/\p{Cc}/u.test(value), 'must not contain control characters');

export const description = z.string().max(4096);

/** Kubernetes label rules: `[prefix/]name` keys, values of at most 63 safe characters. */
export const labels = labelMap;

/** Kubernetes annotation rules: label-style keys, any values up to 256 KiB in all. */
export const annotations = annotationMap;

/** A Kubernetes version as distributions spell it (`v1.31.4+rke2r1`); which ones fit a driver is a domain rule. */
export const versionText = z
  .string()
  .max(64)
  .regex(/^(v\d+\.\d+\.\d+(\+[a-z0-9.]+)?)?$/, 'must look like v1.31.4+rke2r1');

/** A Kubernetes object name that may contain dots (RFC 1123 subdomain), as secrets may. */
export const kubernetesSubdomain = z
  .string()
  .min(1)
  .max(253)
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    'must be lowercase letters, digits, - and ., each part starting and ending with a letter or digit',
  );

/** An optional reference to another resource by id; a blank one means none (a domain rule). */
export { optionalReference } from '../services/input.js';
