import type { TBreakerSummary, TRecentRates } from '../../lib/api/breaker-summary.js';
import type { TTransitionRecord } from '../../lib/api/transition-record.js';
import type { TDelivery } from '../../lib/control/operator-action.js';
import { addRatesChange, emptyRatesChanges } from '../../lib/live/breaker-delta';
import type { TBreakersChanged } from '../../lib/live/dashboard-events';
import type { Aggregate } from '../aggregate/aggregate';
import type { DashboardNamespace } from './dashboard-namespace';
import { roomOf, watchedScopes } from './rooms';

/**
 * Sends the dashboards what changed. Counter changes are coalesced: on each
 * `flush()` (every 500 ms: at most two updates a second) the breakers marked
 * dirty go out once per room, their rates as columns (most updates). A
 * change of state, instances or override is not held back for that:
 * `flushStateChanges()` (run every few milliseconds) sends those breakers'
 * whole summaries at once. Transitions go out at once and are never
 * coalesced away. Which is which is the aggregate's to say (takeStateChanges).
 *
 * With several servers (CLUSTER=on), transitions and deliveries reach the
 * dashboards of every server through the adapter; summaries go to this
 * server's own dashboards (`local`): every server merges the same summaries
 * from every server's parts, and sends those that changed here (its own
 * changes, handed to `onOwnChanges` for the others too) or on another
 * server (`remote`).
 */
export function createLivePublisher({
  namespace,
  aggregate,
  now,
  remote,
  onOwnChanges,
}: {
  namespace: DashboardNamespace;
  aggregate: Aggregate;
  now: () => number;
  remote?: { takeStateChanges(): Set<string>; takeChanged(): Set<string> };
  /** `state`: the breakers' state or instance counts moved; `counts`: only their counters. */
  onOwnChanges?: (breakerIds: Iterable<string>, moved: 'state' | 'counts') => void;
}) {
  // Breakers sent whole at least once. A subscriber that joined since holds a newer snapshot, never an older one, so a rates change is safe for it too.
  const sentWhole = new Set<string>();

  function publish(stateChanged: ReadonlySet<string>, countersOnly: readonly string[]): void {
    if (stateChanged.size + countersOnly.length === 0) return;
    const serverTime = now();
    const watched = watchedScopes(namespace.adapter.rooms);
    // Socket.IO encodes a broadcast before it looks for receivers: a message is built only for a room someone watches.
    const emptyChange = (): TBreakersChanged => ({ serverTime, breakers: [], rates: emptyRatesChanges() });
    const all = watched.all ? emptyChange() : null;
    const byService = new Map<string, TBreakersChanged | null>();
    const into = (changed: TBreakersChanged | null, breakerId: string, change: { summary: TBreakerSummary } | { rates: TRecentRates; lastReportAt: number | null }) => {
      if (!changed) return;
      if ('rates' in change) addRatesChange(changed.rates, breakerId, change.rates, change.lastReportAt);
      else changed.breakers.push(change.summary);
    };

    const add = (service: string, breakerId: string, change: { summary: TBreakerSummary } | { rates: TRecentRates; lastReportAt: number | null }) => {
      let forService = byService.get(service);
      if (forService === undefined) byService.set(service, (forService = watched.services.has(service) ? emptyChange() : null));
      into(all, breakerId, change);
      into(forService, breakerId, change);
      // Most breakers have no detail page open: skip the per-breaker work for empty rooms.
      if (!watched.breakers.has(breakerId)) return;
      const breakerRoom = roomOf({ kind: 'breaker', breakerId });
      const alone = emptyRatesChanges();
      if ('rates' in change) addRatesChange(alone, breakerId, change.rates, change.lastReportAt);
      namespace.local.to(breakerRoom).emit('breakers:changed', { serverTime, breakers: 'rates' in change ? [] : [change.summary], rates: alone });
      namespace.local.to(breakerRoom).emit('instances:changed', { breakerId, instances: aggregate.instancesOf(breakerId) });
    };
    const addWhole = (breakerId: string) => {
      const summary = aggregate.summary(breakerId);
      if (!summary) return;
      sentWhole.add(breakerId);
      add(summary.service, breakerId, { summary });
    };

    // A server whose dashboards watch nothing of a breaker (another server's dashboards may) skips working out its change.
    const wanted = (breakerId: string) => {
      if (watched.all || watched.breakers.has(breakerId)) return true;
      const service = aggregate.serviceOf(breakerId);
      return service !== undefined && watched.services.has(service);
    };
    for (const breakerId of stateChanged) if (wanted(breakerId)) addWhole(breakerId);
    for (const breakerId of countersOnly) {
      if (!wanted(breakerId)) continue;
      if (!sentWhole.has(breakerId)) {
        addWhole(breakerId);
        continue;
      }
      const change = aggregate.ratesChange(breakerId, serverTime);
      if (change) add(change.service, breakerId, change);
    }
    if (all) namespace.local.to(roomOf({ kind: 'all' })).emit('breakers:changed', all);
    for (const [service, change] of byService) if (change) namespace.local.to(roomOf({ kind: 'service', service })).emit('breakers:changed', change);
  }

  return {
    publishTransition(record: TTransitionRecord): void {
      namespace.to([roomOf({ kind: 'all' }), roomOf({ kind: 'service', service: record.service }), roomOf({ kind: 'breaker', breakerId: record.breakerId })]).emit('transition:new', record);
    },
    publishDelivery(breakerId: string, delivery: TDelivery): void {
      namespace.to(roomOf({ kind: 'breaker', breakerId })).emit('delivery:changed', { ...delivery, breakerId });
    },
    /** Sends every change since the last call: every 500 ms (the caller's schedule), at shutdown, in tests. */
    flush(): void {
      // State changes first: taking them leaves only the counter-only changes dirty.
      const stateChanged = aggregate.dirty.takeStateChanges();
      const dirty = aggregate.dirty.takeDirty();
      onOwnChanges?.(stateChanged, 'state');
      onOwnChanges?.(dirty, 'counts');
      if (!remote) return publish(stateChanged, dirty);
      for (const id of remote.takeStateChanges()) stateChanged.add(id);
      const countersOnly = [...new Set([...dirty, ...remote.takeChanged()])].filter((id) => !stateChanged.has(id));
      publish(stateChanged, countersOnly);
    },
    /** Sends the breakers whose state, instances or override changed since the last call. */
    flushStateChanges(): void {
      const stateChanged = aggregate.dirty.takeStateChanges();
      onOwnChanges?.(stateChanged, 'state');
      if (remote) for (const id of remote.takeStateChanges()) stateChanged.add(id);
      publish(stateChanged, []);
    },
  };
}
