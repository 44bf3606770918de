import type { ServerResponse } from 'node:http';
import type { z } from 'zod';
import { sendJson } from './send-json';

/** An error meant for the client: its status, a stable code and a message safe to show. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function sendError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.status, { error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } });
}

/** A 400 that names every offending field by its path, e.g. `reports.0.breakers.2.state`. */
export function validationError(error: z.ZodError, what = 'request body'): HttpError {
  const issues = error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
  const first = issues[0];
  const summary = first ? `${first.path || what}: ${first.message}` : 'invalid';
  return new HttpError(400, 'invalid_request', `Invalid ${what}: ${summary}`, { issues });
}
