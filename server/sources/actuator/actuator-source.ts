import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SourceAdapterContext, SourceKindDefinition } from '../source-adapter';
import { startTargetPoller, type TargetPoller } from '../target-poller';
import { createActuatorTarget } from './actuator-target';

// A long wait for commands that ended at once (no mailbox yet, too many waiters) is not tried again sooner than this.
const QUIET_WAIT_MS = 1_000;

/**
 * Resilience4j through Spring Boot Actuator: each target is read every poll
 * interval (with backoff when it fails), and between reads a steerable
 * target waits on its mailbox, so an operator's command is posted to the
 * actuator at once rather than at the next read.
 */
export const actuatorSource: SourceKindDefinition = {
  clientKind: 'resilience4j-actuator',
  language: 'java',
  start(context: SourceAdapterContext) {
    const { source, limit, onLag, logger } = context;
    let stopped = false;
    const stopping = new AbortController();
    // Every target's pause listens on this one signal.
    setMaxListeners(0, stopping.signal);
    const pause = (ms: number) => sleep(ms, undefined, { signal: stopping.signal }).catch(() => undefined);
    const waits = new Set<() => void>();
    const pollers: TargetPoller[] = [];
    const loops: Array<Promise<void>> = [];
    for (const base of source.targets) {
      let poller: TargetPoller | null = null;
      const target = createActuatorTarget(base, context, () => poller?.pollNow());
      poller = startTargetPoller({ intervalMs: source.pollIntervalMs, limit, poll: target.poll, maxBackoffMs: Math.max(10_000, source.pollIntervalMs * 8), onLag });
      pollers.push(poller);
      loops.push(
        (async () => {
          while (!stopped) {
            if (!target.reachable) {
              await pause(Math.min(source.pollIntervalMs, QUIET_WAIT_MS * 5));
              continue;
            }
            const started = Date.now();
            const waiting = context.commands.wait(source.id, target.instance, source.pollIntervalMs);
            waits.add(waiting.cancel);
            const end = await waiting.done;
            waits.delete(waiting.cancel);
            if (stopped || end === 'closed') break;
            if (end === 'ready') await target.applyWaiting().catch((error: unknown) => logger.warn({ err: error, instance: target.instance }, 'applying a command failed'));
            else if (Date.now() - started < QUIET_WAIT_MS) await pause(QUIET_WAIT_MS);
          }
        })(),
      );
    }
    return {
      async stop() {
        stopped = true;
        stopping.abort();
        for (const cancel of waits) cancel();
        for (const poller of pollers) poller.stop();
        await Promise.all(loops);
      },
    };
  },
};
