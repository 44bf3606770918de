'use client';

import { useEffect, useRef, useState } from 'react';
import type { TActionRequest, TOperatorActionKind } from '../../lib/control/operator-action';
import { ACTION_LABEL } from './action-dialog';
import styles from './controls.module.css';

const EFFECT: Record<TOperatorActionKind, string> = {
  trip: 'rejects every call',
  force_closed: 'lets every call through',
  reset: 'closes the breaker with a fresh window',
  release: 'removes the override',
};

export interface BulkTarget {
  id: string;
  service: string;
  name: string;
  instances: number;
}

/** One action on several breakers (all their instances), with the blast radius spelled out and a reason required. */
export function BulkActionDialog({ action, targets, busy, error, onConfirm, onCancel }: { action: TOperatorActionKind; targets: BulkTarget[]; busy: boolean; error: string | null; onConfirm(request: Omit<TActionRequest, 'scope'>): void; onCancel(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [expiresIn, setExpiresIn] = useState(3600);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  const instances = targets.reduce((sum, target) => sum + target.instances, 0);
  const overrides = action === 'trip' || action === 'force_closed';
  return (
    <dialog ref={dialog} className={styles.dialog} aria-labelledby="bulk-title" onCancel={onCancel}>
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          if (reason.trim().length >= 3) onConfirm({ action, reason: reason.trim(), ...(overrides ? { expiresIn } : {}) });
        }}
      >
        <h2 id="bulk-title">
          {ACTION_LABEL[action]} {targets.length} breakers
        </h2>
        <ul>
          {targets.map((target) => (
            <li key={target.id}>
              {target.service} → {target.name} ({target.instances} instances)
            </li>
          ))}
        </ul>
        {overrides && (
          <label className={styles.field}>
            Ends after
            <select value={expiresIn} onChange={(event) => setExpiresIn(Number(event.target.value))}>
              <option value={900}>15 minutes</option>
              <option value={3600}>1 hour</option>
              <option value={14400}>4 hours</option>
              <option value={86400}>24 hours</option>
            </select>
          </label>
        )}
        <label className={styles.field}>
          Reason (required)
          <textarea value={reason} onChange={(event) => setReason(event.target.value)} rows={2} required minLength={3} />
        </label>
        <p className={styles.blast}>
          This {EFFECT[action]} on {instances} instances across {targets.length} breakers.
        </p>
        {error && (
          <p role="alert" className={styles.error}>
            {error}
          </p>
        )}
        <div className={styles.buttons}>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" disabled={reason.trim().length < 3 || busy} data-danger={action === 'trip' || undefined}>
            {busy ? 'Sending…' : `${ACTION_LABEL[action]} ${targets.length} breakers`}
          </button>
        </div>
      </form>
    </dialog>
  );
}
