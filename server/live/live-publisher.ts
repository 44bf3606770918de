import type { TBreakerSummary } from '../../lib/api/breaker-summary.js';
import type { TTransitionRecord } from '../../lib/api/transition-record.js';
import type { TDelivery } from '../../lib/control/operator-action.js';
import { onlyRatesMoved, toRatesChange, type TRatesChange } from '../../lib/live/breaker-delta';
import type { TBreakersChanged } from '../../lib/live/dashboard-events';
import type { Aggregate } from '../aggregate/aggregate';
import type { DashboardNamespace } from './dashboard-namespace';
import type { LiveView } from './live-view';
import { roomOf } from './rooms';

/**
 * Sends the dashboards what changed. Counter changes are coalesced: on each
 * `flush()` (every 250 ms: at most four updates a second) the breakers marked
 * dirty go out once per room, as rates only when nothing else moved (most
 * updates). A change of state, instances or override is not held back for
 * that: `flushStateChanges()` (run every few milliseconds) sends those
 * breakers' whole summaries at once. Transitions go out at once and are never
 * coalesced away.
 */
export function createLivePublisher({ namespace, aggregate, view, now }: { namespace: DashboardNamespace; aggregate: Aggregate; view: LiveView; now: () => number }) {
  // What each breaker looked like when last sent. A subscriber that joined since holds a newer snapshot, never an older one, so a rates-only change is safe for it too.
  const lastSent = new Map<string, TBreakerSummary>();

  function publishChanges(dirty: Set<string>): void {
    if (dirty.size === 0) return;
    const serverTime = now();
    const all: TBreakersChanged = { serverTime, breakers: [], rates: [] };
    const byService = new Map<string, TBreakersChanged>();
    // Socket.IO encodes a broadcast before it looks for receivers: an empty room would cost a full JSON encoding for nobody.
    const watched = (room: string) => (namespace.adapter.rooms.get(room)?.size ?? 0) > 0;
    for (const summary of view.summaries(dirty)) {
      const previous = lastSent.get(summary.id);
      lastSent.set(summary.id, summary);
      const ratesOnly: TRatesChange | null = previous && onlyRatesMoved(previous, summary) ? toRatesChange(summary) : null;
      let forService = byService.get(summary.service);
      if (!forService) byService.set(summary.service, (forService = { serverTime, breakers: [], rates: [] }));
      for (const change of [all, forService]) {
        if (ratesOnly) change.rates.push(ratesOnly);
        else change.breakers.push(summary);
      }
      const breakerRoom = roomOf({ kind: 'breaker', breakerId: summary.id });
      // Most breakers have no detail page open: skip the per-breaker work for empty rooms.
      if (!watched(breakerRoom)) continue;
      namespace.to(breakerRoom).emit('breakers:changed', ratesOnly ? { serverTime, breakers: [], rates: [ratesOnly] } : { serverTime, breakers: [summary], rates: [] });
      namespace.to(breakerRoom).emit('instances:changed', { breakerId: summary.id, instances: aggregate.instancesOf(summary.id) });
    }
    const allRoom = roomOf({ kind: 'all' });
    if (watched(allRoom)) namespace.to(allRoom).emit('breakers:changed', all);
    for (const [service, change] of byService) {
      const serviceRoom = roomOf({ kind: 'service', service });
      if (watched(serviceRoom)) namespace.to(serviceRoom).emit('breakers:changed', change);
    }
  }

  return {
    publishTransition(record: TTransitionRecord): void {
      namespace
        .to([roomOf({ kind: 'all' }), roomOf({ kind: 'service', service: record.service }), roomOf({ kind: 'breaker', breakerId: record.breakerId })])
        .emit('transition:new', record);
    },
    publishDelivery(breakerId: string, delivery: TDelivery): void {
      namespace.to(roomOf({ kind: 'breaker', breakerId })).emit('delivery:changed', { ...delivery, breakerId });
    },
    /** Sends every change since the last call: every 250 ms (the caller's schedule), at shutdown, in tests. */
    flush: () => publishChanges(aggregate.takeDirty()),
    /** Sends the breakers whose state, instances or override changed since the last call. */
    flushStateChanges: () => publishChanges(aggregate.takeStateChanges()),
  };
}
