export { configureClient, documentHash, fetcher, type ClientOptions, type FetchContext } from './fetcher.js';
export { GraphQLRequestError, type GraphQLErrorPayload } from './errors.js';
export * from './generated/hooks.js';
export { watchResourceChanges, type ResourceChangeEvent, type WatchOptions } from './live-changes.js';
