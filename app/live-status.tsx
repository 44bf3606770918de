'use client';

import { useEffect, useState } from 'react';
import { ConnectionIndicator } from '../components/connection-indicator';
import { ReconnectBanner } from '../components/reconnect-banner';
import { useBreakers, useConnection } from './_live/live-provider';

export function LiveStatus() {
  const status = useConnection((state) => state.status);
  return <ConnectionIndicator status={status} />;
}

/** While the socket is down: a banner with the age of the data, ticking every second. */
export function DisconnectedBanner() {
  const status = useConnection((state) => state.status);
  const receivedAt = useBreakers((state) => state.receivedAt);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (status !== 'reconnecting') return;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [status]);
  if (status !== 'reconnecting') return null;
  return <ReconnectBanner ageSeconds={receivedAt === null ? null : Math.max(0, Math.round((now - receivedAt) / 1000))} />;
}
