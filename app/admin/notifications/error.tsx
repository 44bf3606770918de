'use client';

import { RouteError } from '../../../components/route-states/route-error';

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset(): void }) {
  return <RouteError what="the notification settings" error={error} reset={reset} />;
}
