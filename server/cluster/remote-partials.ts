import type { TBreakerInstance } from '../../lib/api/breaker-detail.js';
import type { BreakerPartial } from '../aggregate/breaker-views';
import type { OwnPart, RemoteViews } from '../aggregate/views';
import { asStale, dedupeParts, heldPart, type ServerPart } from './merge-partials';
import type { RemotePart } from './part-wire';

export type RemotePartials = ReturnType<typeof createRemotePartials>;

const byName = (a: TBreakerInstance, b: TBreakerInstance) => a.name.localeCompare(b.name);

/** Whether a part's change may move the merged state or instance counts (else only its counters moved). */
function movesState(before: BreakerPartial | undefined, after: BreakerPartial | undefined): boolean {
  if (!before || !after) return true;
  if (before.state !== after.state || before.wouldBe !== after.wouldBe || before.total !== after.total || before.stale !== after.stale) return true;
  for (const key of Object.keys(after.byState) as Array<keyof BreakerPartial['byState']>) if (before.byState[key] !== after.byState[key]) return true;
  return false;
}

// The rows of each remote part of the breaker being merged: filled and emptied by every sharesInstance call.
const partRows: Array<readonly TBreakerInstance[]> = [];

/** Whether an instance is in two parts of a breaker: this server's (those it holds) and the other servers'. Allocates nothing: it runs for every merged summary. */
function sharesInstance(remote: ReadonlyMap<string, RemotePart>, own: OwnPart | undefined): boolean {
  for (const part of remote.values()) partRows.push(part.rows);
  let shared = false;
  for (let p = 0; p < partRows.length && !shared; p++) {
    for (const row of partRows[p]!) {
      if (own?.holds(row.instanceId)) shared = true;
      for (let q = p + 1; q < partRows.length && !shared; q++) shared = hasInstance(partRows[q]!, row.instanceId);
      if (shared) break;
    }
  }
  partRows.length = 0;
  return shared;
}

function hasInstance(rows: readonly TBreakerInstance[], instanceId: string): boolean {
  for (const row of rows) if (row.instanceId === instanceId) return true;
  return false;
}

/**
 * The other servers' parts of the breakers' views, in memory, and the
 * merge of this server's part with them (RemoteViews, which the aggregate
 * calls for every summary). A part of a server the registry counts dead is
 * shown stale; it is dropped once every one of its instances is live
 * elsewhere, or when the server is forgotten. Changed breakers are kept for
 * the live publisher, which sends them to this server's dashboards.
 */
export function createRemotePartials({ serverId }: { serverId: string }) {
  const byBreaker = new Map<string, Map<string, RemotePart>>();
  const byServer = new Map<string, Set<string>>();
  // null until the registry was first read: every server counts as alive.
  let alive: ReadonlySet<string> | null = null;
  let changed = new Set<string>();
  let stateChanged = new Set<string>();
  // The same state changes, for the notifier (taken on its own schedule).
  let toEvaluate = new Set<string>();

  const mark = (breakerId: string, state: boolean) => {
    changed.add(breakerId);
    if (!state) return;
    stateChanged.add(breakerId);
    toEvaluate.add(breakerId);
  };

  function remove(server: string, breakerId: string): void {
    const parts = byBreaker.get(breakerId);
    if (!parts?.delete(server)) return;
    if (parts.size === 0) byBreaker.delete(breakerId);
    byServer.get(server)?.delete(breakerId);
    mark(breakerId, true);
  }

  function clearServer(server: string): void {
    for (const breakerId of [...(byServer.get(server) ?? [])]) remove(server, breakerId);
    byServer.delete(server);
  }

  /**
   * Every server's part of a breaker, each instance counted once; this
   * server's rows only `withRows` (a summary needs none). Most breakers have
   * no instance in two parts: then the parts are merged as they are, without
   * this server's rows being made.
   */
  function partsOf(breakerId: string, own: OwnPart | undefined, at: number, withRows: boolean): ServerPart[] | null {
    const remote = byBreaker.get(breakerId);
    if (!remote || remote.size === 0) return null;
    const parts: ServerPart[] = [];
    const simple = (!own || own.holdsEvery()) && !sharesInstance(remote, own);
    if (simple) {
      if (own && own.partial.total > 0) parts.push({ serverId, partial: own.partial, rows: withRows ? own.rows() : [] });
    } else {
      const held = own && heldPart(own.partial, own.rows());
      if (held) parts.push({ serverId, ...held });
    }
    const dead: string[] = [];
    for (const [server, part] of remote) {
      const shown = { serverId: server, partial: part.partial, rows: part.rows };
      if (alive && !alive.has(server)) {
        dead.push(server);
        parts.push(asStale(shown, at));
      } else parts.push(shown);
    }
    if (simple) return parts;
    const merged = dedupeParts(parts);
    // A dead server's part whose instances all report elsewhere now says nothing more.
    for (const server of dead) if (!merged.some((part) => part.serverId === server)) remove(server, breakerId);
    return merged;
  }

  const views: RemoteViews = {
    merge(breakerId, own, at) {
      const parts = partsOf(breakerId, own, at, false);
      if (!parts || parts.length === 0) return own ? { partials: [own.partial], demo: false } : null;
      let demo = false;
      for (const part of byBreaker.get(breakerId)?.values() ?? []) demo ||= part.demo;
      return { partials: parts.map((part) => part.partial), demo };
    },
    instances(breakerId, own, at) {
      const parts = partsOf(breakerId, own, at, true);
      if (!parts || parts.length === 0) return own ? own.rows() : [];
      return parts.flatMap((part) => part.rows).sort(byName);
    },
    *remoteOnly() {
      for (const [id, parts] of byBreaker) {
        const first = parts.values().next().value;
        if (first) yield { id, service: first.partial.service };
      }
    },
    describe(breakerId) {
      const parts = byBreaker.get(breakerId);
      if (!parts) return undefined;
      for (const part of parts.values()) return { service: part.partial.service, config: part.rows.find((row) => row.config)?.config ?? null };
      return undefined;
    },
  };

  return {
    views,

    /** A server's part of a breaker, or null: the server holds none of its instances any more. */
    set(server: string, breakerId: string, part: RemotePart | null): void {
      if (server === serverId) return;
      if (!part) return remove(server, breakerId);
      let parts = byBreaker.get(breakerId);
      if (!parts) byBreaker.set(breakerId, (parts = new Map()));
      const before = parts.get(server);
      parts.set(server, part);
      let breakers = byServer.get(server);
      if (!breakers) byServer.set(server, (breakers = new Set()));
      breakers.add(breakerId);
      mark(breakerId, movesState(before?.partial, part.partial));
    },

    /** Forgets every part of a server (it restarted under the same id and publishes again from nothing). */
    clearServer,

    /** When a live server last had a report of an instance, by its rows of the instance's breakers; null when it is dead or has none. */
    lastReportOn(server: string, instanceId: string, breakerIds: Iterable<string>): number | null {
      if (alive && !alive.has(server)) return null;
      let last: number | null = null;
      for (const breakerId of breakerIds) {
        const at =
          byBreaker
            .get(breakerId)
            ?.get(server)
            ?.rows.find((row) => row.instanceId === instanceId)?.lastReportAt ?? null;
        if (at !== null && (last === null || at > last)) last = at;
      }
      return last;
    },

    /** Whether the registry counts a server alive (every server does until it was first read). */
    isAlive: (server: string): boolean => !alive || alive.has(server),

    /**
     * The servers alive now and every server the registry still knows: the
     * dead ones' parts turn stale, the forgotten ones' go. `serverOf` names
     * the server a parts' id belongs to (a server's previous run is kept
     * under an id of its own, known while the server is, never alive).
     */
    setServers(aliveNow: ReadonlySet<string>, known: ReadonlySet<string>, serverOf: (partsServerId: string) => string = (id) => id): void {
      const before = alive;
      alive = aliveNow;
      for (const [server, breakers] of byServer) {
        if (!known.has(serverOf(server)) && server !== serverId) {
          clearServer(server);
          continue;
        }
        const was = before === null || before.has(server);
        if (was !== aliveNow.has(server)) for (const breakerId of breakers) mark(breakerId, true);
      }
    },

    /** Breakers whose state or instance counts another server moved, since last taken; they are no longer changed. */
    takeStateChanges(): Set<string> {
      const taken = stateChanged;
      stateChanged = new Set();
      for (const id of taken) changed.delete(id);
      return taken;
    },

    /** Breakers whose merged view changed because of another server, since last taken (state changes taken first). */
    takeChanged(): Set<string> {
      const taken = changed;
      changed = new Set();
      stateChanged = new Set();
      return taken;
    },

    /** Breakers whose state or instance counts another server moved, since last taken: for the notifier. */
    takeToEvaluate(): Set<string> {
      const taken = toEvaluate;
      toEvaluate = new Set();
      return taken;
    },
  };
}
