import { createStore } from 'zustand/vanilla';
import type { TBreakerInstance } from '../../lib/api/breaker-detail';
import type { TBreakerSummary } from '../../lib/api/breaker-summary';
import type { TTransitionRecord } from '../../lib/api/transition-record';
import type { TDelivery } from '../../lib/control/operator-action';
import { withRatesChange } from '../../lib/live/breaker-delta';
import type { TBreakersChanged } from '../../lib/live/dashboard-events';

const MAX_TRANSITIONS = 200;

export interface BreakersState {
  /**
   * Summaries by id, never changed once handed out: a batch makes a new map
   * (one shallow copy per animation frame at most) that keeps the summary
   * objects of the breakers it did not change, so a row's selector sees only
   * its own breaker's changes and whatever reads the whole map sees a new one.
   * A Map because copying one of 10,000 entries takes a third of the time of
   * spreading a plain object of them (docs/performance.md, "Dashboard (UI)").
   */
  byId: ReadonlyMap<string, TBreakerSummary>;
  /** Instances of the breaker whose detail is open. */
  instances: Record<string, TBreakerInstance[]>;
  /** Newest first, capped. */
  transitions: TTransitionRecord[];
  /** Per breaker: where its latest operator command stands on each instance. */
  deliveries: Record<string, TDelivery[]>;
  /** False until the first snapshot arrives. */
  loaded: boolean;
  /** When data last arrived (client clock): the age shown while disconnected. */
  receivedAt: number | null;
  replaceAll(breakers: TBreakerSummary[], instances: Record<string, TBreakerInstance[]>, at: number): void;
  applyBatch(batch: LiveBatch, at: number): void;
  /** The deliveries of a breaker's latest command, as fetched (replaces what was there, but for live updates newer than the fetch). */
  setDeliveries(breakerId: string, deliveries: TDelivery[]): void;
}

/** What arrived within one animation frame, applied in a single store update. */
export interface LiveBatch {
  /** The breaker changes of each `breakers:changed` message, in arrival order: a later change of a breaker wins. */
  breakers: Array<Pick<TBreakersChanged, 'breakers' | 'rates'>>;
  instances: Record<string, TBreakerInstance[]>;
  transitions: TTransitionRecord[];
  deliveries: Array<TDelivery & { breakerId: string }>;
}

/** A delivery update joins the list of its command; one of a newer command starts a new list. */
function mergeDeliveries(current: Record<string, TDelivery[]>, updates: Array<TDelivery & { breakerId: string }>): Record<string, TDelivery[]> {
  const next = { ...current };
  for (const { breakerId, ...delivery } of updates) {
    const list = next[breakerId] ?? [];
    const sameCommand = list.filter((item) => item.commandId === delivery.commandId && item.instanceId !== delivery.instanceId);
    next[breakerId] = [...sameCommand, delivery].sort((a, b) => a.instance.localeCompare(b.instance));
  }
  return next;
}

/**
 * A fetched delivery list, keeping each live update of the same command that
 * is newer than what the fetch saw: an instance can acknowledge, and its
 * update arrive, before the response of the action that sent the command.
 */
export function withNewerLiveDeliveries(fetched: TDelivery[], held: readonly TDelivery[] | undefined): TDelivery[] {
  if (!held?.length) return fetched;
  return fetched.map((delivery) => {
    const live = held.find((item) => item.commandId === delivery.commandId && item.instanceId === delivery.instanceId);
    return live && (live.at ?? -Infinity) >= (delivery.at ?? -Infinity) ? live : delivery;
  });
}

/** The map with the changes applied, as a new map; `current` and its summaries stay as they were. */
function withBreakerChanges(current: ReadonlyMap<string, TBreakerSummary>, changes: LiveBatch['breakers']): ReadonlyMap<string, TBreakerSummary> {
  const next = new Map(current);
  // Within one message a breaker is either whole or rates-only, so the two lists need no interleaving.
  for (const { breakers, rates } of changes) {
    for (const summary of breakers) next.set(summary.id, summary);
    for (let i = 0; i < rates.ids.length; i++) {
      const id = rates.ids[i]!;
      const held = next.get(id);
      if (held) next.set(id, withRatesChange(held, rates, i));
    }
  }
  return next;
}

export type BreakersStore = ReturnType<typeof createBreakersStore>;

export function createBreakersStore() {
  return createStore<BreakersState>()((set) => ({
    byId: new Map(),
    instances: {},
    transitions: [],
    deliveries: {},
    loaded: false,
    receivedAt: null,
    replaceAll: (breakers, instances, at) => set({ byId: new Map(breakers.map((breaker) => [breaker.id, breaker])), instances, loaded: true, receivedAt: at }),
    applyBatch: (batch, at) =>
      set((state) => ({
        byId: batch.breakers.length ? withBreakerChanges(state.byId, batch.breakers) : state.byId,
        instances: Object.keys(batch.instances).length ? { ...state.instances, ...batch.instances } : state.instances,
        transitions: batch.transitions.length ? [...batch.transitions].reverse().concat(state.transitions).slice(0, MAX_TRANSITIONS) : state.transitions,
        deliveries: batch.deliveries.length ? mergeDeliveries(state.deliveries, batch.deliveries) : state.deliveries,
        receivedAt: at,
      })),
    setDeliveries: (breakerId, deliveries) => set((state) => ({ deliveries: { ...state.deliveries, [breakerId]: withNewerLiveDeliveries(deliveries, state.deliveries[breakerId]) } })),
  }));
}
