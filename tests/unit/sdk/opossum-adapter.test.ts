import Opossum from 'opossum';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { instrumentOpossum, type StateChangeEvent } from '../../../sdk/src/index.js';
import { createCommandApplier } from '../../../sdk/src/reporter/command-applier.js';

describe('instrumentOpossum', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function setup() {
    let healthy = false;
    const action = async (): Promise<string> => {
      if (!healthy) throw new Error('down');
      return 'ok';
    };
    const breaker = new Opossum(action, { name: 'inventory', errorThresholdPercentage: 50, volumeThreshold: 2, resetTimeout: 1_000, timeout: false });
    const instrumented = instrumentOpossum(breaker);
    const changes: StateChangeEvent[] = [];
    instrumented.on('stateChange', (change) => changes.push(change));
    const fire = () => breaker.fire().catch(() => 'rejected');
    return { breaker, instrumented, changes, fire, heal: () => (healthy = true) };
  }

  it('reports opossum opening and closing, with the outcome counts', async () => {
    const { instrumented, changes, fire, heal } = setup();
    await fire();
    await fire();
    expect(instrumented.state).toBe('OPEN');
    await fire(); // short-circuited
    vi.advanceTimersByTime(1_000);
    expect(instrumented.state).toBe('HALF_OPEN');
    heal();
    await fire();
    expect(instrumented.state).toBe('CLOSED');
    expect(changes.map((change) => `${change.from}→${change.to}:${change.cause}`)).toEqual(['CLOSED→OPEN:failure_rate', 'OPEN→HALF_OPEN:open_timeout_elapsed', 'HALF_OPEN→CLOSED:trials_succeeded']);
    const stats = instrumented.stats();
    expect(stats).toMatchObject({ name: 'inventory', state: 'CLOSED', wouldBe: 'CLOSED', counters: { success: 1, failure: 2, rejected: 1, timeout: 0 } });
    expect(stats.latency.counts.reduce((sum, count) => sum + count, 0)).toBe(3);
    expect(instrumented.describe()).toMatchObject({ implementation: 'opossum', failureRateThreshold: 50, minimumCalls: 2, openTimeoutMs: 1_000, callTimeoutMs: null });
  });

  it('a trip command opens it and holds it open past opossum’s reset timer, until released', async () => {
    const { breaker, instrumented, changes, fire, heal } = setup();
    heal();
    const applier = createCommandApplier({ instanceId: 'web-1', labels: {}, findBreaker: () => instrumented, now: () => Date.now() });
    const ack = applier.handle({ protocolVersion: 1, id: 'cmd-1', breaker: 'inventory', action: 'trip', expiresAt: null, scope: { kind: 'service' }, reason: 'r', issuedBy: 'ops', issuedAt: 1 });
    expect(ack).toMatchObject({ status: 'applied', state: 'FORCED_OPEN' });
    expect(breaker.opened).toBe(true);
    vi.advanceTimersByTime(5_000);
    expect(breaker.opened).toBe(true);
    await expect(breaker.fire()).rejects.toThrow();
    expect(instrumented.stats().counters.rejected).toBe(1);
    instrumented.release({ commandId: 'cmd-2' });
    expect(breaker.opened).toBe(false);
    await expect(fire()).resolves.toBe('ok');
    expect(changes.map((change) => `${change.to}:${change.cause}:${change.commandId}`)).toEqual(['FORCED_OPEN:command:cmd-1', 'CLOSED:command:cmd-2']);
  });

  it('force closed disables opossum so every call passes', async () => {
    const { breaker, instrumented, fire } = setup();
    await fire();
    await fire();
    instrumented.forceClosed();
    expect(instrumented.stats()).toMatchObject({ state: 'FORCED_CLOSED' });
    expect(breaker.enabled).toBe(false);
    expect(await fire()).toBe('rejected'); // the action's own error: not short-circuited
    expect(instrumented.stats().counters.rejected).toBe(0);
  });

  it('counts a timeout once, not as a failure too', async () => {
    const breaker = new Opossum(() => new Promise<string>(() => undefined), { name: 'slow', timeout: 100, volumeThreshold: 100 });
    const instrumented = instrumentOpossum(breaker);
    const call = breaker.fire().catch(() => 'timed out');
    vi.advanceTimersByTime(100);
    await call;
    expect(instrumented.stats().counters).toMatchObject({ timeout: 1, failure: 0 });
    instrumented.dispose();
    breaker.shutdown();
  });
});
