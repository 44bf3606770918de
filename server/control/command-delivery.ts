import type { TDelivery, TDeliveryStatus } from '../../lib/control/operator-action.js';
import type { TCommand, TCommandAck } from '../../lib/protocol/command.js';
import type { Aggregate } from '../aggregate/aggregate';
import { instanceRoom, type AgentNamespace } from '../ingest/agent-namespace';
import type { Prisma } from '../store/prisma';
import type { HttpMailboxes } from './http-mailboxes';
import { isUuid } from '../../lib/ids';

export interface DeliveryTarget {
  instanceId: string;
  name: string;
}

export type CommandDelivery = ReturnType<typeof createCommandDelivery>;

/** A command addressed to one instance, as handed to the server that holds it. */
export interface AddressedCommand {
  instanceId: string;
  name: string;
  command: TCommand;
}

type OpenStatus = Extract<TDeliveryStatus, 'pending' | 'sent' | 'offline'>;

/**
 * Sends commands to the instances in scope and tracks each delivery: `sent`
 * when emitted on an instance's socket, `pending` when queued for an HTTP
 * reporter until an answer hands it out (then `sent`), `applied` or `failed`
 * when the instance acknowledges, `offline` when it was not reporting to
 * this server.
 */
export function createCommandDelivery({
  prisma,
  agent,
  aggregate,
  mailboxes,
  now,
  onDelivery,
  relay,
}: {
  prisma: Prisma;
  agent: AgentNamespace;
  aggregate: Aggregate;
  mailboxes: HttpMailboxes;
  now: () => number;
  onDelivery(breakerId: string, delivery: TDelivery): void;
  /** In a cluster: hands the commands for instances this server does not hold to the other servers (server/control/command-relay.ts). */
  relay?: {
    send(breakerId: string, commands: AddressedCommand[]): void;
    /** An HTTP reporter may poll several servers: the others stop handing out what it acknowledged here. */
    acknowledged(instanceId: string, runId: string, commandId: string): void;
  };
}) {
  const connected = (instanceId: string) => (agent.namespace.adapter.rooms.get(instanceRoom(instanceId))?.size ?? 0) > 0;
  const statusFor = (instanceId: string): OpenStatus => (connected(instanceId) ? 'sent' : mailboxes.online(instanceId) ? 'pending' : 'offline');
  const publish = (breakerId: string, commandId: string, instanceId: string, status: TDeliveryStatus, at: number, error: string | null = null) =>
    onDelivery(breakerId, { commandId, instanceId, instance: aggregate.instances.get(instanceId)?.name ?? instanceId, status, state: null, error, at });

  return {
    /** What a delivery to this instance starts as: sent over its socket, queued for its HTTP polls, or offline. */
    statusFor,

    /** Emits the command to each connected target and queues it for each HTTP target; acknowledgements arrive later. */
    send(command: Omit<TCommand, 'scope'>, breakerId: string, scopeFor: (target: DeliveryTarget) => TCommand['scope'], targets: DeliveryTarget[]): void {
      const elsewhere: AddressedCommand[] = [];
      for (const target of targets) {
        const addressed = { ...command, scope: scopeFor(target) };
        if (connected(target.instanceId)) agent.namespace.to(instanceRoom(target.instanceId)).emit('command:apply', addressed);
        else {
          // Kept here too: an HTTP reporter that was last heard of here may poll here again.
          const online = mailboxes.online(target.instanceId);
          mailboxes.put(target.instanceId, addressed, breakerId);
          if (!online) elsewhere.push({ instanceId: target.instanceId, name: target.name, command: addressed });
        }
      }
      if (relay && elsewhere.length > 0) relay.send(breakerId, elsewhere);
    },

    /**
     * Commands another server issued for instances it does not hold: those
     * this server holds (socket or HTTP) are sent here, and their deliveries,
     * stored as offline by the issuing server, become sent or pending.
     */
    async deliverRelayed(breakerId: string, commands: readonly AddressedCommand[]): Promise<number> {
      let delivered = 0;
      for (const { instanceId, name, command } of commands) {
        const socket = connected(instanceId);
        if (!socket && !mailboxes.online(instanceId)) continue;
        const status: OpenStatus = socket ? 'sent' : 'pending';
        const at = now();
        if (isUuid(command.id)) {
          const updated = await prisma.commandDelivery.updateMany({ where: { commandId: command.id, instanceId, status: 'offline' }, data: { status, sentAt: new Date(at), error: null } });
          if (updated.count > 0) onDelivery(breakerId, { commandId: command.id, instanceId, instance: aggregate.instances.get(instanceId)?.name ?? name, status, state: null, error: null, at });
        }
        if (socket) agent.namespace.to(instanceRoom(instanceId)).emit('command:apply', command);
        else mailboxes.put(instanceId, command, breakerId);
        delivered += 1;
      }
      return delivered;
    },

    /** Another server stored this acknowledgement: its command is not handed out here again. */
    acknowledgedElsewhere: (instanceId: string, runId: string, commandId: string) => mailboxes.acknowledge(instanceId, runId, commandId),

    /** Whether the instance's current run acknowledged the command already (known for HTTP reporters): it is not sent again. */
    acknowledgedByRun: (instanceId: string, commandId: string) => mailboxes.acknowledged(instanceId, commandId),

    /** Records a command sent again (an override in force, to an instance that registered) as open for one instance. */
    async markResent(commandId: string, breakerId: string, target: DeliveryTarget): Promise<void> {
      const at = new Date(now());
      const status = statusFor(target.instanceId);
      await prisma.commandDelivery.upsert({
        where: { commandId_instanceId: { commandId, instanceId: target.instanceId } },
        create: { commandId, instanceId: target.instanceId, status, sentAt: at },
        update: { status, sentAt: at, error: null },
        select: { commandId: true },
      });
      onDelivery(breakerId, { commandId, instanceId: target.instanceId, instance: target.name, status, state: null, error: null, at: at.getTime() });
    },

    /**
     * The commands an HTTP reporter has not acknowledged, for the answer to
     * its batch or long poll: those fetched for the first time become `sent`;
     * those past their expiry are not handed out and fail as `expired`.
     */
    async takeForHttp(instanceId: string): Promise<TCommand[]> {
      const { live, expired } = mailboxes.unacknowledged(instanceId);
      const at = new Date(now());
      if (expired.length > 0) {
        const ids = expired.map((queued) => queued.command.id).filter(isUuid);
        const ended = await prisma.commandDelivery.updateManyAndReturn({
          where: { instanceId, commandId: { in: ids }, status: { in: ['pending', 'sent'] } },
          data: { status: 'failed', error: 'expired', acknowledgedAt: at },
          select: { commandId: true },
        });
        const breakers = new Map(expired.map((queued) => [queued.command.id, queued.breakerId]));
        for (const row of ended) publish(breakers.get(row.commandId)!, row.commandId, instanceId, 'failed', at.getTime(), 'expired');
      }
      const fresh = live.filter((queued) => queued.handedOutAt === null && isUuid(queued.command.id));
      mailboxes.markHandedOut(live);
      if (fresh.length > 0) {
        const sent = await prisma.commandDelivery.updateManyAndReturn({
          where: { instanceId, commandId: { in: fresh.map((queued) => queued.command.id) }, status: 'pending' },
          data: { status: 'sent', sentAt: at },
          select: { commandId: true },
        });
        const breakers = new Map(fresh.map((queued) => [queued.command.id, queued.breakerId]));
        for (const row of sent) publish(breakers.get(row.commandId)!, row.commandId, instanceId, 'sent', at.getTime());
      }
      return live.map((queued) => queued.command);
    },

    /** An instance's acknowledgement: the delivery becomes applied or failed, and every dashboard sees it. */
    async acknowledge(instanceId: string, ack: TCommandAck): Promise<void> {
      mailboxes.acknowledge(instanceId, ack.runId, ack.commandId);
      relay?.acknowledged(instanceId, ack.runId, ack.commandId);
      if (!isUuid(ack.commandId)) return;
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
      const name = aggregate.instances.get(instanceId)?.name ?? ack.instanceId;
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
