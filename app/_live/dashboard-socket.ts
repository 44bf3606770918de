import { io, type Socket } from 'socket.io-client';
import { DASHBOARD_NAMESPACE, type DashboardClientToServerEvents, type DashboardServerToClientEvents } from '../../lib/live/dashboard-events';

export type DashboardSocket = Socket<DashboardServerToClientEvents, DashboardClientToServerEvents>;

/** The browser's one connection to the server's `/dashboard` namespace, on the page's own origin. */
export function connectDashboard(): DashboardSocket {
  return io(DASHBOARD_NAMESPACE, {
    transports: ['websocket'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5_000,
    withCredentials: true,
  });
}
