/**
 * Who is asking: the user, through which key, and how far that key reaches. Built
 * once per request by the authentication step and shared by every face.
 */
export interface Principal {
  userId: string;
  username: string;
  isAdmin: boolean;
  tokenId: string;
  /** A key scoped to one cluster or project works only there. */
  clusterId: string | null;
  projectId: string | null;
  via: 'basic' | 'bearer' | 'cookie';
}

/**
 * Admin rights reach only through an unscoped key: a key scoped to a cluster or a
 * project only ever narrows what its user may do. Every admin-only check asks this.
 */
export function actsAsAdmin(principal: Principal | null | undefined): boolean {
  return principal?.isAdmin === true && !principal.clusterId && !principal.projectId;
}
