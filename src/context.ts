import type { Access } from './auth/access.js';
import type { RequestStreams } from './changes/registry.js';
import type { FieldLimiter } from './graphql/field-limits.js';
import type { Principal } from './auth/principal.js';
import type { PrismaClient } from './db/database.js';
import type { Services } from './services/index.js';

/**
 * What every resolver sees. Built once per request by the server, whichever face
 * (GraphQL or /v3) the request came through, so both get identical treatment.
 */
export interface Context {
  readonly prisma: PrismaClient;
  readonly services: Services;
  /** Who is asking; null only for requests that may be anonymous (the login mutation). */
  readonly principal: Principal | null;
  /** The peer address, which identifies callers without a credential (for limits). */
  readonly clientAddress: string;
  /** This server's field-level limits (fields declaring `extensions.rateLimit` call it). */
  readonly limitField: FieldLimiter;
  /** Per-row permission answers for this caller (canUpdate, canRemove, actions). */
  readonly access: Access;
  /**
   * How the client reached this server (`https://rancher.example.com`, proxy headers
   * honoured), for URLs handed out in answers when the `server-url` setting is empty.
   */
  readonly baseUrl: string;
  /** This instance's change streams (subscriptions, /v3/subscribe, /v1 watch) as this request opens them: caps, audit. */
  readonly streams: RequestStreams;
}
