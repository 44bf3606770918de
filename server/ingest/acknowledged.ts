import type { z } from 'zod';
import type { TAck } from '../../lib/protocol/ack.js';
import type { Logger } from '../logger';
import { AgentError, invalidPayload } from './agent-error';
import { checkProtocolVersion } from './check-protocol-version';

/**
 * Wraps an agent event handler: checks the protocol version, validates the
 * payload with its shared schema, runs the handler and answers
 * `{ ok: true, data }` or `{ ok: false, error }`. No handler repeats its own
 * try/catch, and no internal error message reaches a reporter.
 */
export function acknowledged<Schema extends z.ZodType, Result>(
  schema: Schema,
  what: string,
  logger: Logger,
  handler: (payload: z.infer<Schema>) => Promise<Result>,
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
