import type { WorkloadKindName } from './workload-spec.js';

/**
 * Norman's `state`, `transitioning` and `transitioningMessage` for a workload, told
 * honestly: this server keeps a workload's desired state and runs no controller, and
 * no cluster agent reports pods back to it, so a workload is never `active`. It is
 * `pending` — with the reason in the message — unless its own desired state says it
 * is at rest (a paused rollout, a suspended CronJob).
 */
export const workloadStates = ['pending', 'paused', 'suspended'] as const;
type WorkloadStateName = (typeof workloadStates)[number];

export interface WorkloadStatus {
  state: WorkloadStateName;
  transitioning: 'yes' | 'no' | 'error';
  transitioningMessage: string;
}

export function workloadStatusOf(
  workload: { kind: WorkloadKindName; paused: boolean; config: unknown },
  cluster: { id: string; state: string },
): WorkloadStatus {
  if (workload.kind === 'Deployment' && workload.paused) return { state: 'paused', transitioning: 'no', transitioningMessage: 'The rollout is paused.' };
  if (workload.kind === 'CronJob' && (workload.config as { suspend?: unknown }).suspend === true) {
    return { state: 'suspended', transitioning: 'no', transitioningMessage: 'The CronJob is suspended: it starts no Jobs.' };
  }
  if (cluster.state === 'error') {
    return { state: 'pending', transitioning: 'error', transitioningMessage: `Cluster ${cluster.id} is in error: nothing runs this ${workload.kind}.` };
  }
  if (cluster.state !== 'active') {
    return {
      state: 'pending',
      transitioning: 'yes',
      transitioningMessage: `Waiting for cluster ${cluster.id}, which is ${cluster.state}: no agent runs this ${workload.kind} yet.`,
    };
  }
  return {
    state: 'pending',
    transitioning: 'yes',
    transitioningMessage: `No agent of cluster ${cluster.id} has reported this ${workload.kind}'s pods: this server keeps its desired state only.`,
  };
}
