/**
 * A JSON answer the tests read by path (`data.clusters.edges[0].node.id`) and check with
 * `expect`: the assertions state its shape, so declaring it again per query would only
 * repeat them. The one untyped spot in the tests, named so it can be found.
 */
// biome-ignore lint/suspicious/noExplicitAny: see above; every other `any` in the tests is refused.
export type Json = any;
