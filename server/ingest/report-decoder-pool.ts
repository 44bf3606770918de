import { Worker } from 'node:worker_threads';
import type { TAckError } from '../../lib/protocol/ack.js';
import type { Logger } from '../logger';
import { AgentError } from './agent-error';
import type { PackedReport } from './packed-report';

export interface DecodeRequest {
  id: number;
  /** The packet's JSON: `["report:send", report]`. */
  text: string;
}

export interface DecodeResponse {
  id: number;
  outcome: { report: PackedReport } | { error: TAckError };
}

export type ReportDecoderPool = ReturnType<typeof createReportDecoderPool>;

interface Waiting {
  resolve(report: PackedReport): void;
  reject(error: unknown): void;
}

/**
 * Threads that turn the JSON of `report:send` packets into packed reports,
 * for the reports the scanner does not read (report-scanner.ts: reporters
 * that write another form of JSON). Parsing and validating a report of 50
 * breakers that way takes about 100 µs; on these threads it runs beside the
 * sockets and the aggregate instead of before them. The threads start with
 * the first such report: a fleet of SDK reporters never needs them, and each
 * takes about 20 MB. A thread that dies is replaced, and the reports it held
 * are answered with an internal error (reporters send them again).
 */
export function createReportDecoderPool({ threads, logger }: { threads: number; logger: Logger }) {
  const waiting = new Map<number, Waiting & { worker: Worker }>();
  let nextId = 0;
  let next = 0;
  let closed = false;

  function start(): Worker {
    const worker = new Worker(new URL('./report-decoder-thread.mjs', import.meta.url));
    worker.unref();
    worker.on('message', ({ id, outcome }: DecodeResponse) => {
      const entry = waiting.get(id);
      if (!entry) return;
      waiting.delete(id);
      if ('report' in outcome) entry.resolve(outcome.report);
      else entry.reject(new AgentError(outcome.error.code, outcome.error.message, outcome.error.path));
    });
    worker.on('error', (error) => logger.error({ err: error }, 'a report decoder thread failed'));
    worker.on('exit', () => {
      for (const [id, entry] of waiting) {
        if (entry.worker !== worker) continue;
        waiting.delete(id);
        entry.reject(new Error('the report decoder thread stopped'));
      }
      if (!closed) workers[workers.indexOf(worker)] = start();
    });
    return worker;
  }

  let workers: Worker[] = [];

  return {
    /**
     * Packets sent to the threads whose answers the main thread has not taken
     * yet. Answers that wait for a busy main thread count on purpose: it bounds
     * the reports in flight (each holds its buffers), and on a saturated machine
     * decoding on the main thread costs less CPU in all than the round trip
     * (measured: counting only what the thread had still to decode doubled the
     * buffers held at full load and lowered the closed-loop rate; see
     * docs/performance.md).
     */
    get backlog(): number {
      return waiting.size;
    },
    /** Decodes one packet's JSON; rejects with the AgentError the reporter gets back. */
    decode(text: string): Promise<PackedReport> {
      if (closed) return Promise.reject(new Error('the report decoder threads are closed'));
      if (workers.length === 0) workers = Array.from({ length: threads }, start);
      const worker = workers[next]!;
      next = (next + 1) % workers.length;
      const id = nextId++;
      return new Promise<PackedReport>((resolve, reject) => {
        waiting.set(id, { resolve, reject, worker });
        worker.postMessage({ id, text } satisfies DecodeRequest);
      });
    },
    async close(): Promise<void> {
      closed = true;
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
