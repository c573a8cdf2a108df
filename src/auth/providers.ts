/**
 * The authentication providers this server offers, as Rancher lists them at
 * `/v3-public/authProviders`: one declaration each (its id, its Norman type and how
 * it logs in). Only the local provider (usernames and passwords kept here) exists.
 */
export interface AuthProviderDeclaration {
  id: string;
  /** Norman type of the provider (`localProvider`); its collection is the type's plural. */
  type: string;
  /** The GraphQL mutation behind its `login` action (the login route runs it). */
  loginMutation: string;
  /** Rancher's "log out everywhere" flags; not supported by the local provider. */
  logoutAllSupported: boolean;
  logoutAllEnabled: boolean;
  logoutAllForced: boolean;
}

export const authProviders: readonly AuthProviderDeclaration[] = [
  { id: 'local', type: 'localProvider', loginMutation: 'login', logoutAllSupported: false, logoutAllEnabled: false, logoutAllForced: false },
];
