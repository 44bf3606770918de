import type { Prisma } from '../store/prisma';
import { checkHealth } from './health';
import type { Router } from './router';
import { DATABASE_RETRY_AFTER_SECONDS } from '../store/database-errors';
import { sendJson } from './send-json';

export function addHealthRoute(router: Router, prisma: Prisma, version: string): void {
  router.add('GET', '/api/health', async ({ res }) => {
    const { status, body } = await checkHealth(prisma, version);
    if (status === 503) res.setHeader('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
    sendJson(res, status, body);
  });
}
