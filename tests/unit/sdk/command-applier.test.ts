import { describe, expect, it } from 'vitest';
import { createCircuitBreaker } from '../../../sdk/src/index.js';
import { createCommandApplier } from '../../../sdk/src/reporter/command-applier.js';
import { Outbox } from '../../../sdk/src/reporter/outbox.js';

const command = (overrides: Record<string, unknown> = {}) => ({
  protocolVersion: 1,
  id: 'c1',
  breaker: 'payments',
  action: 'trip',
  expiresAt: null,
  scope: { kind: 'service' },
  reason: 'r',
  issuedBy: 'ops',
  issuedAt: 1,
  ...overrides,
});

describe('command applier', () => {
  const setup = () => {
    const breaker = createCircuitBreaker({ name: 'payments', clock: { now: () => 1_000 } });
    const applier = createCommandApplier({
      instanceId: 'web-1',
      labels: { region: 'eu', zone: 'a' },
      findBreaker: (name) => (name === 'payments' ? breaker : undefined),
      now: () => 1_000,
      historySize: 2,
    });
    return { breaker, applier };
  };

  it('matches label scopes on every label', () => {
    const { applier } = setup();
    expect(applier.handle(command({ id: 'a', scope: { kind: 'labels', labels: { region: 'eu' } } }))).toMatchObject({ status: 'applied' });
    expect(applier.handle(command({ id: 'b', scope: { kind: 'labels', labels: { region: 'eu', zone: 'b' } } }))).toMatchObject({ status: 'failed', reason: 'out_of_scope' });
  });

  it('refuses an override that already expired, and passes the expiry on', () => {
    const { applier, breaker } = setup();
    expect(applier.handle(command({ expiresAt: 999 }))).toMatchObject({ status: 'failed', reason: 'expired', state: 'CLOSED' });
    applier.handle(command({ id: 'c2', action: 'force_closed', expiresAt: 5_000 }));
    expect(breaker.stats().override).toEqual({ state: 'FORCED_CLOSED', expiresAt: 5_000, commandId: 'c2' });
  });

  it('forgets the oldest ids beyond its history size', () => {
    const { applier } = setup();
    for (const id of ['x', 'y', 'z']) applier.handle(command({ id, action: 'reset' }));
    expect(applier.handle(command({ id: 'z', action: 'reset' }))).toMatchObject({ duplicate: true });
    expect(applier.handle(command({ id: 'x', action: 'reset' }))).toMatchObject({ duplicate: false });
  });

  it('ignores a payload with no id', () => {
    expect(setup().applier.handle({ nonsense: true })).toBeNull();
  });
});

describe('outbox', () => {
  it('drops the oldest beyond capacity, counts drops, and resends what was not acknowledged', () => {
    const outbox = new Outbox<string>(2);
    outbox.push(1, 'a');
    outbox.push(2, 'b');
    outbox.push(3, 'c');
    expect(outbox.dropped).toBe(1);
    expect(outbox.takeUnsent()).toEqual([
      [2, 'b'],
      [3, 'c'],
    ]);
    expect(outbox.takeUnsent()).toEqual([]);
    outbox.acknowledge(2);
    outbox.retryAll();
    expect(outbox.takeUnsent()).toEqual([[3, 'c']]);
    expect(outbox.size).toBe(1);
  });
});
