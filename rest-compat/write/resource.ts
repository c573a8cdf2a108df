import { instantTime } from '../../src/schema/instant-text.js';
import type { ClusterContext } from '../cluster-context.js';
import type { ApiModel, ResourceBinding } from '../schemas/types.js';
import { idSegment } from './urls.js';

export interface ResourceContext {
  base: string;
  /** `X-API-Action-Links` asks for `actionLinks` instead of `actions`. */
  actionLinks: boolean;
  /** The cluster the request's scope names: cluster-local ids are written in Rancher's form (cluster-context.ts). */
  cluster?: ClusterContext;
  /** The scoped collection the request is on: its resources link to themselves there, where their ids resolve. */
  contextCollection?: { schemaId: string; url: string };
}

type Data = Record<string, unknown> & { id?: unknown };

/** Writes rows of one type for one request; see {@link resourceWriter}. */
export type ResourceWriter = (data: Data) => Record<string, unknown>;

/** The permission fields GraphQL answers for /v3's sake; they become links and actions, not fields. */
const permissionFields = new Set(['availableActions', 'canUpdate', 'canRemove']);

/**
 * One resource in Norman form: its fields plus `type`, `baseType`, links (self,
 * update and remove only when the caller may, relations) and the actions this caller
 * can run on it in its current state.
 */
export function normanResource(model: ApiModel, binding: ResourceBinding, data: Data, context: ResourceContext): Record<string, unknown> {
  return resourceWriter(model, binding, context)(data);
}

/**
 * The writer for every row of a page: what is the same for each row (URL prefixes,
 * relation targets, action names, the key actions go under) is worked out once, so a
 * row costs its links and actions. It takes the row it is given as its own (below).
 */
export function resourceWriter(model: ApiModel, binding: ResourceBinding, context: ResourceContext): ResourceWriter {
  const inContext = context.contextCollection?.schemaId === binding.schemaId;
  const ownPrefix = `${context.base}/v3/${binding.collectionPath}/`;
  const selfPrefix = inContext ? `${context.contextCollection!.url}/` : ownPrefix;
  // Links are built from the server-wide ids, then the fields are written in Rancher's form.
  const cluster = context.cluster;
  const writtenId = (id: string) => (inContext && cluster?.idOut(binding, id)) || id;
  const relations = Object.entries(binding.links).map(([name, link]) =>
    link.kind === 'collection'
      ? { name, kind: 'collection' as const, suffix: `/${name}` }
      : { name, kind: 'resource' as const, idField: link.idField, prefix: `${context.base}/v3/${model.bindings.get(link.target)!.collectionPath}/` },
  );
  const actionNames = Object.keys(binding.resourceActions);
  const actionsKey = context.actionLinks ? 'actionLinks' : 'actions';
  const { schemaId, updateMutation, deleteMutation } = binding;

  // Each row is written in place: the rows are the executor's own objects, made for this
  // answer and read by nothing else, and copying their forty-odd fields into a second
  // object was ≈ 5 % of a page's CPU (and its garbage). Its fields keep their order (an
  // object keeps its keys in the order they were added), the permission fields go, and
  // Norman's own come after them, as a copy had them.
  return (data) => {
    const { canUpdate, canRemove, availableActions } = data;
    for (const key of permissionFields) delete data[key];
    const written: Record<string, unknown> = data;
    if (typeof data.created === 'string') written.createdTS = instantTime(data.created);
    written.type = schemaId;
    written.baseType = schemaId;

    const self = selfPrefix + idSegment(writtenId(String(data.id)));
    const links: Record<string, string> = { self };
    if (updateMutation && canUpdate !== false) links.update = self;
    if (deleteMutation && canRemove !== false) links.remove = self;
    // A child collection hangs off the resource's own address: a path has room for one
    // context (`/v3/project/<id>/namespaces/<ns>`), not for a collection below it too.
    const own = inContext ? ownPrefix + idSegment(String(data.id)) : self;
    for (const relation of relations) {
      if (relation.kind === 'collection') links[relation.name] = own + relation.suffix;
      else {
        const target = data[relation.idField];
        if (typeof target === 'string') links[relation.name] = relation.prefix + idSegment(target);
      }
    }
    written.links = links;

    const available = availableActions as string[] | undefined;
    const actions: Record<string, string> = {};
    for (const name of actionNames) if (!available || available.includes(name)) actions[name] = `${self}?action=${name}`;
    written[actionsKey] = actions;
    cluster?.out(binding, written);
    return written;
  };
}
