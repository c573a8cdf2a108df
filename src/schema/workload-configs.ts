import type { EnumRef, InputObjectRef, ObjectRef } from '@pothos/core';
import { z } from 'zod';
import { concurrencyPolicies, deploymentStrategies, podManagementPolicies, setUpdateStrategies, type WorkloadConfig } from '../services/workload-configs.js';
import { cronSchedule } from '../services/workload-spec.js';
import { builder, type BuilderTypes } from './builder.js';
import { described } from './enum-values.js';
import { annotations, kubernetesName, labels } from './validators.js';

/**
 * Rancher's per-kind workload configs (project.cattle.io/v3 `deploymentConfig`,
 * `statefulSetConfig`, `daemonSetConfig`, `cronJobConfig`, `jobConfig`). Each is
 * declared once as a table of fields, from which its output type and its input type
 * (the same field names, so /v3 bodies pass straight through) are both made.
 */

const DeploymentStrategy = builder.enumType('DeploymentStrategy', {
  description: 'How a Deployment replaces its pods.',
  values: described(deploymentStrategies, {
    RollingUpdate: 'A few at a time, within maxSurge and maxUnavailable.',
    Recreate: 'All old pods go before new ones start.',
  }),
});

const SetUpdateStrategy = builder.enumType('SetUpdateStrategy', {
  description: 'How a StatefulSet or DaemonSet replaces its pods.',
  values: described(setUpdateStrategies, {
    RollingUpdate: 'Pods are replaced automatically, one after another.',
    OnDelete: 'A pod is replaced only when someone deletes it.',
  }),
});

const PodManagementPolicy = builder.enumType('PodManagementPolicy', {
  description: 'How a StatefulSet starts and stops its pods.',
  values: described(podManagementPolicies, {
    OrderedReady: 'One at a time, in order, each waiting for the one before to be ready.',
    Parallel: 'All at once.',
  }),
});

const ConcurrencyPolicy = builder.enumType('ConcurrencyPolicy', {
  description: 'What a CronJob does when a run is due while the previous one still runs.',
  values: described(concurrencyPolicies, {
    Allow: 'Runs both.',
    Forbid: 'Skips the new run.',
    Replace: 'Stops the old run and starts the new one.',
  }),
});

const count = z.number().int().min(0).max(2_147_483_647);
const positive = z.number().int().min(1).max(2_147_483_647);

type FieldType = 'Int' | 'Boolean' | 'String' | 'IntOrString' | 'StringMap' | EnumRef<BuilderTypes, string> | ConfigTypes;
interface ConfigField {
  type: FieldType;
  description: string;
  validate?: z.ZodType;
}
interface ConfigTypes {
  Output: ObjectRef<BuilderTypes, WorkloadConfig>;
  Input: InputObjectRef<BuilderTypes, WorkloadConfig>;
}

const revisionHistoryLimit: ConfigField = { type: 'Int', validate: count, description: 'How many old revisions are kept for rollback (10 when absent).' };
const minReadySeconds: ConfigField = { type: 'Int', validate: count, description: 'Seconds a new pod must be ready before it counts as available.' };
const maxUnavailable: ConfigField = {
  type: 'IntOrString',
  description: 'RollingUpdate only: pods (or a percentage) that may be unavailable during the update.',
};

export const JobConfig = configTypes('JobConfig', 'The settings of a Job, or of the Jobs a CronJob starts.', {
  activeDeadlineSeconds: { type: 'Int', validate: positive, description: 'Seconds a Job may run before it is stopped as failed.' },
  backoffLimit: { type: 'Int', validate: count, description: 'Retries before the Job counts as failed (6 when absent).' },
  completions: { type: 'Int', validate: count, description: 'Successful pods the Job needs (1 when absent).' },
  parallelism: { type: 'Int', validate: count, description: 'Pods run at once; at most completions.' },
  manualSelector: { type: 'Boolean', description: 'The selector is given by hand instead of generated.' },
});

export const DeploymentConfig = configTypes(
  'DeploymentConfig',
  'A Deployment’s rollout settings (Rancher’s deploymentConfig); its replicas are the workload’s scale.',
  {
    strategy: { type: DeploymentStrategy, description: 'RollingUpdate when absent.' },
    maxSurge: { type: 'IntOrString', description: 'RollingUpdate only: pods (or a percentage) started above scale during the update.' },
    maxUnavailable,
    minReadySeconds,
    progressDeadlineSeconds: { type: 'Int', validate: positive, description: 'Seconds a rollout may make no progress before it counts as failed.' },
    revisionHistoryLimit,
  },
);

export const StatefulSetConfig = configTypes(
  'StatefulSetConfig',
  'A StatefulSet’s settings (Rancher’s statefulSetConfig); its replicas are the workload’s scale.',
  {
    strategy: { type: SetUpdateStrategy, description: 'RollingUpdate when absent.' },
    partition: { type: 'Int', validate: count, description: 'RollingUpdate only: pods with a lower ordinal keep the old version.' },
    podManagementPolicy: { type: PodManagementPolicy, description: 'OrderedReady when absent.' },
    revisionHistoryLimit,
    serviceName: { type: 'String', validate: kubernetesName, description: 'The headless service that gives the pods their network identity.' },
  },
);

export const DaemonSetConfig = configTypes('DaemonSetConfig', 'A DaemonSet’s update settings (Rancher’s daemonSetConfig); it runs one pod per node.', {
  strategy: { type: SetUpdateStrategy, description: 'RollingUpdate when absent.' },
  maxUnavailable,
  minReadySeconds,
  revisionHistoryLimit,
});

export const CronJobConfig = configTypes('CronJobConfig', 'A CronJob’s settings (Rancher’s cronJobConfig).', {
  schedule: { type: 'String', validate: cronSchedule, description: 'When to run: five cron fields or a macro such as @daily. Required for a CronJob.' },
  concurrencyPolicy: { type: ConcurrencyPolicy, description: 'Allow when absent.' },
  suspend: { type: 'Boolean', description: 'Starts no more Jobs while true.' },
  startingDeadlineSeconds: { type: 'Int', validate: positive, description: 'Seconds after its time a missed run may still start.' },
  successfulJobsHistoryLimit: { type: 'Int', validate: count, description: 'Finished Jobs kept (3 when absent).' },
  failedJobsHistoryLimit: { type: 'Int', validate: count, description: 'Failed Jobs kept (1 when absent).' },
  jobConfig: { type: JobConfig, description: 'The settings of each Job it starts.' },
  jobLabels: { type: 'StringMap', validate: labels, description: 'Labels of each Job it starts.' },
  jobAnnotations: { type: 'StringMap', validate: annotations, description: 'Annotations of each Job it starts.' },
});

/** The output and input types of one config, from its table of fields. */
function configTypes(name: string, description: string, fields: Record<string, ConfigField>): ConfigTypes {
  const entries = Object.entries(fields);
  const typeOf = (type: FieldType, face: 'Output' | 'Input') => (typeof type === 'object' && 'Output' in type ? type[face] : type);
  // The table's types are checked above; Pothos cannot type fields built from a table.
  const Output = builder.objectRef<WorkloadConfig>(name).implement({
    description,
    fields: (t) =>
      Object.fromEntries(
        entries.map(([key, field]) => [
          key,
          t.field({
            type: typeOf(field.type, 'Output') as never,
            nullable: true,
            description: field.description,
            resolve: (config) => (config[key] ?? null) as never,
          }),
        ]),
      ),
  });
  const Input = builder.inputType(`${name}Input`, {
    description,
    fields: (t) =>
      Object.fromEntries(
        entries.map(([key, field]) => [
          key,
          t.field({
            type: typeOf(field.type, 'Input') as never,
            description: field.description,
            ...(field.validate ? { validate: field.validate as never } : {}),
          }),
        ]),
      ),
  }) as InputObjectRef<BuilderTypes, WorkloadConfig>;
  return { Output, Input };
}
