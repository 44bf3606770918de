import type { TWindowConfig, TWindowSnapshot } from '../../../lib/protocol/index.js';
import { createCountWindow } from './count-window.js';
import { createTimeWindow } from './time-window.js';

/** The recent calls a trip decision looks at. */
export interface SlidingWindow {
  /** Records one completed call at `now` (epoch ms); returns the calls now in the window. */
  record(failed: boolean, slow: boolean, now: number): number;
  /** Calls in the window at `now` (the time window ages out old seconds first). */
  calls(now: number): number;
  failures(now: number): number;
  slowCalls(now: number): number;
  /** Whether one more call that neither failed nor was slow would leave every count and trip decision as it is, so it need not be recorded. */
  absorbsSuccess(): boolean;
  /** Forgets every call: entering CLOSED starts a fresh window. */
  reset(): void;
}

/** Creates the window the config asks for. */
export function createSlidingWindow(config: TWindowConfig): SlidingWindow {
  switch (config.type) {
    case 'count':
      return createCountWindow(config.size);
    case 'time':
      return createTimeWindow(config.seconds);
    default: {
      const unknown: never = config;
      throw new TypeError(`Unknown window type: ${JSON.stringify(unknown)}`);
    }
  }
}

/** Rates in percent (0 when the window is empty). */
export function snapshotWindow(window: SlidingWindow, now: number): TWindowSnapshot {
  const calls = window.calls(now);
  if (calls === 0) return { calls: 0, failureRate: 0, slowCallRate: 0 };
  return {
    calls,
    failureRate: (window.failures(now) / calls) * 100,
    slowCallRate: (window.slowCalls(now) / calls) * 100,
  };
}
