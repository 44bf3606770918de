import type { TBreakerInstance } from '../../lib/api/breaker-detail.js';
import type { TBreakerSummary, TRecentRates } from '../../lib/api/breaker-summary.js';
import type { TOverrideView } from '../../lib/control/operator-action.js';
import type { TBreakerConfig } from '../../lib/protocol/breaker-config.js';
import { instanceRows, instancesOf, mergedRates, partialOf, summaryOf, type BreakerPartial } from './breaker-views';
import { countRow } from './counter-deltas';
import { timeOrNull, type BreakerState, type LiveEntries, type PairState } from './live-entries';
import type { OwedBucket } from './pending-writes';

/** This server's part of a breaker: its partial, and its instances' rows when the merge needs them. */
export interface OwnPart {
  partial: BreakerPartial;
  rows: () => TBreakerInstance[];
  /** Whether every instance the partial counts has a row and is held here (a transport): then the partial needs nothing taken out. */
  holdsEvery: () => boolean;
  /** Whether an instance has a row here and is held here. */
  holds: (instanceId: string) => boolean;
}

/** The other servers' parts of the breakers' views (CLUSTER=on; server/cluster/remote-partials.ts), merged into every summary served. */
export interface RemoteViews {
  /** The partials to merge for a breaker and whether its service is a demo, or null when no server holds any of it. */
  merge(breakerId: string, own: OwnPart | undefined, at: number): { partials: BreakerPartial[]; demo: boolean } | null;
  /** The breaker's instance rows across servers, each instance once. */
  instances(breakerId: string, own: OwnPart | undefined, at: number): TBreakerInstance[];
  /** Breakers only other servers hold, with their service names. */
  remoteOnly(): Iterable<{ id: string; service: string }>;
  /** A breaker only other servers hold: its service and the config its instances report. */
  describe(breakerId: string): { service: string; config: TBreakerConfig | null } | undefined;
}

/** What screens, metrics and commands read of the breakers: this server's views, merged with the other servers' (CLUSTER=on), and the overrides. */
export function views(live: LiveEntries) {
  const { breakers, now } = live;
  const overrides = new Map<string, TOverrideView>();
  // The other servers' parts of the views; null: this server's view is the whole view.
  let remote: RemoteViews | null = null;

  // A summary is merged at once and keeps no window: this server's part of it counts into one scratch row.
  const ownWindow = countRow();
  const heldHere = (pair: PairState | undefined) => pair !== undefined && pair.state !== null && pair.instance.transport !== null;
  const ownPart = (breaker: BreakerState | undefined, at: number): OwnPart | undefined =>
    breaker && {
      partial: partialOf(breaker, at, ownWindow),
      rows: () => instancesOf(breaker),
      holdsEvery: () => {
        for (const pair of breaker.pairs.values()) if (!heldHere(pair)) return false;
        return true;
      },
      holds: (instanceId) => heldHere(breaker.pairs.get(instanceId)),
    };
  const isDemo = (breaker: BreakerState | undefined) => breaker !== undefined && live.demoServices.has(breaker.serviceId);

  return {
    /** A breaker's service-wide summary: this server's partial, merged with the other servers' when there are others. */
    summary(breakerId: string): TBreakerSummary | undefined {
      const breaker = breakers.get(breakerId);
      const at = now();
      const merged = remote ? remote.merge(breakerId, ownPart(breaker, at), at) : breaker && { partials: [partialOf(breaker, at)], demo: false };
      if (!merged) return undefined;
      return summaryOf(merged.partials, at, { demo: merged.demo || isDemo(breaker), override: overrides.get(breakerId) ?? null });
    },

    /** This server's partial of a breaker; its window's counts go into `into` when given (read before it is used again). */
    partial(breakerId: string, into?: Float64Array): BreakerPartial | undefined {
      const breaker = breakers.get(breakerId);
      return breaker ? partialOf(breaker, now(), into) : undefined;
    },

    /** Whether a breaker held here belongs to the demo fleet (for the other servers' views). */
    isDemo(breakerId: string): boolean {
      return isDemo(breakers.get(breakerId));
    },

    /** Merges every summary from here on with the other servers' parts (CLUSTER=on). */
    useRemoteViews(views: RemoteViews): void {
      remote = views;
    },

    /** A breaker's rates as the live stream's rates-only change, without building its whole summary. */
    ratesChange(breakerId: string, at = now()): { service: string; rates: TRecentRates; lastReportAt: number | null } | undefined {
      const breaker = breakers.get(breakerId);
      if (remote) {
        const merged = remote.merge(breakerId, ownPart(breaker, at), at);
        return merged ? mergedRates(merged.partials, at) : undefined;
      }
      return breaker && { service: breaker.serviceName, rates: breaker.recent.rates(at), lastReportAt: timeOrNull(breaker.lastReportAt) };
    },

    breakerIds(filter?: { service?: string }): string[] {
      const ids: string[] = [];
      for (const breaker of breakers.values()) if (!filter?.service || breaker.serviceName === filter.service) ids.push(breaker.id);
      if (remote) for (const { id, service } of remote.remoteOnly()) if (!breakers.has(id) && (!filter?.service || service === filter.service)) ids.push(id);
      return ids;
    },

    serviceOf(breakerId: string): string | undefined {
      return breakers.get(breakerId)?.serviceName ?? remote?.describe(breakerId)?.service;
    },

    config(breakerId: string): TBreakerConfig | null {
      return breakers.get(breakerId)?.config ?? remote?.describe(breakerId)?.config ?? null;
    },

    /** The breaker's instances, on every server when the views are merged. */
    instancesOf(breakerId: string): TBreakerInstance[] {
      const breaker = breakers.get(breakerId);
      if (!remote) return breaker ? instancesOf(breaker) : [];
      const at = now();
      return remote.instances(breakerId, ownPart(breaker, at), at);
    },

    /** The instances of the breaker this server holds or knows from the catalog, in no particular order (for the other servers, whose views sort them). */
    ownInstancesOf(breakerId: string): TBreakerInstance[] {
      const breaker = breakers.get(breakerId);
      return breaker ? instanceRows(breaker) : [];
    },

    /** A breaker's service-wide buckets not in the database yet (the open one, and any being written), oldest first. */
    owedBuckets(breakerId: string): OwedBucket[] {
      const breaker = breakers.get(breakerId);
      return breaker ? live.pending.owedBreakerBuckets(breaker.slot) : [];
    },

    override(breakerId: string): TOverrideView | null {
      return overrides.get(breakerId) ?? null;
    },

    /** Shows (or clears) the override in force on a breaker; the dashboards get it with the next delta. */
    setOverride(breakerId: string, override: TOverrideView | null): void {
      if (override) overrides.set(breakerId, override);
      else overrides.delete(breakerId);
      live.dirty.markOverride(breakerId);
    },
  };
}
