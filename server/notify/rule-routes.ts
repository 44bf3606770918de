import { ZCreateRule, ZUpdateRule } from '../../lib/notify/rules.js';
import { actorOf, requireRole } from '../auth/request-access';
import { recordAudit } from '../control/audit-log';
import { HttpError } from '../http/http-error';
import { readValidBody } from '../http/read-json-body';
import type { Router } from '../http/router';
import { sendJson } from '../http/send-json';
import type { Prisma } from '../store/prisma';
import type { NotificationSettings } from './notification-settings';
import { RULE_SELECT, toRuleView } from './notify-views';
import { uuidParam } from '../http/route-params';

const BODY_LIMIT = 16 * 1024;
const notFound = (id: string) => new HttpError(404, 'not_found', `No notification rule with id ${id}`);

/** Notification rules: everyone reads them (a snooze names one), admins change them, audited. */
export function addRuleRoutes(router: Router, { prisma, settings, now }: { prisma: Prisma; settings: NotificationSettings; now: () => number }): void {
  router.add('GET', '/api/v1/notifications/rules', async ({ req, res }) => {
    requireRole(req, 'viewer');
    const rows = await prisma.notificationRule.findMany({ select: RULE_SELECT, orderBy: { createdAt: 'asc' } });
    sendJson(res, 200, { rules: rows.map(toRuleView) });
  });

  router.add('POST', '/api/v1/notifications/rules', async ({ req, res }) => {
    const access = requireRole(req, 'admin');
    const input = await readValidBody(req, ZCreateRule, BODY_LIMIT);
    const at = new Date(now());
    const row = await prisma.$transaction(async (tx) => {
      const created = await tx.notificationRule.create({ data: { ...input, createdAt: at, updatedAt: at }, select: RULE_SELECT });
      await recordAudit(tx, {
        action: 'notification.rule_created',
        actor: actorOf(access),
        target: { type: 'notification_rule', id: created.id },
        details: { name: input.name, condition: input.condition, services: input.services, enabled: input.enabled },
      });
      return created;
    });
    await settings.reload();
    sendJson(res, 201, { rule: toRuleView(row) });
  });

  router.add('PATCH', '/api/v1/notifications/rules/:id', async ({ req, res, params }) => {
    const access = requireRole(req, 'admin');
    const input = await readValidBody(req, ZUpdateRule, BODY_LIMIT);
    const id = uuidParam(params, 'id', 'notification rule');
    const row = await prisma.$transaction(async (tx) => {
      const existing = await tx.notificationRule.findUnique({ where: { id }, select: { id: true } });
      if (!existing) throw notFound(id);
      const updated = await tx.notificationRule.update({ where: { id }, data: { ...input, updatedAt: new Date(now()) }, select: RULE_SELECT });
      await recordAudit(tx, { action: 'notification.rule_updated', actor: actorOf(access), target: { type: 'notification_rule', id }, details: { name: updated.name, ...input } });
      return updated;
    });
    await settings.reload();
    sendJson(res, 200, { rule: toRuleView(row) });
  });

  router.add('DELETE', '/api/v1/notifications/rules/:id', async ({ req, res, params }) => {
    const access = requireRole(req, 'admin');
    const id = uuidParam(params, 'id', 'notification rule');
    await prisma.$transaction(async (tx) => {
      const existing = await tx.notificationRule.findUnique({ where: { id }, select: { name: true } });
      if (!existing) throw notFound(id);
      await tx.notificationRule.delete({ where: { id }, select: { id: true } });
      await recordAudit(tx, { action: 'notification.rule_deleted', actor: actorOf(access), target: { type: 'notification_rule', id }, details: { name: existing.name } });
    });
    await settings.reload();
    sendJson(res, 200, { deleted: true });
  });
}
