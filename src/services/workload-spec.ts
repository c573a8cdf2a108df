import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';
import { invalidInput } from '../errors.js';
import { envVarSchema, resourceListSchema } from './cluster-spec.js';

/**
 * What a workload runs, as Kubernetes spells it: containers, replicas, a CronJob's
 * schedule, the label selector. Field rules are zod schemas the GraphQL inputs run;
 * `checkWorkloadSpec` adds the rules that depend on the kind or span fields.
 */
export const workloadKinds = ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job'] as const;
export type WorkloadKindName = (typeof workloadKinds)[number];
export const portProtocols = ['TCP', 'UDP', 'SCTP'] as const;

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const containerSchema = z.object({
  name: z.string().min(1).max(63).regex(dnsLabel, 'container names are lowercase letters, digits and -'),
  image: z.string().min(1).max(1024).regex(/^\S+$/, 'an image reference has no spaces'),
  command: z.array(z.string().max(4096)).max(100).optional().nullable(),
  args: z.array(z.string().max(4096)).max(100).optional().nullable(),
  env: z.array(envVarSchema).max(200).optional().nullable(),
  ports: z
    .array(
      z.object({
        containerPort: z.number().int().min(1).max(65_535),
        protocol: z.enum(portProtocols).optional().nullable(),
        name: z.string().max(15).regex(dnsLabel).optional().nullable(),
      }),
    )
    .max(100)
    .optional()
    .nullable(),
  resources: z.object({ requests: resourceListSchema.optional().nullable(), limits: resourceListSchema.optional().nullable() }).optional().nullable(),
});

export const containersSchema = z
  .array(containerSchema)
  .min(1, 'a workload needs at least one container')
  .max(20)
  .refine((containers) => new Set(containers.map((container) => container.name)).size === containers.length, 'container names must be unique');

export type Container = z.infer<typeof containerSchema>;

/** Kubernetes CronJob syntax: five fields, or a macro such as @hourly. */
export const cronSchedule = z
  .string()
  .max(256)
  .refine((schedule) => {
    const trimmed = schedule.trim();
    if (!trimmed.startsWith('@') && trimmed.split(/\s+/).length !== 5) return false;
    try {
      CronExpressionParser.parse(trimmed);
      return true;
    } catch {
      return false;
    }
  }, 'must be a cron schedule of five fields (minute hour day month weekday) or a macro such as @daily');

export interface WorkloadSpec {
  kind: WorkloadKindName;
  replicas: number | null;
  schedule: string | null;
  labels: Record<string, string>;
  selector: Record<string, string>;
}

/**
 * Replicas belong to Deployments and StatefulSets, a schedule to CronJobs (which need
 * one), and the selector must select the workload's own labels.
 */
export function checkWorkloadSpec(spec: WorkloadSpec): void {
  const scaled = spec.kind === 'Deployment' || spec.kind === 'StatefulSet';
  if (!scaled && spec.replicas !== null) throw invalidInput('replicas', `a ${spec.kind} has no replicas`);
  if (spec.kind === 'CronJob' && !spec.schedule) throw invalidInput('schedule', 'a CronJob needs a schedule', 'MissingRequired');
  if (spec.kind !== 'CronJob' && spec.schedule !== null) throw invalidInput('schedule', `only CronJobs have a schedule, not a ${spec.kind}`);
  if (Object.keys(spec.selector).length === 0) throw invalidInput('selector', 'the selector must match at least one label');
  const unmatched = Object.entries(spec.selector).find(([key, value]) => spec.labels[key] !== value);
  if (unmatched) throw invalidInput('selector', `the selector's ${unmatched[0]}=${unmatched[1]} is not among the workload's labels`);
}

/** Without labels or a selector, a workload is labelled and selected by `app: <name>`; the selector defaults to the labels. */
export function defaultLabelsAndSelector(name: string, labels: Record<string, string> | null | undefined, selector: Record<string, string> | null | undefined) {
  const ownLabels = labels && Object.keys(labels).length > 0 ? labels : selector && Object.keys(selector).length > 0 ? selector : { app: name };
  return { labels: ownLabels, selector: selector && Object.keys(selector).length > 0 ? selector : ownLabels };
}
