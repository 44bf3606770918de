import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TCommand } from '../../../lib/protocol/command.js';
import { createHttpMailboxes } from '../../../server/control/http-mailboxes';

const command = (id: string, expiresAt: number | null = null): TCommand => ({
  protocolVersion: 1,
  id,
  breaker: 'payments',
  action: 'trip',
  expiresAt,
  scope: { kind: 'service' },
  reason: 'test',
  issuedBy: 'alice@example.com',
  issuedAt: 0,
});

describe('HTTP mailboxes', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());
  const setUp = (maxWaiters = 10) => createHttpMailboxes({ now: Date.now, staleAfterMs: 3_000, maxWaiters, maxWaitersPerInstance: 2, resendAfterMs: 5_000 });
  const ids = (mailboxes: ReturnType<typeof setUp>, instanceId: string) => mailboxes.unacknowledged(instanceId).live.map((queued) => queued.command.id);

  it('holds commands only for instances that posted or polled, online for the stale window after', () => {
    const mailboxes = setUp();
    expect(mailboxes.put('i1', command('c1'), 'b1')).toBe(false);
    expect(mailboxes.contact('i1', 'run-1')).toBe('new');
    expect(mailboxes.online('i1')).toBe(true);
    expect(mailboxes.put('i1', command('c1'), 'b1')).toBe(true);
    vi.advanceTimersByTime(3_001);
    expect(mailboxes.online('i1')).toBe(false);
    expect(mailboxes.contact('i1', 'run-1')).toBe('returned');
    expect(mailboxes.contact('i1', 'run-1')).toBe('live');
    expect(ids(mailboxes, 'i1')).toEqual(['c1']);
  });

  it('keeps a command until the run acknowledges it, then refuses it again for that run but not for the next', () => {
    const mailboxes = setUp();
    mailboxes.contact('i1', 'run-1');
    mailboxes.put('i1', command('c1'), 'b1');
    mailboxes.acknowledge('i1', 'run-1', 'c1');
    expect(ids(mailboxes, 'i1')).toEqual([]);
    expect(mailboxes.acknowledged('i1', 'c1')).toBe(true);
    expect(mailboxes.put('i1', command('c1'), 'b1')).toBe(false);

    mailboxes.put('i1', command('c2'), 'b1');
    mailboxes.contact('i1', 'run-2');
    expect(ids(mailboxes, 'i1')).toEqual([]);
    expect(mailboxes.acknowledged('i1', 'c1')).toBe(false);
    expect(mailboxes.put('i1', command('c1'), 'b1')).toBe(true);
  });

  it('takes commands past their expiry out, apart', () => {
    const mailboxes = setUp();
    mailboxes.contact('i1', 'run-1');
    mailboxes.put('i1', command('c1', Date.now() + 1_000), 'b1');
    mailboxes.put('i1', command('c2'), 'b1');
    vi.advanceTimersByTime(1_000);
    const { live, expired } = mailboxes.unacknowledged('i1');
    expect([live.map((queued) => queued.command.id), expired.map((queued) => queued.command.id)]).toEqual([['c2'], ['c1']]);
    expect(ids(mailboxes, 'i1')).toEqual(['c2']);
  });

  it('wakes a long poll on a new command, or ends it after waitMs; a handed-out command wakes again only after 5 s', async () => {
    const mailboxes = setUp();
    mailboxes.contact('i1', 'run-1');
    const first = mailboxes.wait('i1', 'k1', 25_000);
    if (first === 'busy') throw new Error('busy');
    mailboxes.put('i1', command('c1'), 'b1');
    await expect(first.done).resolves.toBe('ready');

    mailboxes.markHandedOut(mailboxes.unacknowledged('i1').live);
    const second = mailboxes.wait('i1', 'k1', 25_000);
    if (second === 'busy') throw new Error('busy');
    let ended: string | null = null;
    void second.done.then((end) => (ended = end));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(ended).toBeNull();
    second.cancel();
    await expect(second.done).resolves.toBe('timeout');
    vi.advanceTimersByTime(1);
    const third = mailboxes.wait('i1', 'k1', 25_000);
    if (third === 'busy') throw new Error('busy');
    await expect(third.done).resolves.toBe('ready');

    mailboxes.acknowledge('i1', 'run-1', 'c1');
    const fourth = mailboxes.wait('i1', 'k1', 200);
    if (fourth === 'busy') throw new Error('busy');
    await vi.advanceTimersByTimeAsync(200);
    await expect(fourth.done).resolves.toBe('timeout');
    expect(mailboxes.stats().waiting).toBe(0);
  });

  it('bounds waiters: a third poll of one instance ends its oldest, and beyond the server-wide cap a poll is refused', async () => {
    const mailboxes = setUp(3);
    for (const id of ['i1', 'i2']) mailboxes.contact(id, 'run');
    const polls = [mailboxes.wait('i1', 'k', 25_000), mailboxes.wait('i1', 'k', 25_000), mailboxes.wait('i1', 'k', 25_000)];
    const [oldest] = polls;
    if (oldest === 'busy' || !oldest) throw new Error('busy');
    await expect(oldest.done).resolves.toBe('timeout');
    expect(mailboxes.stats().waiting).toBe(2);
    expect(mailboxes.wait('i2', 'k', 25_000)).not.toBe('busy');
    expect(mailboxes.wait('i2', 'k', 25_000)).toBe('busy');
  });

  it('ends the polls of a revoked key, and every poll on close, answering later ones at once', async () => {
    const mailboxes = setUp();
    mailboxes.contact('i1', 'run');
    const revoked = mailboxes.wait('i1', 'k-revoked', 25_000);
    const other = mailboxes.wait('i1', 'k-other', 25_000);
    if (revoked === 'busy' || other === 'busy') throw new Error('busy');
    mailboxes.revokeKey('k-revoked');
    await expect(revoked.done).resolves.toBe('revoked');
    mailboxes.close();
    await expect(other.done).resolves.toBe('closed');
    const late = mailboxes.wait('i1', 'k-other', 25_000);
    if (late === 'busy') throw new Error('busy');
    await expect(late.done).resolves.toBe('closed');
  });

  it('forgets instances not heard from for long, but not one whose poll waits', () => {
    const mailboxes = setUp();
    mailboxes.contact('i1', 'run');
    mailboxes.contact('i2', 'run');
    expect(mailboxes.wait('i2', 'k', 30_000)).not.toBe('busy');
    vi.setSystemTime(Date.now() + 3_600_001);
    expect(mailboxes.sweep(3_600_000)).toBe(1);
    expect(mailboxes.stats()).toEqual({ instances: 1, waiting: 1 });
  });
});
