import type { Change } from '../../src/changes/change.js';
import type { SelectorCondition } from './list-filter.js';
import type { KubernetesObject } from './mapping.js';
import { matchesSelectors } from './selector-match.js';

type ObjectEvent = 'ADDED' | 'MODIFIED' | 'DELETED';

/**
 * The most objects a watch keeps a state of. Past it, the oldest is forgotten and the
 * watch no longer takes an object it does not hold for one that does not match: it
 * answers for them as for a resumed watch (below), which is safe, only wordier.
 */
const maxKnown = 10_000;

/**
 * What the changes of a watch with selectors (`labelSelector`, `fieldSelector`) are to
 * its client, as Kubernetes' own watch tells them: the API server judges both an event's
 * object and its previous state by the selectors (the watch cache keeps the previous
 * state, PrevObject, with every event; cacheWatcher.convertToWatchEvent) and sends
 *
 * - an object that matches now and did not before as ADDED (a new one included),
 * - one that matched and still does as MODIFIED,
 * - one that matched and no longer does as DELETED (the client drops it; Kubernetes
 *   sends the previous state with the event's resourceVersion: this server keeps no
 *   previous states, the change feed holding ids only, so the object is sent as it is
 *   now, its labels saying why it left),
 * - a removed object that matched as DELETED,
 * - and nothing of an object that matched neither before nor after.
 *
 * The previous state here is what the stream told its client: the objects of the initial
 * list and every event since, by id (a change carries the id, and a rename keeps it). A
 * watch that listed first knows every object that matched at its start, so an object it
 * does not hold did not match. A watch resumed from a resourceVersion does not know what
 * matched then (Kubernetes does, from its watch cache; this server would have to keep old
 * objects for that). A change that matches is then MODIFIED (a client that held the
 * object updates it; one that did not adds it: a client-go store takes an update of a key
 * it does not hold as an add). A change that does not match is DELETED, once, since the
 * object may have matched when the client last read; it costs a client that never held
 * the object nothing, as a client-go reflector's store (and an informer's DeltaFIFO)
 * ignores a DELETED for a key it does not hold, whereas saying nothing would leave a
 * client that held it with an object that no longer matches, for good. A removal of such
 * an object is DELETED for the same reason, and a creation is judged as new.
 */
export class WatchSelection {
  /** By id, whether the client holds the object as matching; without an entry, see {@link complete}. */
  private readonly known = new Map<string, boolean>();

  constructor(
    private readonly conditions: readonly SelectorCondition[],
    /** Whether an object without an entry is known not to match: the watch listed every match first, and forgot none since. */
    private complete: boolean,
  ) {}

  /** An object of the initial list: it matched, and the client now holds it. */
  listed(id: string): void {
    this.hold(id, true);
  }

  /** The event a created or updated object, as GET shows it, is to the client; undefined to say nothing. */
  changed(id: string, verb: Exclude<Change['verb'], 'remove'>, object: KubernetesObject): ObjectEvent | undefined {
    const before = this.known.get(id) ?? (this.complete || verb === 'create' ? false : undefined);
    const matches = matchesSelectors(this.conditions, object);
    this.hold(id, matches);
    if (matches) return before === false ? 'ADDED' : 'MODIFIED';
    return before === false ? undefined : 'DELETED';
  }

  /** Whether the client is to hear of an object's removal (when it may learn of it at all): unless the object is known not to have matched. */
  removed(id: string): boolean {
    const before = this.known.get(id) ?? (this.complete ? false : undefined);
    this.known.delete(id);
    return before !== false;
  }

  private hold(id: string, matches: boolean): void {
    this.known.delete(id);
    // A watch that knows every match needs no entry for an object that does not match.
    if (matches || !this.complete) this.known.set(id, matches);
    if (this.known.size > maxKnown) {
      this.known.delete(this.known.keys().next().value!);
      this.complete = false;
    }
  }
}
