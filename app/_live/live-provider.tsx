'use client';

import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { createConnectionStore, type ConnectionState, type ConnectionStore } from './connection-store';
import { connectDashboard } from './dashboard-socket';

const ConnectionStoreContext = createContext<ConnectionStore | null>(null);

/** Owns the dashboard socket for the page's lifetime and feeds the store from it. */
export function LiveProvider({ children }: { children: ReactNode }) {
  const [store] = useState(createConnectionStore);

  useEffect(() => {
    const socket = connectDashboard();
    socket.on('server:welcome', ({ serverVersion }) => store.getState().setLive(serverVersion, Date.now()));
    socket.on('disconnect', () => store.getState().setReconnecting());
    socket.on('connect_error', () => store.getState().setReconnecting());
    return () => {
      socket.close();
    };
  }, [store]);

  return <ConnectionStoreContext.Provider value={store}>{children}</ConnectionStoreContext.Provider>;
}

export function useConnection<T>(selector: (state: ConnectionState) => T): T {
  const store = useContext(ConnectionStoreContext);
  if (!store) throw new Error('useConnection must be used inside <LiveProvider>');
  return useStore(store, selector);
}
