import type { z } from 'zod';
import type { TAck } from '../../lib/protocol/ack.js';
import type { Logger } from '../logger';
import { AgentError, invalidPayload } from './agent-error';
import { checkProtocolVersion } from './check-protocol-version';

/** What acknowledged() validates with: a zod schema, or one with a fast path in front of it (withFastPath). */
export interface PayloadSchema<Payload> {
  safeParse(payload: unknown): { success: true; data: Payload } | { success: false; error: z.ZodError };
}

/**
 * A schema that first asks a cheap check, which may only answer true for
 * payloads the schema accepts unchanged (see report-shape.ts), and
 * lets the schema decide, and word the error, for everything else.
 */
export function withFastPath<Payload>(schema: PayloadSchema<Payload>, accepts: (payload: unknown) => payload is Payload): PayloadSchema<Payload> {
  return { safeParse: (payload) => (accepts(payload) ? { success: true, data: payload } : schema.safeParse(payload)) };
}

/**
 * Wraps an agent event handler: checks the protocol version, validates the
 * payload with its shared schema, runs the handler and answers
 * `{ ok: true, data }` or `{ ok: false, error }`. No handler repeats its own
 * try/catch, and no internal error message reaches a reporter.
 */
export function acknowledged<Payload, Result>(
  schema: PayloadSchema<Payload>,
  what: string,
  logger: Logger,
  handler: (payload: Payload) => Promise<Result>,
  onRejected?: (code: string) => void,
): (payload: unknown, ack?: unknown) => void {
  return (payload, ack) => {
    const reply = typeof ack === 'function' ? (ack as (answer: TAck<Result>) => void) : () => {};
    const run = async (): Promise<TAck<Result>> => {
      checkProtocolVersion(payload);
      const parsed = schema.safeParse(payload);
      if (!parsed.success) throw invalidPayload(parsed.error, what);
      return { ok: true, data: await handler(parsed.data) };
    };
    run().then(reply, (error: unknown) => {
      if (error instanceof AgentError) {
        onRejected?.(error.code);
        return reply({ ok: false, error: error.toAck() });
      }
      logger.error({ err: error, event: what }, 'agent message failed');
      reply({ ok: false, error: { code: 'internal', message: 'internal error' } });
    });
  };
}
