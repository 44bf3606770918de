import type { TCommand } from '../../lib/protocol/command.js';

/** How a long poll ended: a command to hand out, its time ran out, the server is stopping, or its API key was revoked. */
export type WaitEnd = 'ready' | 'timeout' | 'closed' | 'revoked';

/** What the last contact of an HTTP instance says about it: first seen by this server, back after going stale, or live. */
export type Contact = 'new' | 'returned' | 'live';

export interface QueuedCommand {
  command: TCommand;
  breakerId: string;
  /** When it was last handed out in an answer; null while it waits to be fetched. */
  handedOutAt: number | null;
}

interface Waiter {
  keyId: string;
  finish(end: WaitEnd): void;
}

interface Mailbox {
  runId: string | null;
  lastContactAt: number;
  /** Commands not acknowledged yet, oldest first (a Map keeps insertion order). */
  queue: Map<string, QueuedCommand>;
  /** Command ids the current run acknowledged: they are not sent to it again. */
  acknowledged: Set<string>;
  waiters: Set<Waiter>;
}

export interface HttpMailboxOptions {
  now: () => number;
  /** An HTTP instance that neither posted nor polled for this long is not reachable. */
  staleAfterMs: number;
  /** Long polls waiting at once on this server; one more is refused, so memory stays bounded. */
  maxWaiters: number;
  /** Long polls one instance may hold; a newer one ends the oldest (a client that gave up and asked again). */
  maxWaitersPerInstance?: number;
  /** Commands kept per instance; beyond it the oldest is dropped (an instance that never acknowledges). */
  maxQueued?: number;
  /** A command handed out but not acknowledged after this long wakes a long poll again (its answer may have been lost). */
  resendAfterMs?: number;
}

export type HttpMailboxes = ReturnType<typeof createHttpMailboxes>;

const MAX_ACKNOWLEDGED = 1_000;

/**
 * Commands waiting for reporters that speak HTTP, which cannot be pushed to:
 * each instance that posts batches or polls gets a mailbox, filled where
 * commands are dispatched and emptied by its acknowledgements, and long polls
 * wait on it instead of reading the database in a loop. Memory only: the
 * database stays the source of truth, and overrides in force are queued again
 * when an instance registers or comes back.
 */
export function createHttpMailboxes({ now, staleAfterMs, maxWaiters, maxWaitersPerInstance = 2, maxQueued = 1_000, resendAfterMs = 5_000 }: HttpMailboxOptions) {
  const mailboxes = new Map<string, Mailbox>();
  let waiting = 0;
  let closed = false;

  const fresh = (mailbox: Mailbox, at: number) => at - mailbox.lastContactAt <= staleAfterMs || mailbox.waiters.size > 0;
  const wakes = (mailbox: Mailbox, at: number) => {
    for (const queued of mailbox.queue.values()) if (queued.handedOutAt === null || at - queued.handedOutAt >= resendAfterMs) return true;
    return false;
  };
  const wake = (mailbox: Mailbox, end: WaitEnd, keyId?: string) => {
    for (const waiter of [...mailbox.waiters]) if (keyId === undefined || waiter.keyId === keyId) waiter.finish(end);
  };

  return {
    /** Records that an instance posted or polled; a new run starts with an empty mailbox (its process applied nothing yet). */
    contact(instanceId: string, runId: string | null): Contact {
      const at = now();
      const mailbox = mailboxes.get(instanceId);
      if (!mailbox) {
        mailboxes.set(instanceId, { runId, lastContactAt: at, queue: new Map(), acknowledged: new Set(), waiters: new Set() });
        return 'new';
      }
      const contact: Contact = fresh(mailbox, at) ? 'live' : 'returned';
      mailbox.lastContactAt = at;
      if (runId !== null && runId !== mailbox.runId) {
        if (mailbox.runId !== null) {
          mailbox.queue.clear();
          mailbox.acknowledged.clear();
        }
        mailbox.runId = runId;
      }
      return contact;
    },

    /** Whether an instance speaks HTTP to this server and was heard from recently enough to fetch a command. */
    online(instanceId: string): boolean {
      const mailbox = mailboxes.get(instanceId);
      return mailbox !== undefined && fresh(mailbox, now());
    },

    /** Whether the instance's current run acknowledged this command already. */
    acknowledged(instanceId: string, commandId: string): boolean {
      return mailboxes.get(instanceId)?.acknowledged.has(commandId) ?? false;
    },

    /** Queues a command for an instance and wakes its long polls; false when it has no mailbox or acknowledged it already. */
    put(instanceId: string, command: TCommand, breakerId: string): boolean {
      const mailbox = mailboxes.get(instanceId);
      if (!mailbox || mailbox.acknowledged.has(command.id)) return false;
      mailbox.queue.set(command.id, { command, breakerId, handedOutAt: null });
      if (mailbox.queue.size > maxQueued) mailbox.queue.delete(mailbox.queue.keys().next().value!);
      wake(mailbox, 'ready');
      return true;
    },

    /** Commands the instance has not acknowledged, oldest first; those past their expiry are taken out and returned apart. */
    unacknowledged(instanceId: string): { live: QueuedCommand[]; expired: QueuedCommand[] } {
      const mailbox = mailboxes.get(instanceId);
      if (!mailbox) return { live: [], expired: [] };
      const at = now();
      const live: QueuedCommand[] = [];
      const expired: QueuedCommand[] = [];
      for (const queued of mailbox.queue.values()) {
        const { expiresAt } = queued.command;
        if (expiresAt !== null && expiresAt <= at) {
          expired.push(queued);
          mailbox.queue.delete(queued.command.id);
        } else live.push(queued);
      }
      return { live, expired };
    },

    markHandedOut(commands: readonly QueuedCommand[]): void {
      const at = now();
      for (const queued of commands) queued.handedOutAt = at;
    },

    /** An acknowledgement (applied or failed) ends the command's delivery to this instance. */
    acknowledge(instanceId: string, runId: string, commandId: string): void {
      const mailbox = mailboxes.get(instanceId);
      if (!mailbox) return;
      mailbox.queue.delete(commandId);
      if (runId !== mailbox.runId) return;
      mailbox.acknowledged.add(commandId);
      if (mailbox.acknowledged.size > MAX_ACKNOWLEDGED) mailbox.acknowledged.delete(mailbox.acknowledged.values().next().value!);
    },

    /**
     * Waits until the instance has a command it was not handed yet (or one
     * handed out a while ago and still not acknowledged), `waitMs` passes, the
     * server stops or the key is revoked. 'busy' when too many polls wait.
     */
    wait(instanceId: string, keyId: string, waitMs: number): { done: Promise<WaitEnd>; cancel(): void } | 'busy' {
      const mailbox = mailboxes.get(instanceId);
      if (closed || !mailbox) return { done: Promise.resolve(closed ? 'closed' : 'timeout'), cancel: () => {} };
      if (waitMs === 0 || wakes(mailbox, now())) return { done: Promise.resolve(waitMs === 0 ? 'timeout' : 'ready'), cancel: () => {} };
      if (mailbox.waiters.size >= maxWaitersPerInstance) mailbox.waiters.values().next().value!.finish('timeout');
      if (waiting >= maxWaiters) return 'busy';
      let finish: (end: WaitEnd) => void = () => {};
      const done = new Promise<WaitEnd>((resolve) => {
        const waiter: Waiter = {
          keyId,
          finish(end) {
            if (!mailbox.waiters.delete(waiter)) return;
            waiting -= 1;
            clearTimeout(timer);
            // A poll keeps its instance reachable while it waits, and for a stale window after.
            mailbox.lastContactAt = Math.max(mailbox.lastContactAt, now());
            resolve(end);
          },
        };
        mailbox.waiters.add(waiter);
        waiting += 1;
        const timer = setTimeout(() => waiter.finish('timeout'), waitMs);
        finish = waiter.finish;
      });
      return { done, cancel: () => finish('timeout') };
    },

    /** Ends the long polls made with a revoked key at once. */
    revokeKey(keyId: string): void {
      for (const mailbox of mailboxes.values()) wake(mailbox, 'revoked', keyId);
    },

    /** Ends every long poll (the server is stopping) and answers later ones at once. */
    close(): void {
      closed = true;
      for (const mailbox of mailboxes.values()) wake(mailbox, 'closed');
    },

    /** Forgets instances not heard from for `forgetAfterMs`, so that a churning fleet does not grow memory. */
    sweep(forgetAfterMs: number): number {
      const at = now();
      let forgotten = 0;
      for (const [instanceId, mailbox] of mailboxes) {
        if (mailbox.waiters.size > 0 || at - mailbox.lastContactAt <= forgetAfterMs) continue;
        mailboxes.delete(instanceId);
        forgotten += 1;
      }
      return forgotten;
    },

    stats(): { instances: number; waiting: number } {
      return { instances: mailboxes.size, waiting };
    },
  };
}
