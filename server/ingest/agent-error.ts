import type { z } from 'zod';
import type { TAckError, TAgentErrorCode } from '../../lib/protocol/ack.js';
import type { Logger } from '../logger';
import { isDatabaseUnavailable } from '../store/database-errors';

/** An error for a reporter: a protocol error code, a message safe to show, and the offending field. */
export class AgentError extends Error {
  override name = 'AgentError';
  constructor(
    readonly code: TAgentErrorCode,
    message: string,
    readonly path?: Array<string | number>,
  ) {
    super(message);
  }

  toAck(): TAckError {
    return { code: this.code, message: this.message, ...(this.path ? { path: this.path } : {}) };
  }
}

/** A payload parsed with its shared zod schema, or the invalid_payload error naming the first failing field. */
export function parsePayload<T>(schema: z.ZodType<T>, payload: unknown, what: string): T {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = (issue?.path ?? []).map((key) => (typeof key === 'number' ? key : String(key)));
  throw new AgentError('invalid_payload', `Invalid ${what}: ${path.length ? path.join('.') : what}: ${issue?.message ?? 'invalid'}`, path);
}

/** What a reporter hears of a failed message: its AgentError; "unavailable" while the database is away (it retries); else "internal", logged. */
export function ackErrorOf(error: unknown, logger: Logger, what: string): TAckError {
  if (error instanceof AgentError) return error.toAck();
  if (isDatabaseUnavailable(error)) {
    logger.warn({ err: error }, `${what} refused: the database is unavailable`);
    return { code: 'unavailable', message: 'The database is unavailable; retry later' };
  }
  logger.error({ err: error }, `${what} failed`);
  return { code: 'internal', message: 'internal error' };
}
