import { createStore } from 'zustand/vanilla';
import type { TBreakerInstance } from '../../lib/api/breaker-detail';
import type { TBreakerSummary } from '../../lib/api/breaker-summary';
import type { TTransitionRecord } from '../../lib/api/transition-record';

const MAX_TRANSITIONS = 200;

export interface BreakersState {
  /** Summaries by id; an update replaces only the entries that changed, so rows re-render alone. */
  byId: Record<string, TBreakerSummary>;
  /** Instances of the breaker whose detail is open. */
  instances: Record<string, TBreakerInstance[]>;
  /** Newest first, capped. */
  transitions: TTransitionRecord[];
  /** False until the first snapshot arrives. */
  loaded: boolean;
  /** When data last arrived (client clock): the age shown while disconnected. */
  receivedAt: number | null;
  replaceAll(breakers: TBreakerSummary[], instances: Record<string, TBreakerInstance[]>, at: number): void;
  applyBatch(batch: LiveBatch, at: number): void;
}

/** What arrived within one animation frame, applied in a single store update. */
export interface LiveBatch {
  breakers: TBreakerSummary[];
  instances: Record<string, TBreakerInstance[]>;
  transitions: TTransitionRecord[];
}

export type BreakersStore = ReturnType<typeof createBreakersStore>;

export function createBreakersStore() {
  return createStore<BreakersState>()((set) => ({
    byId: {},
    instances: {},
    transitions: [],
    loaded: false,
    receivedAt: null,
    replaceAll: (breakers, instances, at) =>
      set({ byId: Object.fromEntries(breakers.map((breaker) => [breaker.id, breaker])), instances, loaded: true, receivedAt: at }),
    applyBatch: (batch, at) =>
      set((state) => ({
        byId: batch.breakers.length ? { ...state.byId, ...Object.fromEntries(batch.breakers.map((breaker) => [breaker.id, breaker])) } : state.byId,
        instances: Object.keys(batch.instances).length ? { ...state.instances, ...batch.instances } : state.instances,
        transitions: batch.transitions.length ? [...batch.transitions.reverse(), ...state.transitions].slice(0, MAX_TRANSITIONS) : state.transitions,
        receivedAt: at,
      })),
  }));
}
