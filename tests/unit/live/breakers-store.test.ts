import { describe, expect, it } from 'vitest';
import { createBreakersStore } from '../../../app/_live/breakers-store';
import type { TDelivery } from '../../../lib/control/operator-action';
import { addRatesChange, emptyRatesChanges } from '../../../lib/live/breaker-delta';
import { breakerSummary } from '../../fixtures/breaker-summary';

const delivery = (instance: string, commandId: string, status: TDelivery['status'], at: number): TDelivery => ({
  commandId,
  instanceId: `id-${instance}`,
  instance,
  status,
  state: status === 'applied' ? 'FORCED_OPEN' : null,
  error: null,
  at,
});

describe('the deliveries of a breaker', () => {
  it('keep a live acknowledgement that arrived before the response of the action that sent the command', () => {
    const store = createBreakersStore();
    store.getState().applyBatch({ breakers: [], instances: {}, transitions: [], deliveries: [{ ...delivery('web-1', 'c2', 'applied', 1_050), breakerId: 'b1' }] }, 1_050);
    store.getState().setDeliveries('b1', [delivery('web-1', 'c2', 'pending', 1_000), delivery('web-2', 'c2', 'pending', 1_000)]);
    expect(store.getState().deliveries.b1!.map((item) => `${item.instance}:${item.status}`)).toEqual(['web-1:applied', 'web-2:pending']);
  });

  it('take the fetched list over live updates that are older or of another command', () => {
    const store = createBreakersStore();
    store.getState().applyBatch({ breakers: [], instances: {}, transitions: [], deliveries: [{ ...delivery('web-1', 'c1', 'applied', 900), breakerId: 'b1' }] }, 900);
    store.getState().setDeliveries('b1', [delivery('web-1', 'c2', 'pending', 1_000)]);
    expect(store.getState().deliveries.b1).toEqual([delivery('web-1', 'c2', 'pending', 1_000)]);
  });
});

describe('the breakers of the live store', () => {
  const rates = { callsPerSecond: 30, failureRate: 5, slowCallRate: null, rejectedPerSecond: 1, p50Ms: 2, p90Ms: 8, p99Ms: 20 };
  const emptyBatch = { instances: {}, transitions: [], deliveries: [] };

  function loadedStore() {
    const store = createBreakersStore();
    store.getState().replaceAll([breakerSummary({ id: 'a' }), breakerSummary({ id: 'b' }), breakerSummary({ id: 'c' })], {}, 1_000);
    return store;
  }

  it('take a batch as a new map that keeps the summaries it did not change, and leave what was handed out as it was', () => {
    const store = loadedStore();
    const before = store.getState().byId;
    const copyBefore = structuredClone(new Map(before));
    const changes = emptyRatesChanges();
    addRatesChange(changes, 'b', rates, 2_000);
    store.getState().applyBatch({ breakers: [{ breakers: [], rates: changes }], ...emptyBatch }, 2_000);

    const after = store.getState().byId;
    expect(after).not.toBe(before);
    expect(before).toEqual(copyBefore);
    expect(after.get('a')).toBe(before.get('a'));
    expect(after.get('c')).toBe(before.get('c'));
    expect(after.get('b')).not.toBe(before.get('b'));
    expect(after.get('b')).toEqual({ ...before.get('b'), rates, lastReportAt: 2_000 });
  });

  it('apply the messages of a batch in arrival order, and ignore the rates of a breaker not held', () => {
    const store = loadedStore();
    const before = store.getState().byId;
    const first = emptyRatesChanges();
    addRatesChange(first, 'a', rates, 2_000);
    addRatesChange(first, 'unknown', rates, 2_000);
    const opened = breakerSummary({ id: 'a', state: 'OPEN', lastReportAt: 2_100 });
    const later = emptyRatesChanges();
    addRatesChange(later, 'a', { ...rates, callsPerSecond: 31 }, 2_200);
    store.getState().applyBatch(
      {
        breakers: [
          { breakers: [], rates: first },
          { breakers: [opened], rates: emptyRatesChanges() },
          { breakers: [], rates: later },
        ],
        ...emptyBatch,
      },
      2_200,
    );

    const after = store.getState().byId;
    expect(after.get('a')).toEqual({ ...opened, rates: { ...rates, callsPerSecond: 31 }, lastReportAt: 2_200 });
    expect(opened.lastReportAt).toBe(2_100);
    expect([...after.keys()]).toEqual(['a', 'b', 'c']);
    expect(after.get('b')).toBe(before.get('b'));
  });

  it('keep the same map for a batch without breaker changes', () => {
    const store = loadedStore();
    const before = store.getState().byId;
    store.getState().applyBatch({ breakers: [], ...emptyBatch, instances: { a: [] } }, 2_000);
    expect(store.getState().byId).toBe(before);
  });
});
