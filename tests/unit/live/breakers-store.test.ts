import { describe, expect, it } from 'vitest';
import { createBreakersStore } from '../../../app/_live/breakers-store';
import type { TDelivery } from '../../../lib/control/operator-action';

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
