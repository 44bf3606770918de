import type { z } from 'zod';
import type { TAck } from '../../lib/protocol/ack.js';
import type { Logger } from '../logger';
import { ackErrorOf, invalidPayload } from './agent-error';
import { checkProtocolVersion } from './check-protocol-version';

/** The answer to a message whose handler returns nothing: one shared object, not one per report. */
export const OK_WITHOUT_DATA: TAck<null> = Object.freeze({ ok: true, data: null });

/** Turns a message's payload into what its handler takes, or throws the AgentError the reporter gets back. */
export type PayloadDecoder<Payload> = (payload: unknown) => Payload;

/** A decoder from a shared zod schema: the protocol version first, then the schema. */
export function validated<Payload>(schema: z.ZodType<Payload>, what: string): PayloadDecoder<Payload> {
  return (payload) => {
    checkProtocolVersion(payload);
    const parsed = schema.safeParse(payload);
    if (!parsed.success) throw invalidPayload(parsed.error, what);
    return parsed.data;
  };
}

/**
 * Wraps an agent event handler: decodes (and so validates) the payload, runs
 * the handler and answers `{ ok: true, data }` or `{ ok: false, error }`. No
 * handler repeats its own try/catch, and no internal error message reaches a
 * reporter.
 */
export function acknowledged<Payload, Result>(
  decode: PayloadDecoder<Payload>,
  what: string,
  logger: Logger,
  handler: (payload: Payload) => Promise<Result>,
  onRejected?: (code: string) => void,
): (payload: unknown, ack?: unknown) => void {
  return (payload, ack) => {
    const reply = typeof ack === 'function' ? (ack as (answer: TAck<Result>) => void) : () => {};
    const run = async (): Promise<TAck<Result>> => {
      const data = await handler(decode(payload));
      return data === null ? (OK_WITHOUT_DATA as TAck<Result>) : { ok: true, data };
    };
    run().then(reply, (error: unknown) => {
      const answer = ackErrorOf(error, logger, what);
      if (answer.code !== 'internal') onRejected?.(answer.code);
      reply({ ok: false, error: answer });
    });
  };
}
