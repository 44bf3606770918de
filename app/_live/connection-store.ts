import { createStore } from 'zustand/vanilla';

import type { TConnectionStatus } from '../../lib/live/dashboard-events';

export type ConnectionStatus = TConnectionStatus;

export interface ConnectionState {
  status: ConnectionStatus;
  /** When the socket last connected (ms since epoch); null before the first time. */
  connectedAt: number | null;
  serverVersion: string | null;
  setLive(serverVersion: string | null, at: number): void;
  setReconnecting(): void;
}

export type ConnectionStore = ReturnType<typeof createConnectionStore>;

/** One store per provider, so that server rendering and tests never share state. */
export function createConnectionStore() {
  return createStore<ConnectionState>()((set) => ({
    status: 'connecting',
    connectedAt: null,
    serverVersion: null,
    setLive: (serverVersion, at) => set({ status: 'live', serverVersion, connectedAt: at }),
    setReconnecting: () => set({ status: 'reconnecting' }),
  }));
}
