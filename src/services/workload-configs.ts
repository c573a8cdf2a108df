import { invalidInput } from '../errors.js';
import type { WorkloadKindName } from './workload-spec.js';

/**
 * Rancher's per-kind workload settings: a workload carries the config of its own kind
 * (`deploymentConfig`, `statefulSetConfig`, `daemonSetConfig`, `cronJobConfig`,
 * `jobConfig`), and a Rancher client that sends one and no `kind` means that kind.
 * The field rules (ranges, names) are zod validators on the GraphQL inputs; what spans
 * fields or kinds is here.
 */
export const deploymentStrategies = ['RollingUpdate', 'Recreate'] as const;
export const setUpdateStrategies = ['RollingUpdate', 'OnDelete'] as const;
export const podManagementPolicies = ['OrderedReady', 'Parallel'] as const;
export const concurrencyPolicies = ['Allow', 'Forbid', 'Replace'] as const;

/** The input field that holds each kind's config, as Rancher names it. */
const configFieldOfKind = {
  Deployment: 'deploymentConfig',
  StatefulSet: 'statefulSetConfig',
  DaemonSet: 'daemonSetConfig',
  CronJob: 'cronJobConfig',
  Job: 'jobConfig',
} as const satisfies Record<WorkloadKindName, string>;

type ConfigField = (typeof configFieldOfKind)[WorkloadKindName];
export type WorkloadConfig = Record<string, unknown>;
export type ConfigInputs = Partial<Record<ConfigField, WorkloadConfig | null>>;

const kindsWithConfig = Object.keys(configFieldOfKind) as WorkloadKindName[];

/**
 * The kind a create means: the one given, else the one whose config is present (as
 * Rancher reads it), else a Deployment. Configs of two kinds, or of another kind than
 * the one given, are refused naming the field.
 */
export function workloadKindOf(input: ConfigInputs & { kind?: WorkloadKindName | null }): WorkloadKindName {
  const configured = kindsWithConfig.filter((kind) => input[configFieldOfKind[kind]] != null);
  if (configured.length > 1) {
    const fields = configured.map((kind) => configFieldOfKind[kind]);
    throw invalidInput(fields[1]!, `give the config of one kind only, not ${fields.join(' and ')}`);
  }
  const fromConfig = configured[0];
  if (input.kind && fromConfig && fromConfig !== input.kind) {
    throw invalidInput(configFieldOfKind[fromConfig], `a ${input.kind} takes ${configFieldOfKind[input.kind]}, not ${configFieldOfKind[fromConfig]}`);
  }
  return input.kind ?? fromConfig ?? 'Deployment';
}

/**
 * The config a workload of `kind` keeps from `input` (its schedule lives in its own
 * column, so it is taken out), after the rules that span its fields; undefined when
 * the input has none for the kind. A config of another kind is refused.
 */
export function configFor(kind: WorkloadKindName, input: ConfigInputs): WorkloadConfig | undefined {
  const stray = kindsWithConfig.find((other) => other !== kind && input[configFieldOfKind[other]] != null);
  if (stray) throw invalidInput(configFieldOfKind[stray], `a ${kind} takes ${configFieldOfKind[kind]}, not ${configFieldOfKind[stray]}`);
  const given = input[configFieldOfKind[kind]];
  if (given == null) return undefined;
  const { schedule: _schedule, ...config } = definedOnly(given);
  if (config.strategy === 'Recreate' && (config.maxSurge != null || config.maxUnavailable != null)) {
    throw invalidInput(configFieldOfKind[kind], 'a Recreate rollout has no maxSurge or maxUnavailable: they belong to RollingUpdate');
  }
  if (config.strategy === 'OnDelete' && config.maxUnavailable != null) {
    throw invalidInput(configFieldOfKind[kind], 'an OnDelete update has no maxUnavailable: it belongs to RollingUpdate');
  }
  // A Job's settings, or those of the Jobs a CronJob starts.
  const job = kind === 'Job' ? config : (config.jobConfig as WorkloadConfig | undefined);
  if (job && typeof job.completions === 'number' && typeof job.parallelism === 'number' && job.parallelism > job.completions) {
    throw invalidInput(configFieldOfKind[kind], 'parallelism cannot exceed completions: the extra pods would have nothing to run');
  }
  return config;
}

/** The config as a workload shows it: its own kind's field, with a CronJob's schedule put back. */
export function configOutput(kind: WorkloadKindName, field: ConfigField, config: unknown, schedule: string | null): WorkloadConfig | null {
  if (configFieldOfKind[kind] !== field) return null;
  return { ...(config as WorkloadConfig), ...(kind === 'CronJob' ? { schedule } : {}) };
}

function definedOnly(config: WorkloadConfig): WorkloadConfig {
  return Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined && value !== null));
}
