'use client';

import { useEffect, useRef, useState } from 'react';
import type { TActionRequest, TOperatorActionKind } from '../../lib/control/operator-action';
import { DialogFooter, ReasonAndExpiry } from './action-form-parts';
import styles from './controls.module.css';

export const ACTION_LABEL: Record<TOperatorActionKind, string> = { trip: 'Trip', force_closed: 'Force closed', reset: 'Reset', release: 'Release' };

const EFFECT: Record<TOperatorActionKind, string> = {
  trip: 'rejects every call',
  force_closed: 'lets every call through, whatever the failure rate',
  reset: 'closes the breaker with a fresh window',
  release: 'removes the override and resumes automatic behaviour',
};

export interface DialogInstance {
  name: string;
  labels: Record<string, string>;
  /** Why an action cannot reach this instance (a source the panel only reads); absent when it can. */
  readOnly?: string | null;
}

export interface ActionDialogProps {
  action: TOperatorActionKind;
  service: string;
  breaker: string;
  instances: DialogInstance[];
  busy: boolean;
  error: string | null;
  onConfirm(request: TActionRequest): void;
  onCancel(): void;
}

type ScopeChoice = 'all' | 'instance' | 'label';

/**
 * Confirms an action and states its blast radius ("rejects every call on 12
 * instances of checkout → payments"). A reason is required.
 */
export function ActionDialog({ action, service, breaker, instances, busy, error, onConfirm, onCancel }: ActionDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [scopeChoice, setScopeChoice] = useState<ScopeChoice>('all');
  const [instance, setInstance] = useState(instances[0]?.name ?? '');
  const labelOptions = [...new Set(instances.flatMap((item) => Object.entries(item.labels).map(([key, value]) => `${key}=${value}`)))].sort();
  const [label, setLabel] = useState(labelOptions[0] ?? '');
  const [expiresIn, setExpiresIn] = useState(3600);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  const [labelKey, labelValue] = label.split('=') as [string, string | undefined];
  const chosen = scopeChoice === 'all' ? instances : scopeChoice === 'instance' ? instances.filter((item) => item.name === instance) : instances.filter((item) => item.labels[labelKey] === labelValue);
  // Read-only instances (sources the panel only watches) are in scope but out of the blast radius: the command cannot reach them.
  const leftOut = chosen.filter((item) => item.readOnly);
  const inScope = chosen.length - leftOut.length;
  const reasons = [...new Set(leftOut.map((item) => item.readOnly!))];
  const scope: TActionRequest['scope'] = scopeChoice === 'all' ? { all: true } : scopeChoice === 'instance' ? { instances: [instance] } : { labels: { [labelKey]: labelValue ?? '' } };
  const overrides = action === 'trip' || action === 'force_closed';
  const valid = reason.trim().length >= 3 && (scopeChoice !== 'instance' || instance) && (scopeChoice !== 'label' || labelValue !== undefined);

  return (
    <dialog ref={dialog} className={styles.dialog} aria-labelledby="action-title" onCancel={onCancel}>
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          if (valid) onConfirm({ action, scope, reason: reason.trim(), ...(overrides ? { expiresIn } : {}) });
        }}
      >
        <h2 id="action-title">
          {ACTION_LABEL[action]} {service} → {breaker}
        </h2>
        <fieldset>
          <legend>Instances</legend>
          <label>
            <input type="radio" name="scope" checked={scopeChoice === 'all'} onChange={() => setScopeChoice('all')} /> All instances
          </label>
          <label>
            <input type="radio" name="scope" checked={scopeChoice === 'instance'} onChange={() => setScopeChoice('instance')} disabled={instances.length === 0} /> One instance{' '}
            <select aria-label="Instance" value={instance} onChange={(event) => setInstance(event.target.value)} disabled={scopeChoice !== 'instance'}>
              {instances.map((item) => (
                <option key={item.name} value={item.name}>
                  {item.readOnly ? `${item.name} (read-only)` : item.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            <input type="radio" name="scope" checked={scopeChoice === 'label'} onChange={() => setScopeChoice('label')} disabled={labelOptions.length === 0} /> Instances labelled{' '}
            <select aria-label="Label" value={label} onChange={(event) => setLabel(event.target.value)} disabled={scopeChoice !== 'label'}>
              {labelOptions.map((option) => (
                <option key={option}>{option}</option>
              ))}
            </select>
          </label>
        </fieldset>
        <ReasonAndExpiry withExpiry={overrides} expiresIn={expiresIn} onExpiresIn={setExpiresIn} reason={reason} onReason={setReason} />
        <p className={styles.blast} aria-live="polite">
          This {EFFECT[action]} on {inScope} {inScope === 1 ? 'instance' : 'instances'} of {service} → {breaker}
          {scopeChoice === 'all' ? ', and on instances that join later' : ''}.
        </p>
        {leftOut.length > 0 ? (
          <p className={styles.blast} data-testid="left-out">
            Left out: {leftOut.length} read-only {leftOut.length === 1 ? 'instance' : 'instances'} ({leftOut.map((item) => item.name).join(', ')}). {reasons.join(' ')}
          </p>
        ) : null}
        <DialogFooter error={error} submitLabel={busy ? 'Sending…' : `${ACTION_LABEL[action]} now`} disabled={!valid || busy} danger={action === 'trip'} onCancel={onCancel} />
      </form>
    </dialog>
  );
}
