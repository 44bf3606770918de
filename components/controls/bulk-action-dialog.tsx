'use client';

import { useEffect, useRef, useState } from 'react';
import type { TActionRequest, TOperatorActionKind } from '../../lib/control/operator-action';
import { ACTION_LABEL } from './action-dialog';
import { DialogFooter, ReasonAndExpiry } from './action-form-parts';
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
  /** Every instance is a source the panel only reads: the action cannot reach any of them. */
  readOnly?: boolean;
}

/** One action on several breakers (all their instances), with the blast radius spelled out and a reason required. */
export function BulkActionDialog({
  action,
  targets,
  busy,
  error,
  onConfirm,
  onCancel,
}: {
  action: TOperatorActionKind;
  targets: BulkTarget[];
  busy: boolean;
  error: string | null;
  onConfirm(request: Omit<TActionRequest, 'scope'>): void;
  onCancel(): void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [expiresIn, setExpiresIn] = useState(3600);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  const instances = targets.reduce((sum, target) => sum + (target.readOnly ? 0 : target.instances), 0);
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
              {target.service} → {target.name} ({target.readOnly ? 'read-only: left out, the panel only watches it' : `${target.instances} instances`})
            </li>
          ))}
        </ul>
        <ReasonAndExpiry withExpiry={overrides} expiresIn={expiresIn} onExpiresIn={setExpiresIn} reason={reason} onReason={setReason} />
        <p className={styles.blast}>
          This {EFFECT[action]} on {instances} instances across {targets.length} breakers.
        </p>
        <DialogFooter
          error={error}
          submitLabel={busy ? 'Sending…' : `${ACTION_LABEL[action]} ${targets.length} breakers`}
          disabled={reason.trim().length < 3 || busy}
          danger={action === 'trip'}
          onCancel={onCancel}
        />
      </form>
    </dialog>
  );
}
