import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger';
import { isDatabaseUnavailable } from '../store/database-errors';
import { sendDatabaseUnavailable } from './database-unavailable';
import { HttpError, sendError } from './http-error';
import type { Router } from './router';

export type ApiHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

/**
 * The JSON API under /api, served by the Node server itself so that it shares
 * the live in-memory state. Errors become `{ error: { code, message } }`; an
 * unexpected one is logged and never shown to the client. While the database
 * is away the answer is 503 with Retry-After, not 500.
 */
export function createApiHandler(router: Router, logger: Logger): ApiHandler {
  return async (req, res, url) => {
    try {
      const handled = await router.handle(req, res, url);
      if (!handled) throw new HttpError(404, 'not_found', `no API route ${url.pathname}`);
    } catch (error) {
      if (error instanceof HttpError) return sendError(res, error);
      if (isDatabaseUnavailable(error) && !res.headersSent) {
        logger.warn({ err: error, path: url.pathname }, 'API request failed: the database is unavailable');
        return sendDatabaseUnavailable(res);
      }
      logger.error({ err: error, path: url.pathname }, 'API request failed');
      if (!res.headersSent) sendError(res, new HttpError(500, 'internal', 'internal error'));
      else res.destroy();
    }
  };
}
