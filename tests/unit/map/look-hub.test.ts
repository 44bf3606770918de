import { describe, expect, it } from 'vitest';
import type { TBreakerSummary } from '../../../lib/api/breaker-summary';
import { LookHub } from '../../../app/map/look-hub';
import { breakerSummary } from '../../fixtures/breaker-summary';

const mapOf = (...summaries: TBreakerSummary[]) => new Map(summaries.map((summary) => [summary.id, summary]));
const opened = (summary: TBreakerSummary): TBreakerSummary => ({
  ...summary,
  state: 'OPEN',
  instances: { ...summary.instances, byState: { ...summary.instances.byState, CLOSED: 1, OPEN: 2 } },
});

describe('LookHub', () => {
  it('tells a listener when its breaker looks different, never for rates alone or for other breakers', () => {
    const payments = breakerSummary({ name: 'payments-api' });
    const inventory = breakerSummary({ name: 'inventory-api' });
    const hub = new LookHub(mapOf(payments, inventory));
    const told: string[] = [];
    hub.subscribe([payments.id], () => told.push('payments'));
    hub.subscribe([inventory.id], () => told.push('inventory'));
    const first = hub.look(payments.id);
    expect(first).toMatchObject({ status: 'closed', open: 0, total: 3 });

    // New rates for both (new summary objects), the same look: nobody is told, and the look is the same object.
    hub.update(mapOf({ ...payments, rates: { ...payments.rates, callsPerSecond: 30 } }, { ...inventory, rates: { ...inventory.rates, p99Ms: 90 } }));
    expect(told).toEqual([]);
    expect(hub.look(payments.id)).toBe(first);

    hub.update(mapOf(opened(payments), inventory));
    expect(told).toEqual(['payments']);
    expect(hub.look(payments.id)).toMatchObject({ status: 'open', open: 2, total: 3 });
  });

  it('tells a listener of several breakers once per update, and keeps looks current for breakers nobody listens to', () => {
    const a = breakerSummary();
    const b = breakerSummary();
    const hub = new LookHub(mapOf(a, b));
    let told = 0;
    const unsubscribe = hub.subscribe([a.id, b.id], () => (told += 1));
    hub.look(a.id);
    hub.look(b.id);
    hub.update(mapOf(opened(a), opened(b)));
    expect(told).toBe(1);

    unsubscribe();
    hub.update(mapOf(a, b));
    expect(told).toBe(1);
    expect(hub.look(a.id).status).toBe('closed');
    expect(hub.look(b.id).status).toBe('closed');
  });
});
