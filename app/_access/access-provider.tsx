'use client';

import { createContext, useContext, type ReactNode } from 'react';
import { roleAllows, type TRole } from '../../lib/auth/roles';
import type { TCurrentSession } from '../../lib/auth/session';

const Context = createContext<TCurrentSession | null>(null);

/** The signed-in user and CSRF token for client components, from the server-verified page session. */
export function AccessProvider({ session, children }: { session: TCurrentSession; children: ReactNode }) {
  return <Context.Provider value={session}>{children}</Context.Provider>;
}

export function useSession(): TCurrentSession {
  const session = useContext(Context);
  if (!session) throw new Error('useSession must be used inside <AccessProvider>');
  return session;
}

/** Whether the signed-in user's role allows `needed`: screens hide what the server would refuse anyway. */
export function useCan(needed: TRole): boolean {
  const session = useContext(Context);
  return session !== null && roleAllows(session.user.role, needed);
}

/** The role, or null outside a signed-in page. */
export function useSignedInRole(): TRole | null {
  return useContext(Context)?.user.role ?? null;
}
