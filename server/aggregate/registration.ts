import type { TReporterTransport } from '../../lib/api/reporter-client.js';
import type { TBreakerConfig } from '../../lib/protocol/breaker-config.js';
import type { TBreakerState } from '../../lib/protocol/breaker-state.js';
import type { CounterBaselineRow } from '../store/baseline-store';
import type { InstanceIdentity, LiveEntries } from './live-entries';
import { countPair, setStale } from './live-states';

/** How instances and breakers become known: registrations, the catalog loaded at start, and the counters a server stored. */
export function registration(live: LiveEntries) {
  const { instances, breakers, counters } = live;

  return {
    /** Declares an instance and its breakers (registration, or the catalog loaded at start). */
    register(
      identity: InstanceIdentity,
      declared: Array<{ breakerId: string; name: string; config: TBreakerConfig | null }>,
      seenAt: number | null,
      origin: 'reporter' | 'catalog' = 'reporter',
    ): void {
      if (identity.demo) live.demoServices.add(identity.serviceId);
      let instance = instances.get(identity.id);
      // A run we see begin counts from zero; one loaded from the catalog mid-run has no baseline yet.
      const startsRun = origin === 'reporter' && instance?.runId !== identity.runId;
      if (!instance) {
        instance = {
          ...identity,
          sdk: identity.sdk ?? null,
          transport: null,
          lastSeenAt: seenAt,
          stale: seenAt === null || live.now() - seenAt > live.staleAfterMs,
          lastReportSequence: 0,
          droppedTransitions: 0,
          pairs: new Map(),
          reported: null,
        };
        instances.set(identity.id, instance);
      } else {
        if (identity.runId !== instance.runId) {
          // A new run: its counters and sequence numbers start again.
          instance.lastReportSequence = 0;
          for (const pair of instance.pairs.values()) counters.reset(pair, startsRun);
        }
        Object.assign(instance, identity);
        for (const pair of instance.pairs.values()) pair.breaker.clients = null;
        if (seenAt !== null) {
          instance.lastSeenAt = seenAt;
          setStale(instance, false);
        }
      }
      for (const item of declared) {
        const breaker = live.breakerEntry(item.breakerId, identity.serviceId, identity.serviceName, item.name, item.config);
        const pair = live.pairEntry(instance, breaker);
        if (item.config) pair.config = breaker.config;
        if (startsRun && !pair.hasBaseline) counters.reset(pair, true);
        live.touch(breaker, live.now());
      }
    },

    /** Declares a breaker known from the catalog, with or without instances. */
    declareBreaker(id: string, serviceId: string, serviceName: string, name: string, config: TBreakerConfig | null): void {
      live.breakerEntry(id, serviceId, serviceName, name, config);
    },

    /** Restores a pair's last stored state after a server restart. */
    restorePair(instanceId: string, breakerId: string, state: TBreakerState, wouldBe: TBreakerState | null, stateSince: number, config: TBreakerConfig | null): void {
      const instance = instances.get(instanceId);
      const breaker = breakers.get(breakerId);
      if (!instance || !breaker) return;
      const pair = live.pairEntry(instance, breaker);
      countPair(pair, -1);
      pair.state = state;
      pair.wouldBe = wouldBe;
      pair.stateSince = stateSince;
      pair.config = config ?? pair.config;
      countPair(pair, 1);
      live.touch(breaker, stateSince);
    },

    /** A run's counters as a server stored them (after a restart, or when its reporter moved here): counting goes on from there; ignored for another run. */
    restoreCounted({ instanceId, runId, breakerIds, widths, totals }: CounterBaselineRow): void {
      const instance = instances.get(instanceId);
      if (!instance || instance.runId !== runId) return;
      for (let i = 0, at = 0; i < breakerIds.length; at += widths[i]!, i++) {
        const breaker = breakers.get(breakerIds[i]!);
        if (breaker) counters.restore(live.pairEntry(instance, breaker), totals.subarray(at, at + widths[i]!));
      }
    },

    /** How an instance reached this server last: a socket, or HTTP batches and polls. */
    setTransport(instanceId: string, transport: TReporterTransport): void {
      const instance = instances.get(instanceId);
      if (!instance || instance.transport === transport) return;
      instance.transport = transport;
      for (const pair of instance.pairs.values()) {
        pair.breaker.clients = null;
        live.touch(pair.breaker, live.now());
      }
    },
  };
}
