/**
 * The typed Socket.IO contract of the `/dashboard` namespace, shared by the
 * server and the browser. Event names are `noun:verb`, one object per payload.
 */
import { z } from 'zod';
import type { TBreakerInstance } from '../api/breaker-detail';
import type { TBreakerSummary } from '../api/breaker-summary';
import type { TTransitionRecord } from '../api/transition-record';
import type { TDelivery } from '../control/operator-action';
import type { TAck } from '../protocol/ack';
import type { TRatesChanges } from './breaker-delta';
import { ZText } from '../protocol/storable';

/** Sent by the server as soon as a dashboard connects. */
export interface TDashboardWelcome {
  serverVersion: string;
  serverTime: number;
}

/** What a dashboard watches: everything, one service, or one breaker (with its instances). */
export const ZLiveScope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('service'), service: ZText.min(1).max(200) }),
  z.object({ kind: z.literal('breaker'), breakerId: ZText.min(1).max(100) }),
]);

/** What a dashboard watches. */
export type TLiveScope = z.infer<typeof ZLiveScope>;

/** `live:subscribe` payload: replaces the socket's previous subscription. */
export const ZLiveSubscribe = z.object({ scope: ZLiveScope });

/** `live:subscribe` payload. */
export type TLiveSubscribe = z.infer<typeof ZLiveSubscribe>;

/** The snapshot a subscription starts from; deltas follow. */
export interface TLiveSnapshot {
  serverTime: number;
  breakers: TBreakerSummary[];
  /** For a breaker scope: its instances. */
  instances?: TBreakerInstance[];
}

/** Coalesced changes (at most four a second) of the breakers that changed since they were last sent. */
export interface TBreakersChanged {
  serverTime: number;
  /** Breakers new to the stream, or whose state, instances or override changed: the whole summary. */
  breakers: TBreakerSummary[];
  /** Breakers of which only the rates and last report time moved, one array per field (`ZRatesChanges` checks them, `withRatesChange` applies one). */
  rates: TRatesChanges;
}

/** For a breaker scope: its instances after a change. */
export interface TInstancesChanged {
  breakerId: string;
  instances: TBreakerInstance[];
}

export interface DashboardServerToClientEvents {
  'server:welcome': (payload: TDashboardWelcome) => void;
  'breakers:changed': (payload: TBreakersChanged) => void;
  'instances:changed': (payload: TInstancesChanged) => void;
  /** Sent at once for every stored transition in scope: never coalesced away. */
  'transition:new': (payload: TTransitionRecord) => void;
  /** For a breaker scope: an instance's delivery of an operator command changed (sent, applied, failed). */
  'delivery:changed': (payload: TDelivery & { breakerId: string }) => void;
}

export interface DashboardClientToServerEvents {
  'live:subscribe': (payload: TLiveSubscribe, ack: (answer: TAck<TLiveSnapshot>) => void) => void;
}

export const DASHBOARD_NAMESPACE = '/dashboard';

/** What the browser shows of its link to the server. */
export type TConnectionStatus = 'connecting' | 'live' | 'reconnecting';
