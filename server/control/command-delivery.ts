import type { TDelivery } from '../../lib/control/operator-action.js';
import type { TCommand, TCommandAck } from '../../lib/protocol/command.js';
import type { Aggregate } from '../aggregate/aggregate';
import { instanceRoom, type AgentNamespace } from '../ingest/agent-namespace';
import type { Prisma } from '../store/prisma';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface DeliveryTarget {
  instanceId: string;
  name: string;
}

export type CommandDelivery = ReturnType<typeof createCommandDelivery>;

/**
 * Sends commands to the instances in scope that are connected to this server
 * and tracks each one: pending until the instance acknowledges (applied or
 * failed, with the state it ended in), offline when it was not connected.
 */
export function createCommandDelivery({ prisma, agent, aggregate, now, onDelivery }: { prisma: Prisma; agent: AgentNamespace; aggregate: Aggregate; now: () => number; onDelivery(breakerId: string, delivery: TDelivery): void }) {
  const connected = (instanceId: string) => (agent.namespace.adapter.rooms.get(instanceRoom(instanceId))?.size ?? 0) > 0;

  return {
    connected,

    /** Emits the command to each connected target; returns nothing: acknowledgements arrive as `command:ack`. */
    send(command: Omit<TCommand, 'scope'>, scopeFor: (target: DeliveryTarget) => TCommand['scope'], targets: DeliveryTarget[]): void {
      for (const target of targets) {
        if (connected(target.instanceId)) agent.namespace.to(instanceRoom(target.instanceId)).emit('command:apply', { ...command, scope: scopeFor(target) });
      }
    },

    /** Records a (re)sent command as pending for one instance. */
    async markPending(commandId: string, breakerId: string, target: DeliveryTarget): Promise<void> {
      const at = new Date(now());
      await prisma.commandDelivery.upsert({
        where: { commandId_instanceId: { commandId, instanceId: target.instanceId } },
        create: { commandId, instanceId: target.instanceId, status: 'pending', sentAt: at },
        update: { status: 'pending', sentAt: at, error: null },
        select: { commandId: true },
      });
      onDelivery(breakerId, { commandId, instanceId: target.instanceId, instance: target.name, status: 'pending', state: null, error: null, at: at.getTime() });
    },

    /** An instance's acknowledgement: the delivery becomes applied or failed, and every dashboard sees it. */
    async acknowledge(instanceId: string, ack: TCommandAck): Promise<void> {
      if (!UUID.test(ack.commandId)) return;
      const command = await prisma.command.findUnique({ where: { id: ack.commandId }, select: { breakerId: true } });
      if (!command) return;
      const at = new Date(now());
      const status = ack.status === 'applied' ? 'applied' : 'failed';
      await prisma.commandDelivery.upsert({
        where: { commandId_instanceId: { commandId: ack.commandId, instanceId } },
        create: { commandId: ack.commandId, instanceId, status, resultingState: ack.state, error: ack.reason, sentAt: at, acknowledgedAt: at },
        update: { status, resultingState: ack.state, error: ack.reason, acknowledgedAt: at },
        select: { commandId: true },
      });
      const name = aggregate.instance(instanceId)?.name ?? ack.instanceId;
      onDelivery(command.breakerId, { commandId: ack.commandId, instanceId, instance: name, status, state: ack.state, error: ack.reason, at: at.getTime() });
    },

    async deliveries(commandId: string): Promise<TDelivery[]> {
      const rows = await prisma.commandDelivery.findMany({
        where: { commandId },
        select: { instanceId: true, status: true, resultingState: true, error: true, sentAt: true, acknowledgedAt: true, instance: { select: { name: true } } },
        orderBy: { instance: { name: 'asc' } },
      });
      return rows.map((row) => ({
        commandId,
        instanceId: row.instanceId,
        instance: row.instance.name,
        status: row.status,
        state: row.resultingState,
        error: row.error,
        at: (row.acknowledgedAt ?? row.sentAt)?.getTime() ?? null,
      }));
    },
  };
}
