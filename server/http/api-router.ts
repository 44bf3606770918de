import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Prisma } from '../store/prisma';
import { checkHealth } from './health';
import { sendJson } from './send-json';

export interface ApiDependencies {
  prisma: Prisma;
  version: string;
}

export type ApiHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

/** The JSON API under /api, served by the Node server itself so it shares the live in-memory state. */
export function createApiRouter({ prisma, version }: ApiDependencies): ApiHandler {
  return async (req, res, url) => {
    if (url.pathname === '/api/health') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: { code: 'method_not_allowed', message: 'use GET' } });
      const { status, body } = await checkHealth(prisma, version);
      return sendJson(res, status, body);
    }
    sendJson(res, 404, { error: { code: 'not_found', message: `no API route ${url.pathname}` } });
  };
}
