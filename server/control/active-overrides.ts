import { randomUUID } from 'node:crypto';
import type { TTransitionRecord } from '../../lib/api/transition-record.js';
import { COMMAND_PROTOCOL_VERSION } from '../../lib/protocol/version.js';
import type { Aggregate } from '../aggregate/aggregate';
import type { Logger } from '../logger';
import type { Prisma } from '../store/prisma';
import type { CommandDelivery } from './command-delivery';
import { OVERRIDE_SELECT, toOverrideView } from './override-view';
import { commandScope, inScope } from './scope';
import { steerable } from './steerable';

// How long before a release sent to an instance that still holds an ended override is sent again.
const RELEASE_AGAIN_AFTER_MS = 30_000;

/**
 * Overrides live in the database, not in a connection: they are shown after a
 * server restart, sent again to every instance in scope when it registers (a
 * restarted process, or one that joins later with matching labels), ended
 * when they expire, and released on an instance that still holds one that
 * has ended (it was away when it was released).
 */
export function createActiveOverrides({
  prisma,
  aggregate,
  delivery,
  now,
  logger,
  onTransition,
  onOverrideChanged,
}: {
  prisma: Prisma;
  aggregate: Aggregate;
  delivery: CommandDelivery;
  now: () => number;
  logger: Logger;
  onTransition(record: TTransitionRecord): void;
  /** In a cluster: tells the other servers that an override ended here. */
  onOverrideChanged?: (breakerId: string) => void;
}) {
  // (instance, breaker, held command) → when a release was last sent for it.
  const releasesSent = new Map<string, number>();

  return {
    /**
     * An instance reports overrides the panel issued that it still holds:
     * one that no override in force (in scope for it) accounts for has
     * ended while the instance was away, so it is told to release it. An
     * override its host set itself carries no command id and is left alone.
     */
    reconcile(instanceId: string, held: ReadonlyArray<{ breaker: string; commandId: string }>): void {
      const instance = aggregate.instances.get(instanceId);
      if (!instance) return;
      const at = now();
      for (const [key, sentAt] of releasesSent) if (at - sentAt >= RELEASE_AGAIN_AFTER_MS) releasesSent.delete(key);
      for (const { breaker, commandId } of held) {
        const breakerId = aggregate.instances.get(instanceId)?.pairs.get(breaker)?.breakerId;
        if (!breakerId) continue;
        const active = aggregate.override(breakerId);
        if (active && inScope(active.scope, instance)) continue;
        const key = `${instanceId}|${breaker}|${commandId}`;
        if (releasesSent.has(key)) continue;
        releasesSent.set(key, at);
        logger.info({ instance: instance.name, breaker, commandId }, 'releasing an override that ended while the instance was away');
        delivery.send(
          {
            protocolVersion: COMMAND_PROTOCOL_VERSION,
            id: randomUUID(),
            breaker,
            action: 'release',
            expiresAt: null,
            reason: 'the override this instance holds has ended',
            issuedBy: 'panel',
            issuedAt: at,
          },
          breakerId,
          () => ({ kind: 'instance', instanceId: instance.name }),
          [{ instanceId, name: instance.name }],
        );
      }
    },

    /** Shows the override in force on one breaker as the database has it (another server changed it). */
    async reloadOne(breakerId: string): Promise<void> {
      const row = await prisma.override.findFirst({ where: { breakerId, endedAt: null }, select: OVERRIDE_SELECT });
      aggregate.setOverride(breakerId, row ? toOverrideView(row) : null);
    },

    /** Shows every override in force on the breakers it belongs to (at start). */
    async load(): Promise<number> {
      const rows = await prisma.override.findMany({ where: { endedAt: null }, select: OVERRIDE_SELECT });
      for (const row of rows) aggregate.setOverride(row.breakerId, toOverrideView(row));
      return rows.length;
    },

    /**
     * Sends a freshly registered instance (or an HTTP reporter back after a
     * silence) the overrides in force on its breakers that cover it, except
     * those its current run acknowledged already.
     */
    async onRegistered(instanceId: string): Promise<void> {
      const instance = aggregate.instances.get(instanceId);
      if (!instance || !steerable(aggregate, instanceId)) return;
      const rows = await prisma.override.findMany({
        where: { endedAt: null, breaker: { serviceId: instance.serviceId } },
        select: { ...OVERRIDE_SELECT, breaker: { select: { name: true } } },
      });
      for (const row of rows) {
        const view = toOverrideView(row);
        if (!view || !aggregate.instances.get(instanceId)?.pairs.get(row.breaker.name)?.breakerId || !inScope(view.scope, instance)) continue;
        if (view.expiresAt !== null && view.expiresAt <= now()) continue;
        if (delivery.acknowledgedByRun(instanceId, view.commandId)) continue;
        const target = { instanceId, name: instance.name };
        await delivery.markResent(view.commandId, row.breakerId, target);
        delivery.send(
          {
            protocolVersion: COMMAND_PROTOCOL_VERSION,
            id: view.commandId,
            breaker: row.breaker.name,
            action: view.state === 'FORCED_OPEN' ? 'trip' : 'force_closed',
            expiresAt: view.expiresAt,
            reason: view.reason,
            issuedBy: view.by ?? 'panel',
            issuedAt: view.createdAt,
          },
          row.breakerId,
          (item) => commandScope(view.scope, item.name),
          [target],
        );
      }
    },

    /**
     * Ends the overrides past their expiry. The instances end them on their
     * own at the same moment (the command carried `expiresAt`); the panel
     * records the end on the timeline.
     */
    async expireDue(): Promise<number> {
      const at = new Date(now());
      const due = await prisma.override.findMany({
        where: { endedAt: null, expiresAt: { lte: at } },
        select: { id: true, breakerId: true, desiredState: true, breaker: { select: { name: true, serviceId: true, service: { select: { name: true } } } } },
      });
      for (const row of due) {
        const transition = await prisma.$transaction(async (tx) => {
          const ended = await tx.override.updateMany({ where: { id: row.id, endedAt: null }, data: { endedAt: at, endReason: 'expired' } });
          if (ended.count === 0) return null;
          return tx.transition.create({
            data: { serviceId: row.breaker.serviceId, breakerId: row.breakerId, fromState: row.desiredState, toState: 'CLOSED', cause: 'override_expired', at, overrideId: row.id },
            select: { id: true },
          });
        });
        if (!transition) continue;
        aggregate.setOverride(row.breakerId, null);
        onOverrideChanged?.(row.breakerId);
        onTransition({
          id: String(transition.id),
          breakerId: row.breakerId,
          service: row.breaker.service.name,
          breaker: row.breaker.name,
          instance: null,
          from: row.desiredState,
          to: 'CLOSED',
          wouldBe: null,
          cause: 'override_expired',
          failureRate: null,
          slowCallRate: null,
          at: at.getTime(),
        });
        logger.info({ overrideId: row.id, breaker: row.breaker.name }, 'override expired');
      }
      return due.length;
    },
  };
}
