import { describe, expect, it } from 'vitest';
import { createNotificationSettings } from '../../../server/notify/notification-settings';
import type { Prisma } from '../../../server/store/prisma';

const BREAKER = '7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';

/** The three tables settings read, each read answered when the test says so, with what the table held when it was read. */
function tablesAnsweredByHand() {
  const snoozeReads: Array<{ rows: unknown[]; answer(): void }> = [];
  let snoozes: unknown[] = [];
  const prisma = {
    notificationEndpoint: { findMany: () => Promise.resolve([]) },
    notificationRule: { findMany: () => Promise.resolve([]) },
    notificationSnooze: {
      findMany: () =>
        new Promise((resolve) => {
          const rows = snoozes;
          snoozeReads.push({ rows, answer: () => resolve(rows) });
        }),
    },
  } as unknown as Prisma;
  return { prisma, snoozeReads, setSnoozes: (rows: unknown[]) => (snoozes = rows) };
}

describe('notification settings', () => {
  it('keeps a snooze that a reload started after it read, even when an older reload finishes last', async () => {
    const { prisma, snoozeReads, setSnoozes } = tablesAnsweredByHand();
    const settings = createNotificationSettings({ prisma, now: () => 1_000 });
    // A tick's reload reads the snoozes before the operator's snooze is stored…
    const tick = settings.reload();
    setSnoozes([{ ruleId: null, breakerId: BREAKER, until: new Date(60_000) }]);
    // …and the reload after the snooze reads it; the tick's answer arrives last.
    const afterSnooze = settings.reload();
    await Promise.resolve();
    snoozeReads[1]!.answer();
    await afterSnooze;
    expect(settings.snoozed(BREAKER, null, 2_000)).toBe(true);
    snoozeReads[0]!.answer();
    await tick;
    expect(settings.snoozed(BREAKER, null, 2_000)).toBe(true);
  });
});
