'use client';

import { useState, type FormEvent } from 'react';
import type { TApiKeyListItem } from '../../lib/auth/api-keys';
import styles from './admin.module.css';
import { formatTime } from './format-time';

export interface ApiKeysSectionProps {
  keys: TApiKeyListItem[];
  onCreate: (service: string, description: string) => void;
  onRevoke: (id: string) => void;
}

/** Reporter keys: create for a service, list with last use, revoke. */
export function ApiKeysSection({ keys, onCreate, onRevoke }: ApiKeysSectionProps) {
  const [service, setService] = useState('');
  const [description, setDescription] = useState('');
  const create = (event: FormEvent) => {
    event.preventDefault();
    onCreate(service, description);
    setService('');
    setDescription('');
  };
  return (
    <section className={styles.section} aria-labelledby="keys-heading">
      <h2 id="keys-heading">API keys</h2>
      <form className={styles.form} onSubmit={create} aria-label="Create an API key">
        <label>
          Service
          <input required value={service} onChange={(event) => setService(event.target.value)} />
        </label>
        <label>
          Description
          <input value={description} onChange={(event) => setDescription(event.target.value)} />
        </label>
        <button type="submit" className={styles.button}>
          Create key
        </button>
      </form>
      <table className={styles.table}>
        <thead>
          <tr>
            <th>Service</th>
            <th>Key</th>
            <th>Description</th>
            <th>Created</th>
            <th>Last used</th>
            <th>Status</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => (
            <tr key={key.id}>
              <td>{key.serviceName}</td>
              <td>
                <code>{key.prefix}…</code>
              </td>
              <td className={styles.muted}>{key.description ?? ''}</td>
              <td className={styles.muted}>{formatTime(key.createdAt)}</td>
              <td className={styles.muted}>{formatTime(key.lastUsedAt)}</td>
              <td>{key.revokedAt ? <span className={styles.muted}>revoked</span> : 'active'}</td>
              <td>
                {key.revokedAt ? null : (
                  <button type="button" className={`${styles.button} ${styles.danger}`} aria-label={`Revoke ${key.prefix}`} onClick={() => onRevoke(key.id)}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
