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

/**
 * What a principal may read depends on these and on the database alone: two principals
 * with the same key see the same rows, so a decision about one change (may they see it?)
 * is taken once for all of them. Admins acting as such see everything. The key itself
 * matters only to a scoped key (it sees only itself among keys) and to changes of keys
 * (a subscriber may hear of its own key's removal): `type` is the changed object's.
 */
export function rightsKey(principal: Principal, type: string): string {
  if (actsAsAdmin(principal)) return 'admin';
  const scoped = Boolean(principal.clusterId || principal.projectId);
  const key = scoped || type === 'Token' ? principal.tokenId : '';
  return `${principal.userId}|${principal.isAdmin}|${principal.clusterId ?? ''}|${principal.projectId ?? ''}|${key}`;
}

/**
 * Who a principal is, as far as anything rendered for them can tell (fields such as a
 * user's `me` and a key's `current` compare with it): equal keys are rendered alike.
 */
export function identityKey(principal: Principal): string {
  return `${principal.userId}|${principal.tokenId}|${principal.isAdmin}|${principal.clusterId ?? ''}|${principal.projectId ?? ''}`;
}
