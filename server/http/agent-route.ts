import type { IncomingMessage } from 'node:http';
import type { TAckError } from '../../lib/protocol/ack.js';
import { HttpError } from './http-error';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from '../store/database-errors';
import type { RouteContext, RouteHandler } from './router';
import { sendJson } from './send-json';
import type { Logger } from '../logger';
import { ackErrorOf, AgentError } from '../ingest/agent-error';
import type { ApiKeyVerifier, ReporterIdentity } from '../auth/reporter-identity';

const STATUS: Record<AgentError['code'], number> = {
  invalid_payload: 400,
  unsupported_protocol_version: 400,
  unauthorized: 401,
  forbidden: 403,
  not_registered: 409,
  payload_too_large: 413,
  unavailable: 503,
  internal: 500,
};

/** The HTTP errors of reading a body, as the protocol's codes (their status stays: 415 stays 415). */
const fromHttpError = (error: HttpError): TAckError => ({
  code: error.code === 'payload_too_large' ? 'payload_too_large' : error.status >= 500 ? 'internal' : 'invalid_payload',
  message: error.message,
});

/**
 * A reporters' HTTP route: answers `{ ok: true, data }` or, exactly like a
 * socket acknowledgement, `{ ok: false, error: { code, message, path? } }`
 * with a protocol error code, so one parser reads both transports. Internal
 * errors are logged and never shown.
 */
export function agentRoute(logger: Logger, what: string, handler: (context: RouteContext) => Promise<unknown>): RouteHandler {
  return async (context) => {
    const { res } = context;
    try {
      const data = await handler(context);
      if (!res.headersSent && !res.destroyed) sendJson(res, 200, { ok: true, data });
    } catch (error) {
      if (res.headersSent || res.destroyed) return;
      const answer = error instanceof HttpError ? fromHttpError(error) : ackErrorOf(error, logger, what);
      const status = error instanceof HttpError ? error.status : STATUS[answer.code];
      // The database away is the reporter's cue to resend later, as over the socket.
      if (status === 503) res.setHeader('retry-after', String(isDatabaseUnavailable(error) ? DATABASE_RETRY_AFTER_SECONDS : 1));
      sendJson(res, status, { ok: false, error: answer });
    }
  };
}

/** The reporter an `Authorization: Bearer <api key>` header names; refuses a missing, unknown or revoked key. */
export async function bearerReporter(req: IncomingMessage, keys: ApiKeyVerifier): Promise<ReporterIdentity> {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!match) throw new AgentError('unauthorized', 'Send the API key as "Authorization: Bearer <key>"');
  const reporter = await keys.verify(match[1]!);
  if (!reporter) throw new AgentError('unauthorized', 'The API key is unknown or revoked');
  return reporter;
}
