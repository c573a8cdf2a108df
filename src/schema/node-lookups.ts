import { resolveNodes } from '@pothos/plugin-relay';
import { invalidInput } from '../errors.js';
import { builder } from './builder.js';
import type { Context } from '../context.js';
import { candidateTypesOf } from './resource-ids.js';

/**
 * Relay's `node(id:)` and `nodes(ids:)`, declared here rather than by the relay plugin,
 * whose id arguments are decoded before the resolver runs: one malformed id there fails
 * the whole field, and `nodes` (a non-null list) then takes all of `data` with it.
 *
 * Here an id names no resource in one of two ways. Well-formed but unknown or invisible:
 * null, as `<type>(id:)` answers. Malformed (no type has ids of that shape): `node` fails
 * on its own field with INVALID_INPUT (`fieldName: "id"`), the rest of the answer kept,
 * as GitHub's API errs on `node(id:)` with a garbage id; `nodes` answers null in its
 * place, so the other ids' objects still arrive in order.
 *
 * An id's shape may name several types (see resource-ids.ts): every candidate is read,
 * one statement per type for all the ids together, and each place takes the first
 * candidate that answered.
 */
builder.queryFields((t) => ({
  node: t.field({
    type: builder.nodeInterfaceRef(),
    nullable: true,
    description:
      'The resource with this id, whatever its type (ids name their type: `c-xxxxx` a Cluster, `c-xxxxx:p-xxxxx` a Project, `u-xxxxx` a User, …); null when there is none or the caller may not see it. An id of no known shape is refused with INVALID_INPUT on this field only.',
    args: { id: t.arg.id({ required: true, description: 'A resource id, as `id` of any type shows it.' }) },
    resolve: async (_root, { id }, context, info) => {
      if (candidateTypesOf(id).length === 0) throw invalidInput('id', `${JSON.stringify(id)} is not the id of any type of resource`, 'InvalidFormat');
      const [node] = await resolveCandidates(context, info, [id]);
      return node as never;
    },
  }),
  nodes: t.field({
    type: [builder.nodeInterfaceRef()],
    nullable: { list: false, items: true },
    description: `The resources with these ids, in the same order, of any types, read with one statement per type; null in the place of each id that names nothing the caller may see (missing, invisible, or of no known shape).`,
    args: { ids: t.arg.idList({ required: true, description: 'Resource ids, as `id` of any type shows them.' }) },
    resolve: async (_root, { ids }, context, info) => (await resolveCandidates(context, info, ids)) as never,
  }),
}));

/** For each id, the row of its first candidate type that has one the caller may see, or null. */
async function resolveCandidates(context: Context, info: Parameters<typeof resolveNodes>[2], ids: readonly string[]): Promise<unknown[]> {
  const candidates = ids.map(candidateTypesOf);
  // Relay's resolver reads each type once for all its ids, and answers in the order asked.
  const rows = await resolveNodes(builder, context, info, candidates.flat());
  let next = 0;
  return candidates.map((forId) => {
    const found = rows.slice(next, next + forId.length).find((row) => row != null) ?? null;
    next += forId.length;
    return found;
  });
}
