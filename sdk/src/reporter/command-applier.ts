import { ZCommand, type TCommand, type TCommandAck, type TCommandFailureReason, type TInstanceRef, type TLabels } from '../../../lib/protocol/index.js';
import type { ReportableBreaker } from './reportable-breaker.js';

/** A command acknowledgement without the sender identity the reporter adds. */
export type CommandOutcome = Omit<TCommandAck, keyof TInstanceRef>;

/** What the applier needs to know about this instance. */
export interface CommandApplierOptions {
  instanceId: string;
  labels: TLabels;
  findBreaker(name: string): ReportableBreaker | undefined;
  now(): number;
  /** How many command ids to remember for deduplication. */
  historySize?: number;
}

/**
 * Applies operator commands to breakers, each command id at most once: the
 * server re-sends active overrides on every registration, and a replayed
 * `trip` must not undo a later `release`. A repeat is acknowledged again with
 * the outcome of its first receipt.
 */
export function createCommandApplier(options: CommandApplierOptions) {
  const historySize = options.historySize ?? 1_000;
  const history = new Map<string, CommandOutcome>();

  function remember(outcome: CommandOutcome): CommandOutcome {
    history.set(outcome.commandId, outcome);
    if (history.size > historySize) {
      const oldest = history.keys().next();
      if (!oldest.done) history.delete(oldest.value);
    }
    return outcome;
  }

  function inScope(command: TCommand): boolean {
    const scope = command.scope;
    switch (scope.kind) {
      case 'service':
        return true;
      case 'instance':
        return scope.instanceId === options.instanceId;
      case 'labels':
        return Object.entries(scope.labels).every(([key, value]) => options.labels[key] === value);
      default: {
        const unknown: never = scope;
        return unknown;
      }
    }
  }

  function failed(command: Pick<TCommand, 'id' | 'breaker'>, reason: TCommandFailureReason, breaker?: ReportableBreaker): CommandOutcome {
    return { commandId: command.id, breaker: command.breaker, status: 'failed', state: breaker?.state ?? null, reason, duplicate: false, at: options.now() };
  }

  function apply(command: TCommand, breaker: ReportableBreaker): void {
    const override = { commandId: command.id, expiresAt: command.expiresAt };
    switch (command.action) {
      case 'trip':
        return breaker.forceOpen(override);
      case 'force_closed':
        return breaker.forceClosed(override);
      case 'reset':
        return breaker.reset({ commandId: command.id });
      case 'release':
        return breaker.release({ commandId: command.id });
      default: {
        const unknown: never = command.action;
        throw new TypeError(`Unknown action ${String(unknown)}`);
      }
    }
  }

  return {
    /** Handles one received `command:apply`; returns the acknowledgement to send, or null when nothing identifies the command. */
    handle(raw: unknown): CommandOutcome | null {
      const parsed = ZCommand.safeParse(raw);
      if (!parsed.success) {
        const candidate = raw as Partial<Record<'id' | 'breaker', unknown>> | null;
        if (typeof candidate?.id !== 'string' || typeof candidate.breaker !== 'string' || candidate.id.length === 0) return null;
        return failed({ id: candidate.id, breaker: candidate.breaker }, 'invalid_command');
      }
      const command = parsed.data;
      const seen = history.get(command.id);
      if (seen) return { ...seen, duplicate: true, at: options.now() };
      if (!inScope(command)) return remember(failed(command, 'out_of_scope'));
      const breaker = options.findBreaker(command.breaker);
      // Not remembered: the breaker may be added later and the command re-sent.
      if (!breaker) return failed(command, 'unknown_breaker');
      const overriding = command.action === 'trip' || command.action === 'force_closed';
      if (overriding && command.expiresAt !== null && command.expiresAt <= options.now()) return remember(failed(command, 'expired', breaker));
      try {
        apply(command, breaker);
      } catch {
        return remember(failed(command, 'apply_failed', breaker));
      }
      return remember({ commandId: command.id, breaker: command.breaker, status: 'applied', state: breaker.state, reason: null, duplicate: false, at: options.now() });
    },
  };
}
