import type { TBreakerSummary } from '../../lib/api/breaker-summary.js';
import type { TTransitionRecord } from '../../lib/api/transition-record.js';
import type { TDelivery } from '../../lib/control/operator-action.js';
import type { Aggregate } from '../aggregate/aggregate';
import type { DashboardNamespace } from './dashboard-namespace';
import type { LiveView } from './live-view';
import { roomOf } from './rooms';

/**
 * Sends the dashboards what changed. Breaker changes are coalesced: every
 * `intervalMs` (250 ms: at most four updates a second) the breakers marked
 * dirty go out once per room. Transitions go out at once and are never
 * coalesced away.
 */
export function createLivePublisher({ namespace, aggregate, view, now, intervalMs }: { namespace: DashboardNamespace; aggregate: Aggregate; view: LiveView; now: () => number; intervalMs: number }) {
  function publishChanges(): void {
    const dirty = aggregate.takeDirty();
    if (dirty.size === 0) return;
    const serverTime = now();
    const changed = view.summaries(dirty);
    // Socket.IO encodes a broadcast before it looks for receivers: an empty room would cost a full JSON encoding for nobody.
    const watched = (room: string) => (namespace.adapter.rooms.get(room)?.size ?? 0) > 0;
    const allRoom = roomOf({ kind: 'all' });
    if (watched(allRoom)) namespace.to(allRoom).emit('breakers:changed', { serverTime, breakers: changed });
    const byService = new Map<string, TBreakerSummary[]>();
    for (const summary of changed) {
      const list = byService.get(summary.service);
      if (list) list.push(summary);
      else byService.set(summary.service, [summary]);
      const breakerRoom = roomOf({ kind: 'breaker', breakerId: summary.id });
      // Most breakers have no detail page open: skip the per-breaker work for empty rooms.
      if (!watched(breakerRoom)) continue;
      namespace.to(breakerRoom).emit('breakers:changed', { serverTime, breakers: [summary] });
      namespace.to(breakerRoom).emit('instances:changed', { breakerId: summary.id, instances: aggregate.instancesOf(summary.id) });
    }
    for (const [service, breakers] of byService) {
      const serviceRoom = roomOf({ kind: 'service', service });
      if (watched(serviceRoom)) namespace.to(serviceRoom).emit('breakers:changed', { serverTime, breakers });
    }
  }

  const timer = setInterval(publishChanges, intervalMs);
  timer.unref();

  return {
    publishTransition(record: TTransitionRecord): void {
      namespace
        .to([roomOf({ kind: 'all' }), roomOf({ kind: 'service', service: record.service }), roomOf({ kind: 'breaker', breakerId: record.breakerId })])
        .emit('transition:new', record);
    },
    publishDelivery(breakerId: string, delivery: TDelivery): void {
      namespace.to(roomOf({ kind: 'breaker', breakerId })).emit('delivery:changed', { ...delivery, breakerId });
    },
    /** Sends pending changes now (shutdown, tests). */
    flush: publishChanges,
    stop(): void {
      clearInterval(timer);
    },
  };
}
