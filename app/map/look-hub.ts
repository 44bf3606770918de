import type { TBreakerSummary } from '../../lib/api/breaker-summary';
import { edgeLookOf, type EdgeLook } from '../../components/map/edge-look';

/**
 * The look of each breaker the map lists, told to the items that show it
 * only when it changes. 2,400 store selectors (a link per breaker, an item per
 * node) each ran on every store update, a few milliseconds of every such
 * frame; here an update compares summary objects (the store replaces only
 * those of breakers that changed) and works out looks only for those.
 */
export class LookHub {
  private readonly listeners = new Map<string, Set<() => void>>();
  private readonly looks = new Map<string, EdgeLook>();
  private summaries: ReadonlyMap<string, TBreakerSummary>;

  constructor(summaries: ReadonlyMap<string, TBreakerSummary>) {
    this.summaries = summaries;
  }

  /** The look of `breakerId` now; the same object until it changes, as `useSyncExternalStore` needs. */
  look(breakerId: string): EdgeLook {
    let look = this.looks.get(breakerId);
    if (!look) {
      look = edgeLookOf(this.summaries.get(breakerId));
      this.looks.set(breakerId, look);
    }
    return look;
  }

  /** Calls `listener` whenever the look of one of `breakerIds` changes; returns the unsubscribe. */
  subscribe(breakerIds: readonly string[], listener: () => void): () => void {
    for (const id of breakerIds) {
      let set = this.listeners.get(id);
      if (!set) this.listeners.set(id, (set = new Set()));
      set.add(listener);
    }
    return () => {
      for (const id of breakerIds) this.listeners.get(id)?.delete(listener);
    };
  }

  /** Takes a new store map: breakers whose summary object was replaced and whose look differs tell their listeners. Every look handed out stays current, listened to or not. */
  update(summaries: ReadonlyMap<string, TBreakerSummary>): void {
    const previous = this.summaries;
    this.summaries = summaries;
    if (previous === summaries) return;
    const told = new Set<() => void>();
    for (const [id, before] of this.looks) {
      const summary = summaries.get(id);
      if (summary === previous.get(id)) continue;
      const after = edgeLookOf(summary);
      if (sameLook(before, after)) continue;
      this.looks.set(id, after);
      for (const listener of this.listeners.get(id) ?? []) told.add(listener);
    }
    for (const listener of told) listener();
  }
}

function sameLook(a: EdgeLook, b: EdgeLook): boolean {
  return a.status === b.status && a.open === b.open && a.halfOpen === b.halfOpen && a.total === b.total && a.stale === b.stale;
}
