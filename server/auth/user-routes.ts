import { ZInviteUser, ZUpdateUser, type TInvitedUser, type TPasswordReset } from '../../lib/auth/users.js';
import { HttpError } from '../http/http-error';
import { readValidBody } from '../http/read-json-body';
import type { Router } from '../http/router';
import { sendJson } from '../http/send-json';
import { actorOf, requireRole } from './request-access';
import type { UserChangeRefusal, Users } from './users';
import { isUuid } from '../../lib/ids';

const BODY_LIMIT = 4 * 1024;

const REFUSALS: Record<UserChangeRefusal, HttpError> = {
  not_found: new HttpError(404, 'not_found', 'No such user'),
  exists: new HttpError(409, 'user_exists', 'A user with this e-mail already exists'),
  last_admin: new HttpError(409, 'last_admin', 'This is the last active admin; make another admin first'),
  self: new HttpError(409, 'self', 'You cannot disable yourself'),
};

const SELF_PASSWORD = new HttpError(409, 'self', 'Change your own password on your account page');

/** Admin only: list, invite, change role, disable, reset a password. */
export function addUserRoutes(router: Router, { users }: { users: Users }): void {
  router.add('GET', '/api/v1/users', async ({ req, res }) => {
    requireRole(req, 'admin');
    sendJson(res, 200, { users: await users.list() });
  });

  router.add('POST', '/api/v1/users', async ({ req, res }) => {
    const access = requireRole(req, 'admin');
    const input = await readValidBody(req, ZInviteUser, BODY_LIMIT);
    const result = await users.invite(input, actorOf(access));
    if (!result.ok) throw REFUSALS[result.reason];
    const body: TInvitedUser = { user: result.user, temporaryPassword: result.password };
    sendJson(res, 201, body);
  });

  router.add('PATCH', '/api/v1/users/:id', async ({ req, res, params }) => {
    const access = requireRole(req, 'admin');
    const input = await readValidBody(req, ZUpdateUser, BODY_LIMIT);
    const id = params.id!;
    if (!isUuid(id)) throw REFUSALS.not_found;
    let result = input.role ? await users.changeRole(id, input.role, actorOf(access)) : null;
    if (result && !result.ok) throw REFUSALS[result.reason];
    if (input.disabled) result = await users.disable(id, actorOf(access));
    if (!result?.ok) throw REFUSALS[result?.reason ?? 'not_found'];
    sendJson(res, 200, { user: result.user });
  });

  router.add('POST', '/api/v1/users/:id/password-reset', async ({ req, res, params }) => {
    const access = requireRole(req, 'admin');
    const id = params.id!;
    if (!isUuid(id)) throw REFUSALS.not_found;
    const result = await users.resetPassword(id, actorOf(access));
    if (!result.ok) throw result.reason === 'self' ? SELF_PASSWORD : REFUSALS[result.reason];
    const body: TPasswordReset = { user: result.user, temporaryPassword: result.password };
    sendJson(res, 200, body);
  });
}
