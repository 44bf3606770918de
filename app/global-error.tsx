'use client';

import { RouteError } from '../components/route-states/route-error';
import './globals.css';

// Replaces the root layout when the layout itself fails, so it brings its own <html> and <body>.
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset(): void }) {
  return (
    <html lang="en">
      <body>
        <RouteError what="this page" error={error} reset={reset} />
      </body>
    </html>
  );
}
