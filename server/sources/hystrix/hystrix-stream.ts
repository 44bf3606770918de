import { retryBackoff } from '../../../lib/protocol/retry-backoff.js';
import { describeFetchFailure } from '../target-request';
import { readHystrixCommand, type HystrixCommand } from './hystrix-command';
import { SseReader } from './sse-reader';

export interface HystrixStreamOptions {
  url: string;
  /** An `Authorization` header value built from the source's credentials, if any. */
  authorization?: string | null;
  /** No byte (data or `ping:`) for this long means the stream is dead: reconnect. */
  idleTimeoutMs?: number;
  connectTimeoutMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** A new connection answered: a new run of the watched process may have begun. */
  onConnected(): void;
  onCommand(command: HystrixCommand, receivedAt: number): void;
  /** The connection failed, was refused or ended; the next attempt follows after backoff. */
  onDisconnected(error: string): void;
  now?: () => number;
}

class StreamFailure extends Error {}

/**
 * One long-lived GET of a Hystrix metrics stream (`text/event-stream`,
 * COMPAT.md §5.1), held until stopped: reconnects after any failure with
 * exponential backoff and jitter (retry-backoff.ts), reset once a connection
 * delivers a command. A stream that answers but stays silent past the idle
 * timeout (Hystrix pings every few seconds) is dropped and reconnected.
 */
export class HystrixStream {
  private readonly abort = new AbortController();
  private running: Promise<void> | null = null;
  private attempt = 0;

  constructor(private readonly options: HystrixStreamOptions) {}

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  private async loop(): Promise<void> {
    const { backoffBaseMs = 1_000, backoffMaxMs = 60_000 } = this.options;
    while (!this.abort.signal.aborted) {
      try {
        await this.connectOnce();
        if (!this.abort.signal.aborted) this.options.onDisconnected('the stream ended');
      } catch (error) {
        if (this.abort.signal.aborted) break;
        this.options.onDisconnected(error instanceof StreamFailure ? error.message : describe(error));
      }
      if (this.abort.signal.aborted) break;
      await sleep(retryBackoff(this.attempt, backoffBaseMs, backoffMaxMs), this.abort.signal);
      this.attempt += 1;
    }
  }

  private async connectOnce(): Promise<void> {
    const { url, authorization, idleTimeoutMs = 15_000, connectTimeoutMs = 10_000, now = Date.now } = this.options;
    const connection = new AbortController();
    const onStop = (): void => connection.abort();
    this.abort.signal.addEventListener('abort', onStop);
    let timer = setTimeout(() => connection.abort(new StreamFailure(`no answer within ${connectTimeoutMs} ms`)), connectTimeoutMs);
    const quiet = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => connection.abort(new StreamFailure(`nothing received for ${idleTimeoutMs} ms`)), idleTimeoutMs);
    };
    try {
      const headers: Record<string, string> = { accept: 'text/event-stream' };
      if (authorization) headers.authorization = authorization;
      const response = await fetch(url, { headers, signal: connection.signal, redirect: 'error' });
      if (response.status !== 200) {
        const body = (await response.text().catch(() => '')).slice(0, 200).trim();
        throw new StreamFailure(`HTTP ${response.status}${body ? `: ${body}` : ''}`);
      }
      const type = response.headers.get('content-type') ?? '';
      if (!/^text\/event-stream\b/i.test(type)) {
        await response.body?.cancel();
        throw new StreamFailure(`answered ${type || 'no content type'}, not text/event-stream`);
      }
      if (!response.body) throw new StreamFailure('answered without a body');
      this.options.onConnected();
      quiet();
      const sse = new SseReader();
      const decoder = new TextDecoder();
      const body = response.body.getReader();
      for (let read = await body.read(); !read.done; read = await body.read()) {
        quiet();
        for (const data of sse.push(decoder.decode(read.value, { stream: true }))) {
          const command = readHystrixCommand(data);
          if (!command) continue; // thread pools, collapsers and garbage are not breakers
          this.attempt = 0;
          this.options.onCommand(command, now());
        }
      }
    } catch (error) {
      const reason: unknown = connection.signal.reason;
      if (reason instanceof StreamFailure) throw reason;
      throw error;
    } finally {
      clearTimeout(timer);
      this.abort.signal.removeEventListener('abort', onStop);
      connection.abort();
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? describeFetchFailure(error) : String(error);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
