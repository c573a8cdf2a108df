import { ingressesWhere } from '../visibility.js';
import { inNamespacePolicy } from './in-namespace.js';

/** A namespace's ingresses share its rule, as its workloads do. */
export const ingressPolicy = inNamespacePolicy('ingress', (services) => services.ingresses, ingressesWhere);
