'use client';

import { useState, type FormEvent } from 'react';
import type { TSourceCredentials, TSourceKind, TSourceView } from '../../lib/sources/source';
import styles from './admin.module.css';
import { formatTime } from './format-time';

/** What the form sends to `POST /api/v1/sources`. */
export interface NewSource {
  kind: TSourceKind;
  name: string;
  service: string;
  targets: string[];
  pollIntervalMs: number;
  credentials: TSourceCredentials;
}

export interface SourcesSectionProps {
  sources: TSourceView[];
  onCreate: (source: NewSource) => void;
  onToggle: (id: string, enabled: boolean) => void;
  onDelete: (id: string) => void;
}

const KINDS: Record<TSourceKind, { label: string; target: string; hint: string }> = {
  actuator: {
    label: 'Resilience4j actuator',
    target: 'http://orders:8080/actuator',
    hint: 'The actuator base URL of each process. Read and steered: trip → FORCE_OPEN, force closed → DISABLE, reset and release → CLOSE.',
  },
  prometheus: {
    label: 'Prometheus scrape (read-only)',
    target: 'http://orders:8080/actuator/prometheus',
    hint: 'The metrics URL of each process: Resilience4j Micrometer, opossum-prometheus or Polly through a Prometheus exporter.',
  },
  hystrix: {
    label: 'Hystrix stream (read-only)',
    target: 'http://orders:8080/hystrix.stream',
    hint: 'The event stream URL of each process (not a Turbine stream: the panel merges per instance itself).',
  },
  otlp: {
    label: 'OTLP metrics (read-only)',
    target: '',
    hint: 'No targets: the service pushes OpenTelemetry metrics to this panel’s /v1/metrics with an API key of the service. Every: the exporters’ interval, how long a push keeps its instances live.',
  },
};

/** A source's status in a few words: off, failing with its error, or when it last answered. */
function status(source: TSourceView): { text: string; failing: boolean } {
  if (!source.enabled) return { text: 'disabled', failing: false };
  if (source.lastError) return { text: source.lastError, failing: true };
  if (source.lastSuccessAt) return { text: `ok · last read ${formatTime(source.lastSuccessAt)}`, failing: false };
  return { text: 'waiting for the first read', failing: false };
}

/** Sources: services the panel reads without an SDK; add one of each kind, see its status and error, turn it off or remove it. */
export function SourcesSection({ sources, onCreate, onToggle, onDelete }: SourcesSectionProps) {
  const [kind, setKind] = useState<TSourceKind>('actuator');
  const [name, setName] = useState('');
  const [service, setService] = useState('');
  const [targets, setTargets] = useState('');
  const [seconds, setSeconds] = useState('5');
  const [credentialType, setCredentialType] = useState<TSourceCredentials['type']>('none');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');

  const create = (event: FormEvent) => {
    event.preventDefault();
    const credentials: TSourceCredentials = credentialType === 'basic' ? { type: 'basic', username, password } : credentialType === 'bearer' ? { type: 'bearer', token } : { type: 'none' };
    onCreate({
      kind,
      name,
      service,
      // OTLP services push to the panel: text typed under another kind is not sent as targets.
      targets: kind === 'otlp' ? [] : targets.split(/\s+/).filter((line) => line !== ''),
      pollIntervalMs: Math.round(Number(seconds) * 1000),
      credentials,
    });
    setName('');
    setTargets('');
    setPassword('');
    setToken('');
  };

  return (
    <section className={styles.section} aria-labelledby="sources-heading">
      <h2 id="sources-heading">Sources</h2>
      <p className={styles.muted}>Services whose breakers the panel reads itself, without the SDK: their breakers join the overview beside SDK ones.</p>
      <form className={styles.form} onSubmit={create} aria-label="Add a source">
        <label>
          Kind
          <select value={kind} onChange={(event) => setKind(event.target.value as TSourceKind)}>
            {Object.entries(KINDS).map(([value, { label }]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Name
          <input required value={name} onChange={(event) => setName(event.target.value)} />
        </label>
        <label>
          Service
          <input required value={service} onChange={(event) => setService(event.target.value)} />
        </label>
        <label>
          Targets (one URL per line)
          <textarea rows={2} cols={44} value={targets} placeholder={KINDS[kind].target} required={kind !== 'otlp'} disabled={kind === 'otlp'} onChange={(event) => setTargets(event.target.value)} />
        </label>
        <label>
          Every (s)
          <input type="number" min={1} max={3600} step={1} required value={seconds} onChange={(event) => setSeconds(event.target.value)} style={{ width: '5rem' }} />
        </label>
        <label>
          Credentials
          <select value={credentialType} onChange={(event) => setCredentialType(event.target.value as TSourceCredentials['type'])}>
            <option value="none">none</option>
            <option value="basic">basic</option>
            <option value="bearer">bearer token</option>
          </select>
        </label>
        {credentialType === 'basic' ? (
          <>
            <label>
              User
              <input required value={username} autoComplete="off" onChange={(event) => setUsername(event.target.value)} />
            </label>
            <label>
              Password
              <input type="password" value={password} autoComplete="new-password" onChange={(event) => setPassword(event.target.value)} />
            </label>
          </>
        ) : null}
        {credentialType === 'bearer' ? (
          <label>
            Token
            <input type="password" required value={token} autoComplete="off" onChange={(event) => setToken(event.target.value)} />
          </label>
        ) : null}
        <button type="submit" className={styles.button}>
          Add source
        </button>
      </form>
      <p className={styles.muted}>{KINDS[kind].hint}</p>
      <table className={styles.table}>
        <thead>
          <tr>
            <th>Name</th>
            <th>Kind</th>
            <th>Service</th>
            <th>Targets</th>
            <th>Every</th>
            <th>Credentials</th>
            <th>Status</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {sources.map((source) => {
            const shown = status(source);
            return (
              <tr key={source.id} data-source={source.name}>
                <td>{source.name}</td>
                <td>{KINDS[source.kind].label}</td>
                <td>{source.service}</td>
                <td className={styles.muted} title={source.targets.join('\n')}>
                  {source.targets.length === 0 ? 'pushed' : source.targets.length === 1 ? source.targets[0] : `${source.targets[0]} and ${source.targets.length - 1} more`}
                </td>
                <td className={styles.muted}>{source.pollIntervalMs / 1000} s</td>
                <td className={styles.muted}>{source.credentials}</td>
                <td className={shown.failing ? styles.error : undefined} role="status" aria-label={`Status of ${source.name}`}>
                  {shown.text}
                </td>
                <td>
                  <button type="button" className={styles.button} onClick={() => onToggle(source.id, !source.enabled)}>
                    {source.enabled ? 'Disable' : 'Enable'}
                  </button>{' '}
                  <button type="button" className={`${styles.button} ${styles.danger}`} aria-label={`Remove ${source.name}`} onClick={() => onDelete(source.id)}>
                    Remove
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
