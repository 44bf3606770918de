import { ZAuditQuery } from '../../lib/control/audit.js';
import { ZActionRequest } from '../../lib/control/operator-action.js';
import { actorOf, requireRole } from '../auth/request-access';
import { HttpError, validationError } from '../http/http-error';
import { readValidBody } from '../http/read-json-body';
import type { Router } from '../http/router';
import { sendJson } from '../http/send-json';
import type { Prisma } from '../store/prisma';
import type { Queryable } from '../store/queryable';
import { queryAudit } from './audit-query';
import type { CommandDelivery } from './command-delivery';
import type { createIssueAction } from './issue-action';
import { OVERRIDE_SELECT, toOverrideView } from './override-view';
import { uuidParam } from '../http/route-params';

const ACTION_BODY_LIMIT = 64 * 1024;

/** Operator actions (operators and admins), the control state of a breaker and the audit trail (any signed-in user). */
export function addControlRoutes(
  router: Router,
  { issueAction, delivery, prisma, db }: { issueAction: ReturnType<typeof createIssueAction>; delivery: CommandDelivery; prisma: Prisma; db: Queryable },
): void {
  router.add('POST', '/api/v1/breakers/:id/actions', async ({ req, res, params }) => {
    const access = requireRole(req, 'operator');
    const request = await readValidBody(req, ZActionRequest, ACTION_BODY_LIMIT);
    const key = req.headers['idempotency-key'];
    if (key !== undefined && (typeof key !== 'string' || key.length === 0 || key.length > 200)) throw new HttpError(400, 'invalid_request', 'Idempotency-Key must be 1 to 200 characters');
    const { user } = access.session;
    const result = await issueAction(params.id!, request, { actor: actorOf(access), email: user.email, userId: user.id }, key ?? null);
    sendJson(res, result.repeated ? 200 : 201, result);
  });

  router.add('GET', '/api/v1/breakers/:id/control', async ({ req, res, params }) => {
    requireRole(req, 'viewer');
    const breakerId = uuidParam(params, 'id', 'breaker');
    const [override, last] = await Promise.all([
      prisma.override.findFirst({ where: { breakerId: breakerId, endedAt: null }, select: OVERRIDE_SELECT }),
      prisma.command.findFirst({
        where: { breakerId: breakerId },
        orderBy: { createdAt: 'desc' },
        select: { id: true, action: true, reason: true, createdAt: true, createdBy: { select: { email: true } } },
      }),
    ]);
    sendJson(res, 200, {
      override: override ? toOverrideView(override) : null,
      lastCommand: last
        ? { id: last.id, action: last.action, reason: last.reason, by: last.createdBy?.email ?? null, at: last.createdAt.getTime(), deliveries: await delivery.deliveries(last.id) }
        : null,
    });
  });

  router.add('GET', '/api/v1/audit', async ({ req, res, url }) => {
    requireRole(req, 'viewer');
    const parsed = ZAuditQuery.safeParse(Object.fromEntries(url.searchParams));
    if (!parsed.success) throw validationError(parsed.error, 'query');
    sendJson(res, 200, { entries: await queryAudit(db, parsed.data) });
  });
}
