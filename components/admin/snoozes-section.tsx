'use client';

import { useState, type FormEvent } from 'react';
import type { TCreateSnooze, TSnoozeView } from '../../lib/notify/snoozes';
import styles from './admin.module.css';
import { formatEpoch } from './format-epoch';

export interface SnoozeChoice {
  /** `rule:<id>` or `breaker:<id>`. */
  value: string;
  label: string;
}

export interface SnoozesSectionProps {
  snoozes: TSnoozeView[];
  rules: SnoozeChoice[];
  breakers: SnoozeChoice[];
  /** Operators and admins set and lift snoozes; everyone sees them. */
  canSnooze: boolean;
  onSnooze: (snooze: TCreateSnooze) => void;
  onLift: (id: string) => void;
}

const DURATIONS = [
  { seconds: 15 * 60, label: '15 minutes' },
  { seconds: 3600, label: '1 hour' },
  { seconds: 4 * 3600, label: '4 hours' },
  { seconds: 24 * 3600, label: '1 day' },
  { seconds: 7 * 24 * 3600, label: '1 week' },
];

function targetOf(value: string): TCreateSnooze['target'] {
  const [kind, id = ''] = value.split(':');
  return kind === 'rule' ? { kind: 'rule', ruleId: id } : { kind: 'breaker', breakerId: id };
}

/** Snoozes in force: what is silenced, by whom, until when; set one for a rule or a breaker. */
export function SnoozesSection({ snoozes, rules, breakers, canSnooze, onSnooze, onLift }: SnoozesSectionProps) {
  const [target, setTarget] = useState('');
  const [seconds, setSeconds] = useState(3600);
  const [reason, setReason] = useState('');
  const snooze = (event: FormEvent) => {
    event.preventDefault();
    if (!target) return;
    onSnooze({ target: targetOf(target), durationSeconds: seconds, ...(reason ? { reason } : {}) });
    setReason('');
  };
  return (
    <section className={styles.section} aria-labelledby="snoozes-heading">
      <h2 id="snoozes-heading">Snoozed</h2>
      {canSnooze ? (
        <form className={styles.form} onSubmit={snooze} aria-label="Snooze notifications">
          <label>
            Silence
            <select required value={target} onChange={(event) => setTarget(event.target.value)}>
              <option value="">choose…</option>
              <optgroup label="Rules">
                {rules.map((choice) => (
                  <option key={choice.value} value={choice.value}>
                    {choice.label}
                  </option>
                ))}
              </optgroup>
              <optgroup label="Breakers">
                {breakers.map((choice) => (
                  <option key={choice.value} value={choice.value}>
                    {choice.label}
                  </option>
                ))}
              </optgroup>
            </select>
          </label>
          <label>
            For
            <select value={seconds} onChange={(event) => setSeconds(Number(event.target.value))}>
              {DURATIONS.map((duration) => (
                <option key={duration.seconds} value={duration.seconds}>
                  {duration.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            Reason
            <input value={reason} onChange={(event) => setReason(event.target.value)} />
          </label>
          <button type="submit" className={styles.button}>
            Snooze
          </button>
        </form>
      ) : null}
      {snoozes.length === 0 ? <p className={styles.muted}>Nothing is snoozed.</p> : null}
      <table className={styles.table}>
        <thead>
          <tr>
            <th>Silenced</th>
            <th>Until</th>
            <th>By</th>
            <th>Reason</th>
            {canSnooze ? <th /> : null}
          </tr>
        </thead>
        <tbody>
          {snoozes.map((item) => (
            <tr key={item.id}>
              <td>{item.label}</td>
              <td>{formatEpoch(item.until)}</td>
              <td>{item.by ?? '—'}</td>
              <td className={styles.muted}>{item.reason ?? ''}</td>
              {canSnooze ? (
                <td>
                  <button type="button" className={styles.button} aria-label={`Lift the snooze of ${item.label}`} onClick={() => onLift(item.id)}>
                    Lift
                  </button>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
