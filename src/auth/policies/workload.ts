import { workloadsWhere } from '../visibility.js';
import { inNamespacePolicy, inNamespaceRowColumns } from './in-namespace.js';

/** What the rule reads of a workload: its namespace's cluster and project. */
export const workloadRowColumns = inNamespaceRowColumns;

/** Workloads share their namespace's rule: its cluster and project decide. */
export const workloadPolicy = inNamespacePolicy('workload', (services) => services.workloads, workloadsWhere);
