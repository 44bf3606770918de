'use client';

import { useState, type FormEvent } from 'react';
import type { TCreateEndpoint, TEndpointFormat, TEndpointView } from '../../lib/notify/endpoints';
import { ZNotificationEventType, type TNotificationEventType } from '../../lib/notify/event-types';
import styles from './admin.module.css';

export interface NotificationEndpointsSectionProps {
  endpoints: TEndpointView[];
  onCreate: (endpoint: TCreateEndpoint) => void;
  onToggle: (id: string, enabled: boolean) => void;
  onDelete: (id: string) => void;
}

const EVENT_TYPES = ZNotificationEventType.options;
const splitList = (text: string) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** Webhook endpoints: add one (URL, format, services, events, optional secret), pause, remove. */
export function NotificationEndpointsSection({ endpoints, onCreate, onToggle, onDelete }: NotificationEndpointsSectionProps) {
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [format, setFormat] = useState<TEndpointFormat>('json');
  const [services, setServices] = useState('');
  const [events, setEvents] = useState<TNotificationEventType[]>(['breaker.tripped', 'breaker.recovered']);
  const [secret, setSecret] = useState('');
  const create = (event: FormEvent) => {
    event.preventDefault();
    onCreate({ name, url, format, services: splitList(services), events, enabled: true, ...(secret ? { secret } : {}) });
    setName('');
    setUrl('');
    setSecret('');
  };
  const toggleEvent = (type: TNotificationEventType) => setEvents((current) => (current.includes(type) ? current.filter((item) => item !== type) : [...current, type]));
  return (
    <section className={styles.section} aria-labelledby="endpoints-heading">
      <h2 id="endpoints-heading">Webhook endpoints</h2>
      <form className={styles.form} onSubmit={create} aria-label="Add a webhook endpoint">
        <label>
          Name
          <input required value={name} onChange={(event) => setName(event.target.value)} />
        </label>
        <label>
          URL
          <input type="url" required placeholder="https://hooks.example.com/…" value={url} onChange={(event) => setUrl(event.target.value)} />
        </label>
        <label>
          Body
          <select value={format} onChange={(event) => setFormat(event.target.value as TEndpointFormat)}>
            <option value="json">generic JSON</option>
            <option value="slack">Slack-compatible</option>
          </select>
        </label>
        <label>
          Services (comma-separated, empty for all)
          <input value={services} onChange={(event) => setServices(event.target.value)} />
        </label>
        <label>
          Secret (empty to generate)
          <input value={secret} minLength={16} onChange={(event) => setSecret(event.target.value)} />
        </label>
        <fieldset>
          <legend>Events</legend>
          {EVENT_TYPES.map((type) => (
            <label key={type}>
              <input type="checkbox" checked={events.includes(type)} onChange={() => toggleEvent(type)} /> {type}
            </label>
          ))}
        </fieldset>
        <button type="submit" className={styles.button} disabled={events.length === 0}>
          Add endpoint
        </button>
      </form>
      <table className={styles.table}>
        <thead>
          <tr>
            <th>Name</th>
            <th>URL</th>
            <th>Body</th>
            <th>Services</th>
            <th>Events</th>
            <th>Status</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {endpoints.map((endpoint) => (
            <tr key={endpoint.id}>
              <td>{endpoint.name}</td>
              <td>
                <code>{endpoint.url}</code>
              </td>
              <td>{endpoint.format === 'slack' ? 'Slack' : 'JSON'}</td>
              <td className={styles.muted}>{endpoint.services.length === 0 ? 'all' : endpoint.services.join(', ')}</td>
              <td className={styles.muted}>{endpoint.events.join(', ')}</td>
              <td>{endpoint.enabled ? 'active' : <span className={styles.muted}>paused</span>}</td>
              <td>
                <button type="button" className={styles.button} onClick={() => onToggle(endpoint.id, !endpoint.enabled)}>
                  {endpoint.enabled ? 'Pause' : 'Resume'}
                </button>{' '}
                <button type="button" className={`${styles.button} ${styles.danger}`} aria-label={`Delete ${endpoint.name}`} onClick={() => onDelete(endpoint.id)}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
