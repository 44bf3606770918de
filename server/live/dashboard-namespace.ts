import type { Namespace, Server } from 'socket.io';
import { ZLiveSubscribe, DASHBOARD_NAMESPACE, type DashboardClientToServerEvents, type DashboardServerToClientEvents, type TLiveScope } from '../../lib/live/dashboard-events';
import type { TAck } from '../../lib/protocol/ack.js';
import type { AccessSocketData } from '../auth/socket-access';
import type { Logger } from '../logger';
import { typedNamespace } from '../socket-namespace';
import type { LiveView } from './live-view';
import { roomOf } from './rooms';

/** What the server keeps on a dashboard socket; `access` (the signed-in user) is set by Access before `connection`. */
export interface DashboardSocketData extends AccessSocketData {
  scope: TLiveScope | null;
}

export type DashboardNamespace = Namespace<DashboardClientToServerEvents, DashboardServerToClientEvents, Record<string, never>, DashboardSocketData>;

/** The browsers' namespace: a subscription answers with a snapshot, and deltas follow in the scope's room. */
export function createDashboardNamespace(io: Server, { version, now, view, logger }: { version: string; now: () => number; view: LiveView; logger: Logger }): DashboardNamespace {
  const namespace = typedNamespace<DashboardClientToServerEvents, DashboardServerToClientEvents, DashboardSocketData>(io, DASHBOARD_NAMESPACE);
  namespace.on('connection', (socket) => {
    socket.data.scope = null;
    socket.emit('server:welcome', { serverVersion: version, serverTime: now() });

    socket.on('live:subscribe', (payload, ack) => {
      const reply = typeof ack === 'function' ? ack : () => {};
      const parsed = ZLiveSubscribe.safeParse(payload);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const answer: TAck<never> = {
          ok: false,
          error: {
            code: 'invalid_payload',
            message: `Invalid subscription: ${issue?.path.join('.') || 'scope'}: ${issue?.message}`,
            path: issue?.path.map((key) => (typeof key === 'number' ? key : String(key))),
          },
        };
        return reply(answer);
      }
      const { scope } = parsed.data;
      try {
        if (socket.data.scope) void socket.leave(roomOf(socket.data.scope));
        socket.data.scope = scope;
        // Join before taking the snapshot: a delta may repeat what the snapshot holds, but none is missed.
        void socket.join(roomOf(scope));
        reply({ ok: true, data: view.snapshot(scope) });
      } catch (error) {
        logger.error({ err: error }, 'live subscription failed');
        reply({ ok: false, error: { code: 'internal', message: 'internal error' } });
      }
    });
  });
  return namespace;
}
