import { ZCreateApiKey, type TApiKeyListItem, type TCreatedApiKey } from '../../lib/auth/api-keys.js';
import { HttpError } from '../http/http-error';
import { readValidBody } from '../http/read-json-body';
import type { Router } from '../http/router';
import { sendJson } from '../http/send-json';
import type { ApiKeys } from './api-keys';
import { actorOf, requireRole } from './request-access';

const BODY_LIMIT = 4 * 1024;

/** Admin only: reporter keys, each for one service; the key is in the create answer and nowhere else. */
export function addApiKeyRoutes(router: Router, { keys }: { keys: ApiKeys }): void {
  router.add('GET', '/api/v1/api-keys', async ({ req, res }) => {
    requireRole(req, 'admin');
    const list: TApiKeyListItem[] = (await keys.list()).map((key) => ({
      ...key,
      createdAt: key.createdAt.toISOString(),
      lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
      revokedAt: key.revokedAt?.toISOString() ?? null,
    }));
    sendJson(res, 200, { keys: list });
  });

  router.add('POST', '/api/v1/api-keys', async ({ req, res }) => {
    const access = requireRole(req, 'admin');
    const input = await readValidBody(req, ZCreateApiKey, BODY_LIMIT);
    const created = await keys.create(input.service, { description: input.description, actor: actorOf(access) });
    const body: TCreatedApiKey = { id: created.id, key: created.key, prefix: created.prefix, serviceName: input.service };
    sendJson(res, 201, body);
  });

  router.add('DELETE', '/api/v1/api-keys/:id', async ({ req, res, params }) => {
    const access = requireRole(req, 'admin');
    if (!(await keys.revoke(params.id!, actorOf(access)))) throw new HttpError(404, 'not_found', 'No such key, or it is already revoked');
    sendJson(res, 200, { ok: true });
  });
}
