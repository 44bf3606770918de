import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { AccessProvider } from './_access/access-provider';
import { AccountBar } from './_access/account-bar';
import { readPageSession } from './_access/page-session';
import { LiveProvider } from './_live/live-provider';
import './globals.css';

export const metadata: Metadata = {
  title: 'Breaker Panel',
  description: 'The control room for circuit breakers.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Null only on the sign-in page: the server sends every other page request without a session there.
  const session = await readPageSession();
  return (
    <html lang="en">
      <body>
        {session ? (
          <AccessProvider session={session}>
            <AccountBar />
            <LiveProvider>{children}</LiveProvider>
          </AccessProvider>
        ) : (
          children
        )}
      </body>
    </html>
  );
}
