import type { TAck } from '../../lib/protocol/ack.js';
import type { Logger } from '../logger';
import { ackErrorOf } from './agent-error';

/** The answer to a message whose handler returns nothing: one shared object, not one per report. */
const OK_WITHOUT_DATA: TAck<null> = Object.freeze({ ok: true, data: null });

const noReply = () => {};

/** A socket event handler that validates its payload and answers `{ ok: true, data }` or `{ ok: false, error }`; no internal error reaches a reporter. */
export function acknowledged<Payload, Result>(
  what: string,
  decode: (payload: unknown) => Payload,
  handler: (payload: Payload) => Promise<Result>,
  { logger, onRejected }: { logger: Logger; onRejected?: ((code: string) => void) | undefined },
): (payload: unknown, ack?: unknown) => void {
  return (payload, ack) => {
    const reply = typeof ack === 'function' ? (ack as (answer: TAck<Result | null>) => void) : noReply;
    const run = async (): Promise<TAck<Result | null>> => {
      const data = await handler(decode(payload));
      return data === undefined || data === null ? OK_WITHOUT_DATA : { ok: true, data };
    };
    run().then(reply, (error: unknown) => {
      const answer = ackErrorOf(error, logger, what);
      if (answer.code !== 'internal') onRejected?.(answer.code);
      reply({ ok: false, error: answer });
    });
  };
}
