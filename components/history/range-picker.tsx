'use client';

import { useState } from 'react';
import styles from './history.module.css';

export interface RangePickerProps {
  presets: ReadonlyArray<{ key: string; label: string }>;
  active: string | null;
  from: number;
  to: number;
  onPreset(key: string): void;
  onRange(from: number, to: number): void;
  onPan(direction: -1 | 1): void;
  onZoomOut(): void;
}

// <input type="datetime-local"> speaks the viewer's local time without a zone: convert at the edge.
const toLocalInput = (ms: number) => {
  const date = new Date(ms);
  return new Date(ms - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
const fromLocalInput = (value: string) => new Date(value).getTime();

/** Presets, a custom range in the viewer's time zone, and pan and zoom-out buttons. */
export function RangePicker({ presets, active, from, to, onPreset, onRange, onPan, onZoomOut }: RangePickerProps) {
  const [custom, setCustom] = useState<{ from: string; to: string } | null>(null);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    <div className={styles.toolbar}>
      <div className={styles.group} role="group" aria-label="Time range">
        {presets.map((preset) => (
          <button key={preset.key} type="button" aria-pressed={preset.key === active} onClick={() => onPreset(preset.key)}>
            {preset.label}
          </button>
        ))}
      </div>
      <form
        className={styles.group}
        aria-label="Custom range"
        onSubmit={(event) => {
          event.preventDefault();
          if (!custom) return;
          const start = fromLocalInput(custom.from);
          const end = fromLocalInput(custom.to);
          if (Number.isFinite(start) && Number.isFinite(end) && end > start) onRange(start, end);
        }}
      >
        <input type="datetime-local" aria-label="From" value={custom?.from ?? toLocalInput(from)} onChange={(event) => setCustom({ from: event.target.value, to: custom?.to ?? toLocalInput(to) })} />
        <span>→</span>
        <input type="datetime-local" aria-label="To" value={custom?.to ?? toLocalInput(to)} onChange={(event) => setCustom({ from: custom?.from ?? toLocalInput(from), to: event.target.value })} />
        <button type="submit">Show</button>
        <span className={styles.muted}>{zone}</span>
      </form>
      <div className={styles.group} role="group" aria-label="Pan and zoom">
        <button type="button" onClick={() => onPan(-1)} aria-label="Earlier">
          ◀ Earlier
        </button>
        <button type="button" onClick={() => onPan(1)} aria-label="Later">
          Later ▶
        </button>
        <button type="button" onClick={onZoomOut}>
          Zoom out
        </button>
        <span className={styles.muted}>Drag across the lanes to zoom in.</span>
      </div>
    </div>
  );
}
