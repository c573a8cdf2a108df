import { visibleCloudCredentials } from '../auth/visibility.js';
import type { Context } from '../context.js';
import { invalidInput } from '../errors.js';

/** A cloud credential an input names, and the input field that names it. */
export interface CredentialReference {
  fieldName: string;
  id: string;
}

/**
 * A resource may name only cloud credentials its creator or editor may use (their own,
 * or any for an admin): one read for all of them; the first missing one is an invalid
 * reference of its field, whether it does not exist or is someone else's.
 */
export async function checkCredentialReferences(context: Context, references: readonly CredentialReference[]): Promise<void> {
  if (references.length === 0) return;
  const ids = [...new Set(references.map((reference) => reference.id))];
  const usable = await context.services.cloudCredentials.list(
    { select: { id: true } },
    { AND: [{ id: { in: ids } }, visibleCloudCredentials(context.principal)] },
    [],
    ids.length,
  );
  const found = new Set(usable.map((credential) => credential.id));
  const missing = references.find((reference) => !found.has(reference.id));
  if (missing) throw invalidInput(missing.fieldName, `cloud credential ${JSON.stringify(missing.id)} not found`, 'InvalidReference');
}
