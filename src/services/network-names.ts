import { z } from 'zod';
import { ApiError } from '../errors.js';

/**
 * The name rules services and ingresses share, as Kubernetes checks them, and the one
 * way a rule that spans fields names the nested field at fault (`rules.0.paths.1.serviceId`).
 */

/** A DNS-1123 subdomain: lowercase labels of letters, digits and -, joined by dots, at most 253 characters. */
const subdomainLabels = '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const dnsSubdomain = new RegExp(`^(?=.{1,253}$)${subdomainLabels}$`);
const labelLength = (name: string) => name.split('.').every((label) => label.length <= 63);
const ipAddress = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:.]*)$/i;

/** A DNS name (an ExternalName service's hostname): lowercase, each label at most 63 characters. */
export const dnsName = z
  .string()
  .max(253)
  .regex(dnsSubdomain, 'must be a DNS name: lowercase letters, digits, - and ., each part starting and ending with a letter or digit')
  .refine(labelLength, 'each part of a DNS name is at most 63 characters');

/**
 * A Kubernetes object name that may contain dots (a DNS-1123 subdomain: a secret's, a
 * template's, a chart's HelmChartConfig), or blank for none, kept as blank.
 */
export const objectNameOrBlank = z
  .string()
  .max(253)
  .regex(
    new RegExp(`^(${subdomainLabels})?$`),
    'a Kubernetes object name: lowercase letters, digits, - and ., each part starting and ending with a letter or digit',
  );

/** An ingress host: a DNS name, optionally `*.` in front (one wildcard label); never an IP address or a port. */
export const ingressHost = z
  .string()
  .max(253)
  .refine((host) => !ipAddress.test(host), 'an ingress host is a DNS name, not an IP address')
  .refine(
    (host) => dnsSubdomain.test(host.startsWith('*.') ? host.slice(2) : host) && labelLength(host),
    'must be a DNS name (lowercase letters, digits, - and .), optionally with a leading *. wildcard',
  );

/** A port number, 1–65535. */
export const portNumber = z.number().int().min(1, 'ports are 1–65535').max(65_535, 'ports are 1–65535');

/** A named port (Kubernetes' IANA_SVC_NAME): at most 15 lowercase letters, digits and -, with a letter, no -- and no - at either end. */
const portName = z
  .string()
  .min(1)
  .max(15)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'named ports are lowercase letters, digits and -, starting and ending with a letter or digit')
  .refine((name) => /[a-z]/.test(name) && !name.includes('--'), 'named ports have at least one letter and no --');

/** A target port: a number (1–65535) or a container port's name. */
export const portNumberOrName = z.union([portNumber, portName]);

/** An optional text field: blank (what an untouched form sends) means not given, and is null; anything else follows `rule`. */
export function blankOr<T extends z.ZodType<string>>(rule: T) {
  return z
    .literal('')
    .transform(() => null)
    .or(rule);
}

/** INVALID_INPUT on a nested field: `fieldName` is the top-level field (as Norman reports it), `fieldPath` the whole path. */
export function invalidAt(path: ReadonlyArray<string | number>, message: string, reason?: string): ApiError {
  const fieldName = String(path[0]);
  return new ApiError('INVALID_INPUT', `${path.join('.')}: ${message}`, {
    fieldName,
    ...(path.length > 1 ? { fieldPath: [...path] } : {}),
    ...(reason ? { reason } : {}),
  });
}
