/**
 * Rancher names a user to its bindings by principal: `<provider>://<id>`, which for the
 * local provider (the only one here, ./providers.ts) is `local://<userId>`. Rancher's
 * CLI and UIs bind members by principal id (`userPrincipalId`) and list them by it, so a
 * binding records the principal of its user beside the user's id.
 */
const localPrefix = 'local://';

/** The local provider's principal id of a user. */
export const localPrincipalId = (userId: string): string => `${localPrefix}${userId}`;

/** The user a local principal id names, or undefined for an id of another provider or of none. */
export function userIdOfPrincipal(principalId: string): string | undefined {
  if (!principalId.startsWith(localPrefix)) return undefined;
  const userId = principalId.slice(localPrefix.length);
  return userId === '' ? undefined : userId;
}
