/**
 * The typed Socket.IO contract of the `/dashboard` namespace, shared by the
 * server and the browser. Event names are `noun:verb`, one object per payload.
 */

/** Sent by the server as soon as a dashboard connects. */
export interface TDashboardWelcome {
  serverVersion: string;
  serverTime: number;
}

export interface DashboardServerToClientEvents {
  'server:welcome': (payload: TDashboardWelcome) => void;
}

// The browser sends nothing yet; subscriptions arrive with the live dashboard.
export type DashboardClientToServerEvents = Record<string, never>;

export const DASHBOARD_NAMESPACE = '/dashboard';
export const AGENT_NAMESPACE = '/agent';

/** What the browser shows of its link to the server. */
export type TConnectionStatus = 'connecting' | 'live' | 'reconnecting';
