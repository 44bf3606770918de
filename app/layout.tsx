import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { LiveProvider } from './_live/live-provider';
import './globals.css';

export const metadata: Metadata = {
  title: 'Breaker Panel',
  description: 'The control room for circuit breakers.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <LiveProvider>{children}</LiveProvider>
      </body>
    </html>
  );
}
