'use client';

import { useState, type FormEvent } from 'react';
import { formatCount, formatDuration } from '../../lib/format/humanize';
import type { TCreateRule, TRuleCondition, TRuleView } from '../../lib/notify/rules';
import styles from './admin.module.css';

export interface NotificationRulesSectionProps {
  rules: TRuleView[];
  /** Admins change rules; everyone else reads them. */
  canEdit: boolean;
  onCreate: (rule: TCreateRule) => void;
  onToggle: (id: string, enabled: boolean) => void;
  onDelete: (id: string) => void;
}

/** What a rule watches, in words. */
export function describeCondition(condition: TRuleCondition): string {
  switch (condition.kind) {
    case 'open_too_long':
      return `open longer than ${formatDuration(condition.openForSeconds * 1000)}`;
    case 'instances_open':
      return `more than ${condition.percent} % of instances open`;
    case 'flapping':
      return `more than ${formatCount(condition.trips)} trips in ${formatDuration(condition.windowSeconds * 1000)} (flapping)`;
  }
}

function conditionOf(kind: TRuleCondition['kind'], first: number, second: number): TRuleCondition {
  if (kind === 'open_too_long') return { kind, openForSeconds: first };
  if (kind === 'instances_open') return { kind, percent: first };
  return { kind, trips: first, windowSeconds: second };
}

const FIRST_LABEL = { open_too_long: 'Open for (seconds)', instances_open: 'More than (% of instances)', flapping: 'More than (trips)' } as const;

/** Rules evaluated on a timer, per breaker: open too long, share of instances open, flapping. */
export function NotificationRulesSection({ rules, canEdit, onCreate, onToggle, onDelete }: NotificationRulesSectionProps) {
  const [name, setName] = useState('');
  const [kind, setKind] = useState<TRuleCondition['kind']>('open_too_long');
  const [first, setFirst] = useState(300);
  const [windowSeconds, setWindowSeconds] = useState(600);
  const [services, setServices] = useState('');
  const create = (event: FormEvent) => {
    event.preventDefault();
    const list = services
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    onCreate({ name, condition: conditionOf(kind, first, windowSeconds), services: list, enabled: true });
    setName('');
  };
  return (
    <section className={styles.section} aria-labelledby="rules-heading">
      <h2 id="rules-heading">Rules</h2>
      {canEdit ? (
        <form className={styles.form} onSubmit={create} aria-label="Add a rule">
          <label>
            Name
            <input required value={name} onChange={(event) => setName(event.target.value)} />
          </label>
          <label>
            When a breaker is
            <select value={kind} onChange={(event) => setKind(event.target.value as TRuleCondition['kind'])}>
              <option value="open_too_long">open too long</option>
              <option value="instances_open">open on many instances</option>
              <option value="flapping">flapping</option>
            </select>
          </label>
          <label>
            {FIRST_LABEL[kind]}
            <input type="number" required min={kind === 'instances_open' ? 0 : 1} value={first} onChange={(event) => setFirst(Number(event.target.value))} />
          </label>
          {kind === 'flapping' ? (
            <label>
              Within (seconds)
              <input type="number" required min={1} value={windowSeconds} onChange={(event) => setWindowSeconds(Number(event.target.value))} />
            </label>
          ) : null}
          <label>
            Services (comma-separated, empty for all)
            <input value={services} onChange={(event) => setServices(event.target.value)} />
          </label>
          <button type="submit" className={styles.button}>
            Add rule
          </button>
        </form>
      ) : null}
      <table className={styles.table}>
        <thead>
          <tr>
            <th>Name</th>
            <th>Condition</th>
            <th>Services</th>
            <th>Status</th>
            {canEdit ? <th /> : null}
          </tr>
        </thead>
        <tbody>
          {rules.map((rule) => (
            <tr key={rule.id}>
              <td>{rule.name}</td>
              <td>{describeCondition(rule.condition)}</td>
              <td className={styles.muted}>{rule.services.length === 0 ? 'all' : rule.services.join(', ')}</td>
              <td>{rule.enabled ? 'active' : <span className={styles.muted}>off</span>}</td>
              {canEdit ? (
                <td>
                  <button type="button" className={styles.button} onClick={() => onToggle(rule.id, !rule.enabled)}>
                    {rule.enabled ? 'Turn off' : 'Turn on'}
                  </button>{' '}
                  <button type="button" className={`${styles.button} ${styles.danger}`} aria-label={`Delete rule ${rule.name}`} onClick={() => onDelete(rule.id)}>
                    Delete
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
