'use client';

import { useState } from 'react';
import { isReadOnlyKind } from '../../lib/api/reporter-client';
import type { TActionRequest, TOperatorActionKind } from '../../lib/control/operator-action';
import { ACTION_LABEL } from '../../components/controls/action-dialog';
import { BulkActionDialog, type BulkTarget } from '../../components/controls/bulk-action-dialog';
import styles from '../../components/overview/overview.module.css';
import { useSession } from '../_access/access-provider';
import { ApiError, callApi } from '../_access/api-client';
import { useBreakers } from '../_live/live-provider';

/**
 * Acts on a selection of breakers at once — for instance one dependency's
 * breaker in every service — each on all its instances.
 */
export function BulkActions({ selected, onSelect }: { selected: ReadonlySet<string>; onSelect(next: ReadonlySet<string>): void }) {
  const { csrfToken } = useSession();
  // A new map whenever a breaker changes, so the blast radius stays current.
  const byId = useBreakers((state) => state.byId);
  const [action, setAction] = useState<TOperatorActionKind | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const targets: BulkTarget[] = [...selected].flatMap((id) => {
    const summary = byId.get(id);
    return summary
      ? [{ id, service: summary.service, name: summary.name, instances: summary.instances.total, readOnly: summary.clients.kinds.length > 0 && summary.clients.kinds.every(isReadOnlyKind) }]
      : [];
  });
  const names = [...new Set(targets.map((target) => target.name))];

  const confirm = async (request: Omit<TActionRequest, 'scope'>) => {
    setBusy(true);
    setError(null);
    const failed: string[] = [];
    for (const target of targets) {
      try {
        await callApi(`/api/v1/breakers/${target.id}/actions`, { method: 'POST', body: { ...request, scope: { all: true } }, csrfToken, headers: { 'idempotency-key': crypto.randomUUID() } });
      } catch (failure) {
        failed.push(`${target.service} → ${target.name}: ${failure instanceof ApiError ? failure.message : 'not sent'}`);
      }
    }
    setBusy(false);
    if (failed.length) setError(`Not done on ${failed.length}: ${failed.join('; ')}`);
    else {
      setAction(null);
      onSelect(new Set());
    }
  };

  if (selected.size === 0) return null;
  return (
    <div className={styles.toolbar} role="group" aria-label="Selected breakers">
      <span>{selected.size} selected</span>
      {names.length === 1 && (
        <button type="button" onClick={() => onSelect(new Set([...byId.values()].filter((summary) => summary.name === names[0]).map((summary) => summary.id)))}>
          Select “{names[0]}” in every service
        </button>
      )}
      {(['trip', 'force_closed', 'reset', 'release'] as const).map((kind) => (
        <button key={kind} type="button" onClick={() => (setError(null), setAction(kind))}>
          {ACTION_LABEL[kind]}
        </button>
      ))}
      <button type="button" onClick={() => onSelect(new Set())}>
        Clear
      </button>
      {action && <BulkActionDialog action={action} targets={targets} busy={busy} error={error} onConfirm={confirm} onCancel={() => setAction(null)} />}
    </div>
  );
}
