import { ZCreateSnooze } from '../../lib/notify/snoozes.js';
import type { Aggregate } from '../aggregate/aggregate';
import { actorOf, requireRole } from '../auth/request-access';
import { recordAudit } from '../control/audit-log';
import { HttpError } from '../http/http-error';
import { readValidBody } from '../http/read-json-body';
import type { Router } from '../http/router';
import { sendJson } from '../http/send-json';
import type { Prisma } from '../store/prisma';
import type { NotificationSettings } from './notification-settings';
import { SNOOZE_SELECT, toSnoozeView } from './notify-views';
import { uuidParam } from '../http/route-params';

const BODY_LIMIT = 8 * 1024;

/**
 * Snoozes: every signed-in user sees who silenced what until when; the
 * on-call (operators and admins) set and lift them, audited with the reason.
 */
export function addSnoozeRoutes(router: Router, { prisma, aggregate, settings, now }: { prisma: Prisma; aggregate: Aggregate; settings: NotificationSettings; now: () => number }): void {
  router.add('GET', '/api/v1/notifications/snoozes', async ({ req, res }) => {
    requireRole(req, 'viewer');
    const rows = await prisma.notificationSnooze.findMany({ where: { endedAt: null, until: { gt: new Date(now()) } }, select: SNOOZE_SELECT, orderBy: { until: 'asc' } });
    sendJson(res, 200, { snoozes: rows.map(toSnoozeView) });
  });

  router.add('POST', '/api/v1/notifications/snoozes', async ({ req, res }) => {
    const access = requireRole(req, 'operator');
    const input = await readValidBody(req, ZCreateSnooze, BODY_LIMIT);
    const { target } = input;
    let label: string;
    if (target.kind === 'rule') {
      const rule = await prisma.notificationRule.findUnique({ where: { id: target.ruleId }, select: { name: true } });
      if (!rule) throw new HttpError(404, 'not_found', `No notification rule with id ${target.ruleId}`);
      label = `rule “${rule.name}”`;
    } else {
      const summary = aggregate.summary(target.breakerId);
      if (!summary) throw new HttpError(404, 'not_found', `No breaker with id ${target.breakerId}`);
      label = `${summary.service} / ${summary.name}`;
    }
    const at = now();
    const until = new Date(at + input.durationSeconds * 1000);
    const { user } = access.session;
    const row = await prisma.$transaction(async (tx) => {
      const created = await tx.notificationSnooze.create({
        data: {
          ruleId: target.kind === 'rule' ? target.ruleId : null,
          breakerId: target.kind === 'breaker' ? target.breakerId : null,
          label,
          until,
          reason: input.reason ?? null,
          createdById: user.id,
          createdByEmail: user.email,
          createdAt: new Date(at),
        },
        select: SNOOZE_SELECT,
      });
      await recordAudit(tx, {
        action: 'notification.snoozed',
        actor: actorOf(access),
        target: { type: 'notification_snooze', id: created.id },
        breakerId: target.kind === 'breaker' ? target.breakerId : null,
        reason: input.reason ?? null,
        details: { label, until: until.toISOString(), ruleId: target.kind === 'rule' ? target.ruleId : null },
      });
      return created;
    });
    await settings.reload();
    sendJson(res, 201, { snooze: toSnoozeView(row) });
  });

  router.add('DELETE', '/api/v1/notifications/snoozes/:id', async ({ req, res, params }) => {
    const access = requireRole(req, 'operator');
    const id = uuidParam(params, 'id', 'snooze in force');
    const missing = new HttpError(404, 'not_found', `No snooze in force with id ${id}`);
    const at = new Date(now());
    await prisma.$transaction(async (tx) => {
      const ended = await tx.notificationSnooze.updateMany({ where: { id, endedAt: null, until: { gt: at } }, data: { endedAt: at, endedByEmail: access.session.user.email } });
      if (ended.count === 0) throw missing;
      await recordAudit(tx, { action: 'notification.snooze_ended', actor: actorOf(access), target: { type: 'notification_snooze', id } });
    });
    await settings.reload();
    sendJson(res, 200, { ended: true });
  });
}
