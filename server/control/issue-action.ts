import { randomUUID } from 'node:crypto';
import type { TActionRequest, TActionResult, TOverrideView } from '../../lib/control/operator-action.js';
import type { TTransitionRecord } from '../../lib/api/transition-record.js';
import { COMMAND_PROTOCOL_VERSION } from '../../lib/protocol/version.js';
import type { Aggregate } from '../aggregate/aggregate';
import { HttpError } from '../http/http-error';
import type { Prisma } from '../store/prisma';
import { recordAudit, type AuditActor } from './audit-log';
import type { CommandDelivery, DeliveryTarget } from './command-delivery';
import { OVERRIDE_SELECT, toOverrideView } from './override-view';
import { commandScope, inScope } from './scope';
import { steerable } from './steerable';
import { isUuid } from '../../lib/ids';
import type { TLabels } from '../../lib/protocol/identity.js';

export const DEFAULT_OVERRIDE_SECONDS = 3600;
const DESIRED = { trip: 'FORCED_OPEN', force_closed: 'FORCED_CLOSED' } as const;

export interface ActionCaller {
  actor: AuditActor;
  email: string;
  userId: string;
}

export interface IssueActionDependencies {
  prisma: Prisma;
  aggregate: Aggregate;
  delivery: CommandDelivery;
  now: () => number;
  onTransition(record: TTransitionRecord): void;
  /** In a cluster: every instance that reported this breaker to any server (this server's aggregate knows only its own). */
  knownInstances?: (breakerId: string) => Promise<Array<{ instanceId: string; name: string; labels: TLabels }>>;
  /** In a cluster: tells the other servers that the breaker's override changed. */
  onOverrideChanged?: (breakerId: string) => void;
}

const isUniqueViolation = (error: unknown) => typeof error === 'object' && error !== null && 'code' in error && error.code === 'P2002';

/**
 * An operator action, Documenso-style: check the breaker, then store the
 * override (for trip and force closed), the command, its per-instance
 * deliveries, the panel's transition and the audit entry in one transaction
 * that holds the breaker's row lock — so two operators acting at once are
 * applied one after the other: the last one wins and both are audited —
 * and only then send the command to the instances.
 */
export function createIssueAction({ prisma, aggregate, delivery, now, onTransition, knownInstances, onOverrideChanged }: IssueActionDependencies) {
  async function repeatOf(idempotencyKey: string, breakerId: string): Promise<TActionResult | null> {
    const existing = await prisma.command.findUnique({ where: { idempotencyKey }, select: { id: true, breakerId: true, override: { select: OVERRIDE_SELECT } } });
    if (!existing) return null;
    if (existing.breakerId !== breakerId) throw new HttpError(409, 'idempotency_key_reused', 'This idempotency key was used for another breaker');
    return { commandId: existing.id, override: existing.override ? toOverrideView(existing.override) : null, deliveries: await delivery.deliveries(existing.id), repeated: true };
  }

  return async function issueAction(breakerId: string, request: TActionRequest, caller: ActionCaller, idempotencyKey: string | null): Promise<TActionResult> {
    if (!isUuid(breakerId)) throw new HttpError(404, 'not_found', `No breaker with id ${breakerId}`);
    const breaker = await prisma.breaker.findUnique({ where: { id: breakerId }, select: { id: true, name: true, serviceId: true, service: { select: { name: true } } } });
    if (!breaker) throw new HttpError(404, 'not_found', `No breaker with id ${breakerId}`);
    if (idempotencyKey) {
      const repeated = await repeatOf(idempotencyKey, breakerId);
      if (repeated) return repeated;
    }

    // Every instance here that declared the breaker, reported or not.
    const local = [...(aggregate.breakers.get(breakerId)?.pairs.values() ?? [])]
      .map(({ instance }) => ({ instanceId: instance.id, name: instance.name, labels: instance.labels }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const everywhere = knownInstances ? await knownInstances(breakerId) : [];
    const localIds = new Set(local.map((instance) => instance.instanceId));
    const targets: DeliveryTarget[] = [...local, ...everywhere.filter((instance) => !localIds.has(instance.instanceId))]
      .filter((instance) => inScope(request.scope, instance) && steerable(aggregate, instance.instanceId))
      .map((instance) => ({ instanceId: instance.instanceId, name: instance.name }));
    const at = now();
    const commandId = randomUUID();
    const desired = request.action === 'trip' || request.action === 'force_closed' ? DESIRED[request.action] : null;
    const expiresAt = desired ? new Date(at + (request.expiresIn ?? DEFAULT_OVERRIDE_SECONDS) * 1000) : null;

    let stored: { override: TOverrideView | null; transitions: Array<{ id: bigint; to: 'FORCED_OPEN' | 'FORCED_CLOSED' | 'CLOSED'; from: 'FORCED_OPEN' | 'FORCED_CLOSED' | null }> };
    try {
      stored = await prisma.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT id FROM breakers WHERE id = ${breakerId}::uuid FOR UPDATE`;
        const active = await tx.override.findFirst({ where: { breakerId, endedAt: null }, select: { id: true, desiredState: true } });
        const transitions: Array<{ id: bigint; to: 'FORCED_OPEN' | 'FORCED_CLOSED' | 'CLOSED'; from: 'FORCED_OPEN' | 'FORCED_CLOSED' | null }> = [];
        const panelTransition = async (to: 'FORCED_OPEN' | 'FORCED_CLOSED' | 'CLOSED', from: 'FORCED_OPEN' | 'FORCED_CLOSED' | null, overrideId: string) => {
          const row = await tx.transition.create({
            data: { serviceId: breaker.serviceId, breakerId, fromState: from, toState: to, cause: 'manual', at: new Date(at), overrideId, commandId },
            select: { id: true },
          });
          transitions.push({ id: row.id, to, from });
        };
        if (active) {
          await tx.override.update({ where: { id: active.id }, data: { endedAt: new Date(at), endedById: caller.userId, endReason: desired ? 'superseded' : 'released' }, select: { id: true } });
          if (!desired) await panelTransition('CLOSED', active.desiredState === 'FORCED_OPEN' ? 'FORCED_OPEN' : 'FORCED_CLOSED', active.id);
        }
        let override = null;
        if (desired) {
          override = await tx.override.create({
            data: { breakerId, desiredState: desired, scope: request.scope, reason: request.reason, createdById: caller.userId, createdAt: new Date(at), expiresAt },
            select: { id: true },
          });
          await panelTransition(desired, null, override.id);
        }
        await tx.command.create({
          data: {
            id: commandId,
            breakerId,
            overrideId: override?.id ?? null,
            action: request.action,
            scope: request.scope,
            reason: request.reason,
            idempotencyKey,
            createdById: caller.userId,
            createdAt: new Date(at),
            expiresAt,
          },
          select: { id: true },
        });
        if (targets.length > 0) {
          await tx.commandDelivery.createMany({
            data: targets.map((target) => ({ commandId, instanceId: target.instanceId, status: delivery.statusFor(target.instanceId), sentAt: new Date(at) })),
          });
        }
        await recordAudit(tx, {
          action: `breaker.${request.action}`,
          actor: caller.actor,
          target: { type: 'breaker', id: breakerId },
          serviceId: breaker.serviceId,
          breakerId,
          commandId,
          reason: request.reason,
          scope: request.scope,
          details: { service: breaker.service.name, breaker: breaker.name, expiresAt: expiresAt?.toISOString() ?? null, instances: targets.length },
        });
        const view = override ? await tx.override.findUniqueOrThrow({ where: { id: override.id }, select: OVERRIDE_SELECT }) : null;
        return { override: view ? toOverrideView(view) : null, transitions };
      });
    } catch (error) {
      // Two requests with one key raced: the loser answers with the winner's command.
      if (idempotencyKey && isUniqueViolation(error)) {
        const repeated = await repeatOf(idempotencyKey, breakerId);
        if (repeated) return repeated;
      }
      throw error;
    }

    aggregate.setOverride(breakerId, stored.override);
    onOverrideChanged?.(breakerId);
    for (const transition of stored.transitions) {
      onTransition({
        id: String(transition.id),
        breakerId,
        service: breaker.service.name,
        breaker: breaker.name,
        instance: null,
        from: transition.from,
        to: transition.to,
        wouldBe: null,
        cause: 'manual',
        failureRate: null,
        slowCallRate: null,
        at,
      });
    }
    delivery.send(
      {
        protocolVersion: COMMAND_PROTOCOL_VERSION,
        id: commandId,
        breaker: breaker.name,
        action: request.action,
        expiresAt: expiresAt?.getTime() ?? null,
        reason: request.reason,
        issuedBy: caller.email,
        issuedAt: at,
      },
      breakerId,
      (target) => commandScope(request.scope, target.name),
      targets,
    );
    return { commandId, override: stored.override, deliveries: await delivery.deliveries(commandId), repeated: false };
  };
}
