import { retryBackoff } from '../../lib/protocol/retry-backoff.js';
import type { ConcurrencyLimit } from './concurrency-limit';

export interface TargetPollerOptions {
  intervalMs: number;
  limit: ConcurrencyLimit;
  /** One read of the target; throws when it fails. */
  poll(): Promise<void>;
  /** The longest wait after repeated failures. */
  maxBackoffMs: number;
  /** How late each read started against its schedule (ms), for the benchmark and metrics. */
  onLag?(lagMs: number): void;
  random?: () => number;
}

/**
 * Reads one target every interval; after a failure it waits longer and
 * longer (exponential with jitter, lib/protocol/retry-backoff.ts), starting
 * from the interval, so an unreachable target costs little. The first read
 * starts at a random point of the first interval, so that a thousand targets
 * added at once do not all fire together.
 */
export function startTargetPoller({ intervalMs, limit, poll, maxBackoffMs, onLag, random = Math.random }: TargetPollerOptions) {
  let stopped = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let wakeEarly: (() => void) | null = null;

  const schedule = (delayMs: number) => {
    if (stopped) return;
    const due = Date.now() + delayMs;
    wakeEarly = () => {
      clearTimeout(timer);
      wakeEarly = null;
      void round(Date.now());
    };
    timer = setTimeout(() => {
      wakeEarly = null;
      void round(due);
    }, delayMs);
    timer.unref();
  };

  const round = async (due: number) => {
    if (stopped) return;
    await limit.run(async () => {
      onLag?.(Math.max(0, Date.now() - due));
      if (stopped) return;
      try {
        await poll();
        failures = 0;
      } catch {
        failures += 1;
      }
    });
    // A healthy target is read at a fixed rate (the next read is due an interval after this one was due), a failing one after a growing wait.
    const next = failures === 0 ? Math.max(0, due + intervalMs - Date.now()) : Math.max(intervalMs, retryBackoff(failures - 1, intervalMs, maxBackoffMs, random));
    schedule(next);
  };

  schedule(Math.floor(random() * intervalMs));
  return {
    /** Reads again now rather than at the next tick (after an operator's command changed the target). */
    pollNow(): void {
      wakeEarly?.();
    },
    stop(): void {
      stopped = true;
      clearTimeout(timer);
    },
    get failures() {
      return failures;
    },
  };
}

export type TargetPoller = ReturnType<typeof startTargetPoller>;
