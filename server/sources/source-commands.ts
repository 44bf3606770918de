import type { TBreakerState } from '../../lib/protocol/breaker-state.js';
import type { TCommand, TCommandFailureReason } from '../../lib/protocol/command.js';
import { PROTOCOL_VERSION } from '../../lib/protocol/version.js';
import type { HttpCommands } from '../control/http-commands';
import type { WaitEnd } from '../control/http-mailboxes';
import type { Ingest } from '../ingest/ingest';
import type { SourceSinkRuntime } from './source-sink';

export interface SourceCommandOutcome {
  commandId: string;
  breaker: string;
  status: 'applied' | 'failed';
  state: TBreakerState | null;
  reason: TCommandFailureReason | null;
  duplicate: boolean;
}

/**
 * Operator commands for source instances the panel can steer (a Resilience4j
 * actuator): they wait in the instance's HTTP mailbox like an HTTP
 * reporter's, the adapter takes them, applies them through the target's
 * write operation, and its answer becomes the delivery's acknowledgement.
 */
export function createSourceCommands({ sink, commands, ingest, now }: { sink: SourceSinkRuntime; commands: HttpCommands; ingest: Ingest; now: () => number }) {
  return {
    /** The commands waiting for this instance (marked `sent` as they are handed out). */
    async take(sourceId: string, instance: string): Promise<TCommand[]> {
      const known = sink.instanceOf(sourceId, instance);
      return known ? commands.take(known.instanceId) : [];
    },

    /** Waits until a command arrives for the instance, `waitMs` passes, or `cancel` is called. */
    wait(sourceId: string, instance: string, waitMs: number): { done: Promise<WaitEnd>; cancel(): void } {
      const known = sink.instanceOf(sourceId, instance);
      const waiting = known ? commands.wait(known.instanceId, known.reporter.keyId, waitMs) : 'busy';
      return waiting === 'busy' ? { done: Promise.resolve('timeout'), cancel: () => {} } : waiting;
    },

    async acknowledge(sourceId: string, instance: string, outcome: SourceCommandOutcome): Promise<void> {
      const known = sink.instanceOf(sourceId, instance);
      if (!known) return;
      await ingest.commandAck(known.reporter, { protocolVersion: PROTOCOL_VERSION, service: known.reporter.serviceName, instanceId: instance, runId: known.runId, ...outcome, at: now() });
    },
  };
}

export type SourceCommands = ReturnType<typeof createSourceCommands>;
