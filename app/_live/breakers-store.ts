import { createStore } from 'zustand/vanilla';
import type { TBreakerInstance } from '../../lib/api/breaker-detail';
import type { TBreakerSummary } from '../../lib/api/breaker-summary';
import type { TTransitionRecord } from '../../lib/api/transition-record';
import type { TDelivery } from '../../lib/control/operator-action';
import { withRatesChange, type TRatesChange } from '../../lib/live/breaker-delta';

const MAX_TRANSITIONS = 200;

export interface BreakersState {
  /**
   * Summaries by id. Updated in place (copying 10,000 entries four times a
   * second costs frames): an update replaces the summary objects that changed,
   * so each row's selector still sees its own change, and bumps `version` for
   * whatever reads the whole map.
   */
  byId: Record<string, TBreakerSummary>;
  version: number;
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
  /** Whole summaries and rates changes, in arrival order: a later change of a breaker wins. */
  breakers: Array<TBreakerSummary | TRatesChange>;
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

export type BreakersStore = ReturnType<typeof createBreakersStore>;

export function createBreakersStore() {
  return createStore<BreakersState>()((set) => ({
    byId: {},
    version: 0,
    instances: {},
    transitions: [],
    deliveries: {},
    loaded: false,
    receivedAt: null,
    replaceAll: (breakers, instances, at) =>
      set((state) => ({ byId: Object.fromEntries(breakers.map((breaker) => [breaker.id, breaker])), version: state.version + 1, instances, loaded: true, receivedAt: at })),
    applyBatch: (batch, at) =>
      set((state) => {
        for (const change of batch.breakers) {
          if (!Array.isArray(change)) {
            state.byId[change.id] = change;
            continue;
          }
          const current = state.byId[change[0]];
          if (current) state.byId[change[0]] = withRatesChange(current, change);
        }
        return {
          version: batch.breakers.length ? state.version + 1 : state.version,
          instances: Object.keys(batch.instances).length ? { ...state.instances, ...batch.instances } : state.instances,
          transitions: batch.transitions.length ? [...batch.transitions.reverse(), ...state.transitions].slice(0, MAX_TRANSITIONS) : state.transitions,
          deliveries: batch.deliveries.length ? mergeDeliveries(state.deliveries, batch.deliveries) : state.deliveries,
          receivedAt: at,
        };
      }),
    setDeliveries: (breakerId, deliveries) => set((state) => ({ deliveries: { ...state.deliveries, [breakerId]: withNewerLiveDeliveries(deliveries, state.deliveries[breakerId]) } })),
  }));
}
