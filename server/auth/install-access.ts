import type pg from 'pg';
import type { Server } from 'socket.io';
import { DASHBOARD_NAMESPACE } from '../../lib/live/dashboard-events';
import type { Config } from '../config';
import type { Router } from '../http/router';
import type { Logger } from '../logger';
import type { Prisma } from '../store/prisma';
import { createAccessGate } from './access-gate';
import { addApiKeyRoutes } from './api-key-routes';
import { createApiKeys } from './api-keys';
import { addAuthRoutes } from './auth-routes';
import { bootstrapFirstAdmin } from './bootstrap-admin';
import { watchSocketSessions } from './session-watch';
import { createSessions } from './sessions';
import { createSharedSignInLimiter } from './shared-sign-in-limiter';
import { systemSignInClock, type SignInClock } from './sign-in-clock';
import { createSignInLimiter } from './sign-in-limiter';
import { requireSessionOnSockets, type AnyNamespace } from './socket-access';
import { addUserRoutes } from './user-routes';
import { createUsers } from './users';

// Expiry without revocation needs no instant reaction: a socket may outlive its session by this much.
const SESSION_SWEEP_MS = 30_000;

export type Access = Awaited<ReturnType<typeof installAccess>>;

/**
 * Everything Access adds to the server: its routes, the gate every HTTP
 * request passes, the session check on dashboard sockets, and the first admin.
 */
export async function installAccess({
  config,
  logger,
  prisma,
  pool,
  router,
  io,
  databaseUrl,
  now,
  signInClock = systemSignInClock,
}: {
  config: Config;
  logger: Logger;
  prisma: Prisma;
  pool: pg.Pool;
  router: Router;
  io: Server;
  databaseUrl: string;
  now: () => number;
  /** The sign-in limits' own time (tests move it); everything else runs on `now`. */
  signInClock?: SignInClock;
}) {
  const sessions = createSessions({ prisma, now, timeouts: config.access.session });
  const users = createUsers({ prisma, now, sessions });
  const keys = createApiKeys({ prisma, now });
  // Several servers count failures together, so that spreading guesses over them gains nothing.
  const shared = config.cluster.enabled ? createSharedSignInLimiter({ pool, limits: config.access.signInLimits, now: signInClock.now, logger }) : null;
  const limiter = shared ?? createSignInLimiter({ limits: config.access.signInLimits, now: signInClock.now });
  addAuthRoutes(router, { config: config.access, users, sessions, limiter, logger, hold: signInClock.hold });
  addUserRoutes(router, { users });
  addApiKeyRoutes(router, { keys });

  const dashboard = io.of(DASHBOARD_NAMESPACE) as unknown as AnyNamespace;
  requireSessionOnSockets(dashboard, { sessions, config: config.access });
  const watch = await watchSocketSessions({ namespace: dashboard, sessions, databaseUrl, sweepMs: SESSION_SWEEP_MS, logger });
  const firstAdmin = await bootstrapFirstAdmin({ users, config: config.access });
  if (firstAdmin) logger.info({ email: firstAdmin.email, generated: firstAdmin.generatedPassword !== null }, 'first admin created');

  return {
    gate: createAccessGate({ config: config.access, sessions, dev: config.dev }),
    keys,
    users,
    sessions,
    firstAdmin,
    sweepSockets: watch.sweep,
    stop: () => {
      shared?.close();
      return watch.close();
    },
  };
}
