import type { ServerResponse } from 'node:http';
import { DATABASE_RETRY_AFTER_SECONDS } from '../store/database-errors';
import { HttpError, sendError } from './http-error';

/** Answers 503 with Retry-After: the database is away for now, the same request will work later. */
export function sendDatabaseUnavailable(res: ServerResponse): void {
  res.setHeader('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
  sendError(res, new HttpError(503, 'unavailable', 'The database is unavailable; retry later'));
}
