import type { Change } from '../changes/change.js';
import type { ChangeFeed } from '../changes/feed.js';
import type { Services } from '../services/index.js';

/**
 * Revocation on every instance within moments: the caches that decide who is who and
 * what they may do (keys → principals, settings, the proxy's allow list) forget an
 * entry as soon as the change feed reports a change to it, from any instance. Their
 * time-to-live stays as the backstop for a feed that is down.
 *
 * Cluster and project role bindings need nothing here: they are read afresh for
 * every request (src/auth/access.ts, visibility.ts).
 */
export function invalidateCachesOnChange(feed: ChangeFeed, services: Pick<Services, 'tokens' | 'settings' | 'nodeDrivers'>): () => void {
  const forget = (change: Change) => {
    switch (change.type) {
      case 'Token':
        services.tokens.forgetKey(change.id);
        break;
      case 'User':
        services.tokens.forgetUser(change.id);
        break;
      // A key's principal carries isAdmin, read from the user's global roles.
      case 'GlobalRoleBinding':
        if (change.userId) services.tokens.forgetUser(change.userId);
        else services.tokens.forgetAll();
        break;
      case 'Setting':
        services.settings.forget(change.id);
        // `auth-token-max-ttl-minutes` and similar reach keys only when issued; nothing cached depends on them.
        break;
      case 'NodeDriver':
        services.nodeDrivers.forgetAllowList();
        break;
    }
  };
  const stopChanges = feed.subscribe((changes) => changes.forEach(forget));
  const stopGaps = feed.onGap(() => {
    services.tokens.forgetAll();
    services.settings.forget();
    services.nodeDrivers.forgetAllowList();
  });
  return () => {
    stopChanges();
    stopGaps();
  };
}
