import type { ApiModel, ResourceBinding } from '../schemas/types.js';
import { idSegment } from './urls.js';

export interface ResourceContext {
  base: string;
  /** `X-API-Action-Links` asks for `actionLinks` instead of `actions`. */
  actionLinks: boolean;
}

type Data = Record<string, unknown> & { id?: unknown };

/**
 * One resource in Norman form: its fields plus `type`, `baseType`, links (self,
 * update and remove only when the caller may, relations) and the actions this caller
 * can run on it in its current state.
 */
export function normanResource(model: ApiModel, binding: ResourceBinding, data: Data, context: ResourceContext): Record<string, unknown> {
  const { availableActions, canUpdate, canRemove, ...fields } = data as Data & { availableActions?: string[]; canUpdate?: boolean; canRemove?: boolean };
  const id = String(fields.id);
  const self = `${context.base}/v3/${binding.collectionPath}/${idSegment(id)}`;
  const links: Record<string, string> = { self };
  if (binding.updateMutation && canUpdate !== false) links.update = self;
  if (binding.deleteMutation && canRemove !== false) links.remove = self;
  for (const [name, link] of Object.entries(binding.links)) {
    if (link.kind === 'collection') links[name] = `${self}/${name}`;
    else if (typeof fields[link.idField] === 'string') links[name] = `${context.base}/v3/${model.bindings.get(link.target)!.collectionPath}/${idSegment(String(fields[link.idField]))}`;
  }
  const actions: Record<string, string> = {};
  for (const name of Object.keys(binding.resourceActions)) {
    if (availableActions && !availableActions.includes(name)) continue;
    actions[name] = `${self}?action=${name}`;
  }
  return {
    ...fields,
    ...(typeof fields.created === 'string' ? { createdTS: Date.parse(fields.created) } : {}),
    type: binding.schemaId,
    baseType: binding.schemaId,
    links,
    [context.actionLinks ? 'actionLinks' : 'actions']: actions,
  };
}
