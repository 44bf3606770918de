'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useState } from 'react';
import type { TAuditEntry } from '../../lib/control/audit';
import { AuditTable } from '../../components/audit/audit-table';
import styles from '../../components/audit/audit.module.css';

const RANGES = { '24h': 24 * 3_600_000, '7d': 7 * 24 * 3_600_000, '30d': 30 * 24 * 3_600_000, all: 0 } as const;
type Range = keyof typeof RANGES;

/** The audit trail with filters kept in the URL (breaker, service, user, time). */
export function AuditScreen() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const [entries, setEntries] = useState<TAuditEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const service = params.get('service') ?? '';
  const user = params.get('user') ?? '';
  const breaker = params.get('breaker') ?? '';
  const range: Range = (params.get('range') ?? '7d') in RANGES ? ((params.get('range') ?? '7d') as Range) : '7d';

  useEffect(() => {
    const query = new URLSearchParams();
    if (service) query.set('service', service);
    if (user) query.set('user', user);
    if (breaker) query.set('breaker', breaker);
    if (RANGES[range]) query.set('from', String(Date.now() - RANGES[range]));
    let cancelled = false;
    fetch(`/api/v1/audit?${query}`, { cache: 'no-store' })
      .then(async (response) => {
        if (!response.ok) throw new Error(((await response.json()) as { error?: { message?: string } }).error?.message ?? `status ${response.status}`);
        return (await response.json()) as { entries: TAuditEntry[] };
      })
      .then(
        (body) => !cancelled && (setEntries(body.entries), setError(null)),
        (failure: unknown) => !cancelled && setError(String(failure instanceof Error ? failure.message : failure)),
      );
    return () => {
      cancelled = true;
    };
  }, [service, user, breaker, range]);

  const update = (key: string, value: string) => {
    const next = new URLSearchParams(params.toString());
    if (value) next.set(key, value);
    else next.delete(key);
    router.replace(`${pathname}?${next}`, { scroll: false });
  };

  return (
    <>
      <div className={styles.filters} role="search">
        <label>
          Service
          <input defaultValue={service} onBlur={(event) => update('service', event.target.value.trim())} placeholder="any" />
        </label>
        <label>
          User (e-mail)
          <input defaultValue={user} onBlur={(event) => update('user', event.target.value.trim())} placeholder="anyone" />
        </label>
        <label>
          Time
          <select value={range} onChange={(event) => update('range', event.target.value)}>
            <option value="24h">Last 24 hours</option>
            <option value="7d">Last 7 days</option>
            <option value="30d">Last 30 days</option>
            <option value="all">All time</option>
          </select>
        </label>
        {breaker && (
          <button type="button" onClick={() => update('breaker', '')}>
            Show every breaker
          </button>
        )}
      </div>
      {error && <p role="alert">The audit trail could not be loaded: {error}</p>}
      {entries ? <AuditTable entries={entries} /> : <p className={styles.muted}>Loading…</p>}
    </>
  );
}
