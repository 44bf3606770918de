'use client';

import { useEffect, useState } from 'react';
import type { TOverrideView } from '../../lib/control/operator-action';
import { formatDuration } from '../../lib/format/humanize';
import styles from './controls.module.css';

// Whole seconds: the banner ticks once a second, and a tenth would flicker.
const remaining = (expiresAt: number, now: number) => formatDuration(Math.max(0, Math.round((expiresAt - now) / 1000)) * 1000);

function scopeText(override: TOverrideView): string {
  const { scope } = override;
  if ('all' in scope) return 'all instances';
  if ('instances' in scope) return `instances ${scope.instances.join(', ')}`;
  return `instances with ${Object.entries(scope.labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ')}`;
}

/** The override in force, prominent: what, on which instances, who, why, and a countdown to its expiry. */
export function OverrideBanner({ override }: { override: TOverrideView }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <div className={styles.override} role="status" aria-label="Override in force" data-state={override.state}>
      <strong>{override.state === 'FORCED_OPEN' ? 'Tripped by hand' : 'Forced closed by hand'}</strong> on {scopeText(override)} by {override.by ?? 'unknown'} — “{override.reason}”.{' '}
      {override.expiresAt === null ? 'Until released.' : <span>Ends in {remaining(override.expiresAt, now)}.</span>}
    </div>
  );
}
