'use client';

import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { useStoreWithEqualityFn } from 'zustand/traditional';
import { emptyRatesChanges, ZRatesChanges } from '../../lib/live/breaker-delta';
import type { TLiveScope } from '../../lib/live/dashboard-events';
import { createBreakersStore, type BreakersState, type BreakersStore, type LiveBatch } from './breakers-store';
import { createConnectionStore, type ConnectionState, type ConnectionStore } from './connection-store';
import { connectDashboard, type DashboardSocket } from './dashboard-socket';
import { TrendHistory } from './trend-history';
import { TrendSeeder } from './trend-seeder';
import { useSignedInRole } from '../_access/access-provider';
import { recheckSession } from '../_access/session-check';

interface LiveContext {
  connection: ConnectionStore;
  breakers: BreakersStore;
  trends: TrendHistory;
  seeder: TrendSeeder;
  /** Makes `scope` what the socket streams; it is subscribed again after every reconnect. */
  watch(scope: TLiveScope): void;
}

const Context = createContext<LiveContext | null>(null);

const emptyBatch = (): LiveBatch => ({ breakers: [], instances: {}, transitions: [], deliveries: [] });

/**
 * Owns the dashboard socket for the page's lifetime: snapshot on subscribe,
 * then deltas, batched per animation frame into one store update. After a
 * reconnect the snapshot is fetched again, so nothing missed while away
 * lingers.
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const [connection] = useState(createConnectionStore);
  const [breakers] = useState(createBreakersStore);
  const [trends] = useState(() => new TrendHistory());
  const [seeder] = useState(() => new TrendSeeder(trends));
  const socketRef = useRef<DashboardSocket | null>(null);
  const role = useSignedInRole();
  const scopeRef = useRef<TLiveScope | null>(null);

  const subscribe = (socket: DashboardSocket, scope: TLiveScope) => {
    socket.emit('live:subscribe', { scope }, (answer) => {
      if (!answer.ok || scopeRef.current !== scope) return;
      const { breakers: summaries, instances, serverTime } = answer.data;
      const byBreaker = scope.kind === 'breaker' && instances ? { [scope.breakerId]: instances } : {};
      const now = Date.now();
      for (const summary of summaries) trends.record(summary.id, summary.rates.callsPerSecond, now);
      breakers.getState().replaceAll(summaries, byBreaker, now);
      connection.getState().setLive(null, serverTime);
    });
  };

  const [context] = useState<LiveContext>(() => ({
    connection,
    breakers,
    trends,
    seeder,
    watch(scope) {
      scopeRef.current = scope;
      if (socketRef.current?.connected) subscribe(socketRef.current, scope);
    },
  }));

  useEffect(() => {
    const socket = connectDashboard();
    socketRef.current = socket;
    let batch = emptyBatch();
    let frame: number | null = null;
    const schedule = () => {
      frame ??= requestAnimationFrame(() => {
        frame = null;
        const ready = batch;
        batch = emptyBatch();
        const now = Date.now();
        for (const { breakers: summaries, rates } of ready.breakers) {
          for (const summary of summaries) trends.record(summary.id, summary.rates.callsPerSecond, now);
          for (let i = 0; i < rates.ids.length; i++) trends.record(rates.ids[i]!, rates.callsPerSecond[i]!, now);
        }
        breakers.getState().applyBatch(ready, now);
      });
    };

    socket.on('server:welcome', ({ serverVersion }) => {
      connection.getState().setLive(serverVersion, Date.now());
      if (scopeRef.current) subscribe(socket, scopeRef.current);
    });
    socket.on('breakers:changed', ({ breakers: changed, rates }) => {
      // One check of the whole columnar object (a few loops) rather than a schema per breaker: see ZRatesChanges.
      const checked = ZRatesChanges.safeParse(rates);
      if (!checked.success) console.error('breakers:changed: rates refused', checked.error.issues);
      batch.breakers.push({ breakers: changed, rates: checked.success ? checked.data : emptyRatesChanges() });
      schedule();
    });
    socket.on('instances:changed', ({ breakerId, instances }) => {
      batch.instances[breakerId] = instances;
      schedule();
    });
    socket.on('transition:new', (transition) => {
      batch.transitions.push(transition);
      schedule();
    });
    // An instance's answer to an operator command (or a command sent again): the delivery table follows it live.
    socket.on('delivery:changed', (delivery) => {
      batch.deliveries.push(delivery);
      schedule();
    });
    socket.on('disconnect', (reason) => {
      connection.getState().setReconnecting();
      // The server closes a socket itself only when its session ended or the user's role changed.
      if (reason === 'io server disconnect') void recheckSession(role).then((outcome) => outcome === 'same' && socket.connect());
    });
    socket.on('connect_error', (error) => {
      connection.getState().setReconnecting();
      // A refused handshake is not retried by the client: find out why, and retry only if still signed in.
      if (error.message === 'unauthorized') void recheckSession(role).then((outcome) => outcome === 'same' && setTimeout(() => socket.connect(), 2_000));
    });
    return () => {
      if (frame !== null) cancelAnimationFrame(frame);
      socket.close();
      socketRef.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- one socket for the provider's lifetime
  }, [breakers, connection, trends]);

  return <Context.Provider value={context}>{children}</Context.Provider>;
}

function useLive(): LiveContext {
  const context = useContext(Context);
  if (!context) throw new Error('live hooks must be used inside <LiveProvider>');
  return context;
}

export function useConnection<T>(selector: (state: ConnectionState) => T): T {
  return useStore(useLive().connection, selector);
}

/** Reads a slice of the live breakers; `equal` lets a derived list re-render only when it really changed. */
export function useBreakers<T>(selector: (state: BreakersState) => T, equal?: (a: T, b: T) => boolean): T {
  return useStoreWithEqualityFn(useLive().breakers, selector, equal);
}

/** A breaker's call-rate samples, seeded from the store the first time a row shows it; re-renders when the seed arrives. */
export function useSeededTrend(breakerId: string): readonly number[] {
  const { trends, seeder } = useLive();
  const [, setSeeded] = useState(0);
  useEffect(() => seeder.want(breakerId, () => setSeeded((count) => count + 1)), [seeder, breakerId]);
  return trends.get(breakerId);
}

/** Streams `scope` while the calling component is mounted. */
export function useLiveScope(scope: TLiveScope): void {
  const { watch } = useLive();
  const key = JSON.stringify(scope);
  useEffect(() => {
    watch(JSON.parse(key) as TLiveScope);
  }, [watch, key]);
}
