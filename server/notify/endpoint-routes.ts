import { randomBytes } from 'node:crypto';
import { ZDeliveryQuery } from '../../lib/notify/deliveries.js';
import { ZCreateEndpoint, ZUpdateEndpoint, type TCreatedEndpoint } from '../../lib/notify/endpoints.js';
import { actorOf, requireRole } from '../auth/request-access';
import { recordAudit } from '../control/audit-log';
import { HttpError, validationError } from '../http/http-error';
import { readValidBody } from '../http/read-json-body';
import type { Router } from '../http/router';
import { sendJson } from '../http/send-json';
import type { Prisma } from '../store/prisma';
import type { NotificationSettings } from './notification-settings';
import { DELIVERY_SELECT, ENDPOINT_SELECT, toDeliveryView, toEndpointView } from './notify-views';
import { uuidParam } from '../http/route-params';

const BODY_LIMIT = 16 * 1024;
const notFound = (id: string) => new HttpError(404, 'not_found', `No notification endpoint with id ${id}`);

/**
 * Webhook endpoints and their delivery log, admins only: an endpoint's URL
 * is often a secret in itself (a Slack webhook URL is). Every change is
 * audited in its own transaction. The audit keeps the URL's origin only.
 */
export function addEndpointRoutes(router: Router, { prisma, settings, now }: { prisma: Prisma; settings: NotificationSettings; now: () => number }): void {
  router.add('GET', '/api/v1/notifications/endpoints', async ({ req, res }) => {
    requireRole(req, 'admin');
    const rows = await prisma.notificationEndpoint.findMany({ select: ENDPOINT_SELECT, orderBy: { createdAt: 'asc' } });
    sendJson(res, 200, { endpoints: rows.map(toEndpointView) });
  });

  router.add('POST', '/api/v1/notifications/endpoints', async ({ req, res }) => {
    const access = requireRole(req, 'admin');
    const input = await readValidBody(req, ZCreateEndpoint, BODY_LIMIT);
    const secret = input.secret ?? `whsec_${randomBytes(24).toString('base64url')}`;
    const at = new Date(now());
    const row = await prisma.$transaction(async (tx) => {
      const created = await tx.notificationEndpoint.create({ data: { ...input, secret, createdAt: at, updatedAt: at }, select: ENDPOINT_SELECT });
      await recordAudit(tx, {
        action: 'notification.endpoint_created',
        actor: actorOf(access),
        target: { type: 'notification_endpoint', id: created.id },
        details: { name: created.name, origin: new URL(created.url).origin, format: created.format, events: created.events, services: created.services },
      });
      return created;
    });
    await settings.reload();
    const body: TCreatedEndpoint = { endpoint: toEndpointView(row), secret };
    sendJson(res, 201, body);
  });

  router.add('PATCH', '/api/v1/notifications/endpoints/:id', async ({ req, res, params }) => {
    const access = requireRole(req, 'admin');
    const input = await readValidBody(req, ZUpdateEndpoint, BODY_LIMIT);
    const id = uuidParam(params, 'id', 'notification endpoint');
    const row = await prisma.$transaction(async (tx) => {
      const existing = await tx.notificationEndpoint.findUnique({ where: { id }, select: { id: true } });
      if (!existing) throw notFound(id);
      const updated = await tx.notificationEndpoint.update({ where: { id }, data: { ...input, updatedAt: new Date(now()) }, select: ENDPOINT_SELECT });
      const { secret, url, ...rest } = input;
      await recordAudit(tx, {
        action: 'notification.endpoint_updated',
        actor: actorOf(access),
        target: { type: 'notification_endpoint', id },
        details: { name: updated.name, changed: Object.keys(input), ...rest, ...(url ? { origin: new URL(url).origin } : {}), secretReplaced: secret !== undefined },
      });
      return updated;
    });
    await settings.reload();
    sendJson(res, 200, { endpoint: toEndpointView(row) });
  });

  router.add('DELETE', '/api/v1/notifications/endpoints/:id', async ({ req, res, params }) => {
    const access = requireRole(req, 'admin');
    const id = uuidParam(params, 'id', 'notification endpoint');
    await prisma.$transaction(async (tx) => {
      const existing = await tx.notificationEndpoint.findUnique({ where: { id }, select: { id: true, name: true } });
      if (!existing) throw notFound(id);
      await tx.notificationEndpoint.delete({ where: { id }, select: { id: true } });
      await recordAudit(tx, { action: 'notification.endpoint_deleted', actor: actorOf(access), target: { type: 'notification_endpoint', id }, details: { name: existing.name } });
    });
    await settings.reload();
    sendJson(res, 200, { deleted: true });
  });

  router.add('GET', '/api/v1/notifications/deliveries', async ({ req, res, url }) => {
    requireRole(req, 'admin');
    const query = ZDeliveryQuery.safeParse(Object.fromEntries(url.searchParams));
    if (!query.success) throw validationError(query.error, 'query');
    const { endpoint, status, limit } = query.data;
    const rows = await prisma.notificationDelivery.findMany({
      where: { ...(endpoint ? { endpointId: endpoint } : {}), ...(status ? { status } : {}) },
      orderBy: { createdAt: 'desc' },
      take: limit,
      select: DELIVERY_SELECT,
    });
    sendJson(res, 200, { deliveries: rows.map(toDeliveryView) });
  });
}
