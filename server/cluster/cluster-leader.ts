import type { Logger } from '../logger';
import type { ClusterLeases } from './cluster-lease';

/**
 * One server at a time holds the role `name` (cluster_leases, the database's
 * clock): each server tries to claim or renew it every `renewEveryMs`; the
 * holder keeps it while it renews, and a holder that dies loses it when its
 * lease (`leaseMs`) runs out. A server counts itself the holder only until a
 * renewal's margin before its lease ends, so two never both count themselves holders.
 */
export function holdClusterRole({
  leases,
  name,
  renewEveryMs,
  leaseMs,
  logger,
  onTaken,
}: {
  leases: ClusterLeases;
  name: string;
  renewEveryMs: number;
  leaseMs: number;
  logger: Logger;
  /** Called when this server comes to hold the role (at start too). */
  onTaken?: () => void;
}) {
  let heldUntil = 0;
  const renew = async () => {
    const at = Date.now();
    try {
      const held = at < heldUntil;
      heldUntil = (await leases.claimRun(name, 0, leaseMs)) ? at + leaseMs - renewEveryMs : 0;
      if (!held && heldUntil > 0) onTaken?.();
    } catch (error) {
      logger.warn({ err: error, role: name }, 'renewing a cluster role failed');
    }
  };
  let running = renew();
  const timer = setInterval(() => {
    running = running.then(renew);
  }, renewEveryMs);
  timer.unref();
  return {
    first: running,
    holds: (): boolean => Date.now() < heldUntil,
    /** Gives the role up at once (a graceful stop), so another server takes it at its next renewal. */
    async stop(): Promise<void> {
      clearInterval(timer);
      await running;
      if (heldUntil > 0) await leases.release(name).catch(() => undefined);
      heldUntil = 0;
    },
  };
}
