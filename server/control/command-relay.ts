import type { MessageBus } from '../cluster/message-bus';
import type { Logger } from '../logger';
import type { AddressedCommand, CommandDelivery } from './command-delivery';

/**
 * Commands for instances held by another server: the issuing server stores
 * their deliveries as offline and publishes them on the cluster bus; the
 * server that holds an instance (its socket, or its HTTP polls) sends the
 * command there and marks the delivery sent or pending. The instance's
 * acknowledgement is stored by the server it reports to, and every dashboard
 * sees it through the cross-server broadcasts; the other servers are told, so
 * that an HTTP reporter whose polls a balancer spreads over several servers is
 * not handed the command again by the others.
 */
export function createCommandRelay({ bus, logger }: { bus: MessageBus; logger: Logger }) {
  let delivery: CommandDelivery | null = null;
  const unsubscribe = bus.subscribe('command.deliver', async ({ breakerId, targets }, from) => {
    if (!delivery) return;
    const delivered = await delivery.deliverRelayed(breakerId, targets);
    if (delivered > 0) logger.debug({ from, breakerId, delivered }, 'delivered commands issued on another server');
  });
  const unsubscribeAcks = bus.subscribe('command.acknowledged', ({ instanceId, runId, commandId }) => delivery?.acknowledgedElsewhere(instanceId, runId, commandId));
  return {
    /** For createCommandDelivery's `relay`. */
    relay: {
      send(breakerId: string, commands: AddressedCommand[]): void {
        bus.publish('command.deliver', { breakerId, targets: commands }).catch((error: unknown) => logger.error({ err: error, breakerId }, 'handing commands to the other servers failed'));
      },
      acknowledged(instanceId: string, runId: string, commandId: string): void {
        bus
          .publish('command.acknowledged', { instanceId, runId, commandId })
          .catch((error: unknown) => logger.warn({ err: error, instanceId }, 'telling the other servers of an acknowledgement failed'));
      },
    },
    /** The deliveries of this server, once they exist (they need the relay to be built). */
    attach(target: CommandDelivery): void {
      delivery = target;
    },
    close(): void {
      unsubscribe();
      unsubscribeAcks();
    },
  };
}
