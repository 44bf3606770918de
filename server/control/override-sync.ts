import type { MessageBus } from '../cluster/message-bus';
import type { Logger } from '../logger';

/**
 * Keeps every server's view of overrides in force the same: a server that
 * starts, ends or expires one tells the others, which read it from the
 * database. Without it another server would show a stale override, and
 * release a fresh one on the instances it holds (they hold a command it does
 * not know of).
 */
export function createOverrideSync({ bus, reloadOne, logger }: { bus: MessageBus; reloadOne(breakerId: string): Promise<void>; logger: Logger }) {
  const unsubscribe = bus.subscribe('override.changed', ({ breakerId }) => reloadOne(breakerId));
  return {
    changed(breakerId: string): void {
      bus.publish('override.changed', { breakerId }).catch((error: unknown) => logger.error({ err: error, breakerId }, 'telling the other servers of an override failed'));
    },
    close: unsubscribe,
  };
}
