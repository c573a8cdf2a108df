import { servicesWhere } from '../visibility.js';
import { inNamespacePolicy } from './in-namespace.js';

/** A namespace's services share its rule, as its workloads do. */
export const servicePolicy = inNamespacePolicy('service', (services) => services.kubernetesServices, servicesWhere);
