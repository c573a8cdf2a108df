import { namespacedSecretsWhere } from '../visibility.js';
import { inNamespacePolicy } from './in-namespace.js';

/** A namespace's secrets share its rule: its cluster and project decide. */
export const namespacedSecretPolicy = inNamespacePolicy('namespacedSecret', (services) => services.namespacedSecrets, namespacedSecretsWhere);
