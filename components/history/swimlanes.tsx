'use client';

import { useEffect, useMemo, useRef, useState, type PointerEvent } from 'react';
import type { TBreakerLane, TDeployMark } from '../../lib/history/timeline';
import { layoutDeployLabels } from './deploy-label-layout';
import { localTime, tickLabel, utcTime } from './format-time';
import { LaneBar } from './lane-bar';
import styles from './history.module.css';

export interface SwimlanesProps {
  from: number;
  to: number;
  lanes: readonly TBreakerLane[];
  deploys: readonly TDeployMark[];
  /** Breakers shown with one lane per instance (their lanes carry `instances`). */
  expanded: ReadonlySet<string>;
  onToggle(breakerId: string): void;
  /** A dragged selection: the range to zoom into. */
  onZoom(from: number, to: number): void;
  linkFor(breakerId: string, at: number): string;
}

const TICKS = 6;
const DEPLOY_LABEL_ROWS = 2;
// Until the lanes are measured: a narrow guess folds more labels, never overlaps them.
const UNMEASURED_WIDTH_PX = 600;

const deployTitle = (deploy: TDeployMark) =>
  `Deploy ${deploy.version}${deploy.previous ? ` (from ${deploy.previous})` : ''} on ${deploy.service}: ${deploy.instances.join(', ')}\n${localTime(deploy.at)} · ${utcTime(deploy.at)}`;

/**
 * One lane per breaker over the range, expandable into its instances, with
 * deploy markers across all lanes; drag across the lanes to zoom into a
 * stretch.
 */
export function Swimlanes({ from, to, lanes, deploys, expanded, onToggle, onZoom, linkFor }: SwimlanesProps) {
  // The axis spans exactly the bars' column: pointer positions are measured against it.
  const area = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<{ start: number; end: number } | null>(null);
  const [widthPx, setWidthPx] = useState(UNMEASURED_WIDTH_PX);
  useEffect(() => {
    const element = area.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => entry && setWidthPx(entry.contentRect.width));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const labels = useMemo(
    () =>
      layoutDeployLabels(
        deploys.map((deploy) => ({ at: deploy.at, text: deploy.version, item: deploy })),
        from,
        to,
        { widthPx, rows: DEPLOY_LABEL_ROWS },
      ),
    [deploys, from, to, widthPx],
  );
  const labelRows = labels.length === 0 ? 0 : Math.max(...labels.map((label) => label.row)) + 1;
  const span = Math.max(1, to - from);
  const fraction = (event: PointerEvent) => {
    const box = area.current!.getBoundingClientRect();
    return Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
  };
  const finish = () => {
    if (drag && Math.abs(drag.end - drag.start) > 0.01) onZoom(from + Math.min(drag.start, drag.end) * span, from + Math.max(drag.start, drag.end) * span);
    setDrag(null);
  };
  const ticks = Array.from({ length: TICKS + 1 }, (_, index) => from + (span * index) / TICKS);

  return (
    <div className={styles.lanes}>
      <div className={styles.axisRow}>
        <span />
        <div className={styles.axis} ref={area}>
          {ticks.map((tick, index) => (
            <time key={tick} dateTime={new Date(tick).toISOString()} title={utcTime(tick)} style={{ left: `${(index / TICKS) * 100}%` }}>
              {tickLabel(tick, span)}
            </time>
          ))}
        </div>
      </div>
      {labelRows > 0 ? (
        <div className={styles.axisRow}>
          <span className={styles.muted}>Deploys</span>
          <div className={styles.deployRow} style={{ height: `${labelRows * 1.1}rem` }} role="group" aria-label="Deploys">
            {labels.map((label) => (
              <span
                key={`${label.item.service}-${label.item.at}-${label.item.version}`}
                className={styles.deployLabel}
                data-anchor={label.anchor}
                style={{ left: `${label.position * 100}%`, top: `${label.row * 1.1}rem` }}
                title={[label.item, ...label.folded].map(deployTitle).join('\n\n')}
              >
                ⇡ {label.text}
                {label.folded.length > 0 ? <span className={styles.muted}> +{label.folded.length}</span> : null}
              </span>
            ))}
          </div>
        </div>
      ) : null}
      <div
        className={styles.laneArea}
        onPointerDown={(event) => {
          // Markers, links and buttons stay clickable: only a drag on the bars zooms.
          if (event.button !== 0 || (event.target as Element).closest('a, button') || !(event.target as Element).closest('svg')) return;
          const at = fraction(event);
          setDrag({ start: at, end: at });
        }}
        onPointerMove={(event) => drag && setDrag({ ...drag, end: fraction(event) })}
        onPointerUp={finish}
        onPointerLeave={() => setDrag(null)}
      >
        <div className={styles.laneList}>
          {lanes.map((lane) => (
            <div key={lane.breakerId} className={styles.laneGroup}>
              <div className={styles.laneRow}>
                <div className={styles.laneLabel}>
                  <button type="button" aria-expanded={expanded.has(lane.breakerId)} onClick={() => onToggle(lane.breakerId)} aria-label={`Instances of ${lane.service}/${lane.breaker}`}>
                    {expanded.has(lane.breakerId) ? '▾' : '▸'}
                  </button>
                  <a href={linkFor(lane.breakerId, to)} title={`${lane.service} / ${lane.breaker}`}>
                    <span className={styles.muted}>{lane.service}/</span>
                    {lane.breaker}
                  </a>
                </div>
                <LaneBar
                  label={`${lane.service}/${lane.breaker}`}
                  from={from}
                  to={to}
                  segments={lane.segments}
                  trips={lane.trips}
                  actions={lane.actions}
                  linkFor={(at) => linkFor(lane.breakerId, at)}
                />
              </div>
              {expanded.has(lane.breakerId) && !lane.instances ? <p className={styles.instanceRow}>Loading instances…</p> : null}
              {expanded.has(lane.breakerId)
                ? lane.instances?.map((instance) => (
                    <div key={instance.instanceId} className={`${styles.laneRow} ${styles.instanceRow}`}>
                      <div className={styles.laneLabel}>{instance.name}</div>
                      <LaneBar label={`${lane.breaker} on ${instance.name}`} from={from} to={to} segments={instance.segments} />
                    </div>
                  ))
                : null}
            </div>
          ))}
        </div>
        <div className={styles.overlay} aria-hidden={deploys.length === 0}>
          {deploys.map((deploy) => (
            <span key={`${deploy.service}-${deploy.at}-${deploy.version}`} className={styles.deploy} style={{ left: `${((deploy.at - from) / span) * 100}%` }} title={deployTitle(deploy)} />
          ))}
          {drag ? <span className={styles.selection} style={{ left: `${Math.min(drag.start, drag.end) * 100}%`, width: `${Math.abs(drag.end - drag.start) * 100}%` }} /> : null}
        </div>
      </div>
    </div>
  );
}
