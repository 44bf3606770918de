import type { Namespace, Server } from 'socket.io';
import { typedNamespace } from '../socket-namespace';
import { DASHBOARD_NAMESPACE, type DashboardClientToServerEvents, type DashboardServerToClientEvents } from '../../lib/live/dashboard-events';

// Identity (the signed-in user) joins this once Access exists.
export type DashboardSocketData = Record<string, never>;

export type DashboardNamespace = Namespace<DashboardClientToServerEvents, DashboardServerToClientEvents, Record<string, never>, DashboardSocketData>;

/** The browsers' namespace: snapshot and deltas of the live state. */
export function createDashboardNamespace(io: Server, version: string, now: () => number): DashboardNamespace {
  const namespace = typedNamespace<DashboardClientToServerEvents, DashboardServerToClientEvents, DashboardSocketData>(io, DASHBOARD_NAMESPACE);
  namespace.on('connection', (socket) => {
    socket.emit('server:welcome', { serverVersion: version, serverTime: now() });
  });
  return namespace;
}
