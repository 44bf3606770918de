import type { TCommand } from '../../lib/protocol/command.js';
import type { CommandDelivery } from './command-delivery';
import type { HttpMailboxes, WaitEnd } from './http-mailboxes';

export type HttpCommands = ReturnType<typeof createHttpCommands>;

/**
 * Commands for reporters that speak HTTP: an instance that posts or polls is
 * reachable; one that registers, or comes back after a silence (or is first
 * heard of after a server restart), is sent the overrides in force again,
 * exactly as a socket reporter is when it registers.
 */
export function createHttpCommands({ mailboxes, delivery, resendOverrides }: { mailboxes: HttpMailboxes; delivery: CommandDelivery; resendOverrides(instanceId: string): Promise<void> }) {
  return {
    /** Records a batch's or poll's instance; true when the overrides in force must be sent to it again. */
    heardFrom(instanceId: string, runId: string | null): boolean {
      return mailboxes.contact(instanceId, runId) !== 'live';
    },

    resendOverrides,

    /** The commands the instance has not acknowledged, for an answer (marked `sent` the first time). */
    take: (instanceId: string): Promise<TCommand[]> => delivery.takeForHttp(instanceId),

    /** A long poll's wait; see HttpMailboxes.wait. */
    wait: (instanceId: string, keyId: string, waitMs: number): { done: Promise<WaitEnd>; cancel(): void } | 'busy' => mailboxes.wait(instanceId, keyId, waitMs),

    /** HTTP reporters known to this server and long polls waiting. */
    stats: () => mailboxes.stats(),
  };
}
