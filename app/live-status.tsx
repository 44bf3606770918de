'use client';

import { ConnectionIndicator } from '../components/connection-indicator';
import { useConnection } from './_live/live-provider';

export function LiveStatus() {
  const status = useConnection((state) => state.status);
  return <ConnectionIndicator status={status} />;
}
