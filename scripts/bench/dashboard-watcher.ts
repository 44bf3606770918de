import { io, type Socket } from 'socket.io-client';
import type { TTransitionRecord } from '../../lib/api/transition-record.js';
import type { DashboardClientToServerEvents, DashboardServerToClientEvents, TBreakersChanged } from '../../lib/live/dashboard-events.js';
import type { ProbeSend } from './messages';

/** A probe breaker's state as a dashboard saw it, and when (epoch ms). */
interface Seen {
  state: string | null;
  at: number;
}

/** Signs in when the server asks for a session (Access) and returns the cookie; undefined when it does not. */
async function sessionCookie(url: string, credentials: { email: string; password: string }): Promise<string | undefined> {
  const response = await fetch(`${url}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(credentials) });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`dashboard sign-in failed: ${response.status} ${await response.text()}`);
  return (response.headers.get('set-cookie') ?? '').split(';')[0];
}

/** A stored transition a dashboard was sent: its instance and breaker, when it happened there and when it arrived (epoch ms). */
export interface SeenTransition {
  instance: string | null;
  breaker: string;
  at: number;
  receivedAt: number;
}

/**
 * A dashboard socket subscribed to everything, as the overview page is. It
 * keeps only what the latency probes need: each probe breaker's state in every
 * `breakers:changed` and the moment it arrived, and every `transition:new`. It runs in the orchestrator,
 * which is otherwise idle, so that the fleet's busy event loop does not add
 * its own delay to the figure.
 */
export async function watchDashboard(url: string, credentials: { email: string; password: string }) {
  const cookie = await sessionCookie(url, credentials);
  const socket: Socket<DashboardServerToClientEvents, DashboardClientToServerEvents> = io(`${url}/dashboard`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    ...(cookie ? { extraHeaders: { cookie } } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(new Error(`dashboard socket: ${error.message}`)));
  });
  const seen = new Map<string, Seen[]>();
  let deltas = 0;
  const transitions: SeenTransition[] = [];
  socket.on('transition:new', (record: TTransitionRecord) => transitions.push({ instance: record.instance, breaker: record.breaker, at: record.at, receivedAt: Date.now() }));
  socket.on('breakers:changed', (payload: TBreakersChanged) => {
    const at = Date.now();
    deltas += 1;
    for (const breaker of payload.breakers) {
      if (!breaker.name.startsWith('probe-')) continue;
      const list = seen.get(breaker.name);
      if (list) list.push({ state: breaker.state, at });
      else seen.set(breaker.name, [{ state: breaker.state, at }]);
    }
  });
  const subscribed = await socket.timeout(60_000).emitWithAck('live:subscribe', { scope: { kind: 'all' } });
  if (!subscribed.ok) throw new Error(`live:subscribe refused: ${subscribed.error.message}`);

  return {
    get deltas() {
      return deltas;
    },
    transitions: transitions as readonly SeenTransition[],
    /**
     * Report → delta latency of each probe report: the first delta after the
     * send that shows the state the report carried. A probe's state flips on
     * every report, so that state can only have come from this report (unless
     * the server lags a whole interval behind, which the ack latency shows).
     */
    latencies(sends: readonly ProbeSend[], giveUpMs: number): { latencies: number[]; lost: number } {
      const latencies: number[] = [];
      let lost = 0;
      for (const send of sends) {
        const match = seen.get(send.name)?.find((entry) => entry.at >= send.sentAt && entry.state === send.state);
        if (match && match.at - send.sentAt <= giveUpMs) latencies.push(match.at - send.sentAt);
        else lost += 1;
      }
      return { latencies, lost };
    },
    close: () => socket.disconnect(),
  };
}
