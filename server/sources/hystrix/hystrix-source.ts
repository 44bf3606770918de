import { randomUUID } from 'node:crypto';
import type { TBreakerState } from '../../../lib/protocol/breaker-state.js';
import type { Logger } from '../../logger';
import type { SourceSink } from '../source-snapshot';
import { HystrixInstanceView } from './hystrix-instance-view';
import { HystrixStream, type HystrixStreamOptions } from './hystrix-stream';

export interface HystrixSourceOptions {
  sourceId: string;
  /** The panel service every stream of this source belongs to. */
  service: string;
  /** One stream URL per watched process (`…/hystrix.stream`): each becomes an instance. */
  targets: string[];
  authorization?: string | null;
  sink: SourceSink;
  logger: Logger;
  /** How often each instance's snapshot goes to the sink (Hystrix emits every 500 ms per command). */
  flushIntervalMs?: number;
  stream?: Pick<HystrixStreamOptions, 'idleTimeoutMs' | 'connectTimeoutMs' | 'backoffBaseMs' | 'backoffMaxMs'>;
  now?: () => number;
}

/**
 * The panel instance a stream URL stands for: host:port plus any base path,
 * without the well-known stream endpoint (COMPAT.md §2: pull formats carry
 * no instance id, the target is the identity).
 */
export function hystrixInstanceName(target: string): string {
  const url = new URL(target);
  const path = url.pathname.replace(/\/(actuator\/)?hystrix\.stream\/?$/, '').replace(/\/+$/, '');
  return `${url.host}${path}`.slice(0, 200);
}

interface Target {
  url: string;
  instance: string;
  stream: HystrixStream;
  view: HystrixInstanceView | null;
  lastStates: Map<string, TBreakerState>;
  flushing: boolean;
}

/**
 * A fleet of Hystrix streams as one source (the Turbine replacement): one
 * connection per URL, each its own panel instance with its own lane and
 * transitions; the panel's service-wide view merges them. Read-only:
 * Hystrix has no remote write. A stream's failure is reported to the sink
 * for its instance alone: the admin UI shows it and that instance goes
 * stale while the others stay live.
 */
export class HystrixSource {
  private readonly targets: Target[];
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: HystrixSourceOptions) {
    this.targets = options.targets.map((url) => {
      const target: Target = {
        url,
        instance: hystrixInstanceName(url),
        view: null,
        lastStates: new Map(),
        flushing: false,
        // The callbacks run only once the stream starts, after `target` exists.
        stream: new HystrixStream({
          url,
          authorization: options.authorization ?? null,
          ...options.stream,
          now: options.now,
          onConnected: () => {
            target.view = new HystrixInstanceView(options.service, target.instance, `hystrix-${randomUUID()}`, target.lastStates);
          },
          onCommand: (command, receivedAt) => target.view?.accept(command, receivedAt),
          onDisconnected: (error) => {
            this.flush(target);
            target.view = null;
            options.logger.warn({ source: options.sourceId, target: url, error }, 'hystrix stream unavailable');
            options.sink.unreachable(options.sourceId, `${url}: ${error}`, target.instance);
          },
        }),
      };
      return target;
    });
  }

  start(): void {
    for (const target of this.targets) target.stream.start();
    this.timer = setInterval(() => {
      for (const target of this.targets) this.flush(target);
    }, this.options.flushIntervalMs ?? 1_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all(this.targets.map((target) => target.stream.stop()));
    for (const target of this.targets) this.flush(target);
  }

  private flush(target: Target): void {
    const view = target.view;
    if (!view?.hasNews() || target.flushing) return;
    target.flushing = true;
    const snapshot = view.snapshot((this.options.now ?? Date.now)());
    this.options.sink
      .snapshot(this.options.sourceId, snapshot)
      .catch((error: unknown) => this.options.logger.warn({ err: error, source: this.options.sourceId, target: target.url }, 'hystrix snapshot not delivered'))
      .finally(() => {
        target.flushing = false;
      });
  }
}
