import type { Prisma } from '../store/prisma';
import { checkHealth } from './health';
import type { Router } from './router';
import { sendJson } from './send-json';

export function addHealthRoute(router: Router, prisma: Prisma, version: string): void {
  router.add('GET', '/api/health', async ({ res }) => {
    const { status, body } = await checkHealth(prisma, version);
    sendJson(res, status, body);
  });
}
