'use client';

import { useState } from 'react';
import { Area, AreaChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { TMetricsPoint } from '../../lib/api/metrics-series';
import { formatCount, formatDuration } from '../../lib/format/humanize';
import type { TBreakerState } from '../../lib/protocol/breaker-state';
import { rejectedWhile } from '../rejected-calls-text';
import styles from './breaker-detail.module.css';
import { formatTick } from './time-axis';

export interface ChartPoint {
  start: number;
  success: number;
  failure: number;
  timeout: number;
  rejected: number;
  failureRate: number | null;
  slowRate: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
}

/** Per-second rates and percentages from summed buckets of `stepSeconds`. */
export function toChartPoints(points: TMetricsPoint[], stepSeconds: number): ChartPoint[] {
  return points.map((point) => {
    const executed = point.success + point.failure + point.timeout;
    return {
      start: point.start,
      success: point.success / stepSeconds,
      failure: point.failure / stepSeconds,
      timeout: point.timeout / stepSeconds,
      rejected: point.rejected / stepSeconds,
      failureRate: executed ? ((point.failure + point.timeout) / executed) * 100 : null,
      slowRate: executed ? (point.slow / executed) * 100 : null,
      p50: point.p50Ms,
      p90: point.p90Ms,
      p99: point.p99Ms,
    };
  });
}

// Okabe–Ito: safe for colour-blind readers; every series also has a legend label.
const COLOURS = { success: '#009E73', failure: '#D55E00', timeout: '#E69F00', rejected: '#CC79A7', slow: '#0072B2', p50: '#56B4E9', p90: '#0072B2', p99: '#D55E00' };

// Below this many points a line is a dot or two: say how much data there is instead.
const FEWEST_POINTS_TO_DRAW = 3;

interface ChartsProps {
  points: ChartPoint[];
  /** Seconds per point. */
  stepSeconds: number;
  from: number;
  to: number;
  failureThreshold: number | null;
  slowThreshold: number | null;
  /** The breaker's state now: an open breaker's empty rates are explained in its words. */
  state: TBreakerState | null;
  /** Set when only sources report this breaker and none gives latency: the latency chart says so instead of staying empty. */
  noLatency?: string | null;
}

/** "2 points over 20 s; the charts fill as data arrives", or that there is nothing yet. */
function dataExtentText(points: ChartPoint[], stepSeconds: number): string {
  if (points.length === 0) return 'No calls recorded in this range yet; the charts fill as data arrives.';
  const span = points[points.length - 1]!.start - points[0]!.start + stepSeconds * 1000;
  return `${formatCount(points.length)} ${points.length === 1 ? 'point' : 'points'} over ${formatDuration(span)}; the charts fill as data arrives.`;
}

/** Calls by outcome, failure and slow-call rates against their thresholds, latency percentiles. */
export function MetricsCharts({ points, stepSeconds, from, to, failureThreshold, slowThreshold, state, noLatency = null }: ChartsProps) {
  // Recharts hides a tooltip on mouse leave, but one left active (a synced chart, a pointer parked by a script) stays drawn:
  // unless the pointer or the keyboard focus is inside the charts, no tooltip is shown, whatever recharts thinks.
  const [pointerInside, setPointerInside] = useState(false);
  const [focusInside, setFocusInside] = useState(false);
  const tick = formatTick(to - from);
  const xAxis = <XAxis dataKey="start" type="number" domain={[from, to]} scale="time" tickFormatter={tick} fontSize={11} />;
  const tooltip = (unit: (value: number) => string) => (
    <Tooltip
      active={pointerInside || focusInside ? undefined : false}
      labelFormatter={(value) => new Date(Number(value)).toLocaleString()}
      formatter={(value) => (typeof value === 'number' ? unit(value) : String(value))}
    />
  );
  const peakFailure = Math.max(0, ...points.map((point) => point.failureRate ?? 0));
  const peakCalls = Math.max(0, ...points.map((point) => point.success + point.failure + point.timeout + point.rejected));
  // Rates per second back to counts: an open breaker's empty rate and latency charts say how many calls it turned away.
  const executed = points.reduce((sum, point) => sum + point.success + point.failure + point.timeout, 0) * stepSeconds;
  const rejected = Math.round(points.reduce((sum, point) => sum + point.rejected, 0) * stepSeconds);
  const noneExecuted =
    executed === 0 && rejected > 0 ? `No calls executed in this range: all ${formatCount(rejected)} rejected${rejectedWhile(state)}, so there is no failure rate or latency to draw.` : null;
  return (
    <div
      className={styles.charts}
      onPointerEnter={() => setPointerInside(true)}
      onPointerLeave={() => setPointerInside(false)}
      onFocus={() => setFocusInside(true)}
      onBlur={() => setFocusInside(false)}
    >
      <p className={styles.muted} aria-label="Range summary">
        Peak failure rate {noneExecuted ? '–' : `${peakFailure.toFixed(0)}%`} · peak {peakCalls.toFixed(1)} calls/s
      </p>
      {points.length < FEWEST_POINTS_TO_DRAW ? (
        <p className={styles.chartsPending} role="status">
          {dataExtentText(points, stepSeconds)}
        </p>
      ) : (
        <>
          <figure className={styles.chart} aria-label="Calls per second by outcome">
            <figcaption>Calls per second by outcome</figcaption>
            <ResponsiveContainer width="100%" height={180}>
              <AreaChart data={points} syncId="breaker">
                <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
                {xAxis}
                <YAxis fontSize={11} width={44} />
                {tooltip((value) => `${value.toFixed(2)}/s`)}
                <Legend />
                {(['success', 'failure', 'timeout', 'rejected'] as const).map((key) => (
                  <Area key={key} type="monotone" dataKey={key} stackId="calls" stroke={COLOURS[key]} fill={COLOURS[key]} fillOpacity={0.5} isAnimationActive={false} />
                ))}
              </AreaChart>
            </ResponsiveContainer>
          </figure>
          <figure className={styles.chart} aria-label="Failure and slow-call rate">
            <figcaption>Failure and slow-call rate (%)</figcaption>
            {noneExecuted ? (
              <p className={styles.chartNote}>{noneExecuted}</p>
            ) : (
              <ResponsiveContainer width="100%" height={160}>
                <LineChart data={points} syncId="breaker">
                  <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
                  {xAxis}
                  <YAxis domain={[0, 100]} fontSize={11} width={44} />
                  {tooltip((value) => `${value.toFixed(1)} %`)}
                  <Legend />
                  <Line type="monotone" dataKey="failureRate" name="failure rate" stroke={COLOURS.failure} dot={false} isAnimationActive={false} connectNulls />
                  <Line type="monotone" dataKey="slowRate" name="slow-call rate" stroke={COLOURS.slow} dot={false} isAnimationActive={false} connectNulls strokeDasharray="5 3" />
                  {failureThreshold !== null && (
                    <ReferenceLine
                      y={failureThreshold}
                      stroke={COLOURS.failure}
                      strokeDasharray="2 2"
                      label={{ value: `failure threshold ${failureThreshold}%`, fontSize: 10, position: 'insideTopLeft' }}
                    />
                  )}
                  {slowThreshold !== null && (
                    <ReferenceLine y={slowThreshold} stroke={COLOURS.slow} strokeDasharray="2 2" label={{ value: `slow threshold ${slowThreshold}%`, fontSize: 10, position: 'insideBottomLeft' }} />
                  )}
                </LineChart>
              </ResponsiveContainer>
            )}
          </figure>
          <figure className={styles.chart} aria-label="Latency percentiles">
            <figcaption>Latency: p50, p90, p99</figcaption>
            {noLatency || noneExecuted ? (
              <p className={styles.chartNote}>{noLatency ?? noneExecuted}</p>
            ) : (
              <ResponsiveContainer width="100%" height={160}>
                <LineChart data={points} syncId="breaker">
                  <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
                  {xAxis}
                  <YAxis fontSize={11} width={52} tickFormatter={(value: number) => formatDuration(value)} />
                  {tooltip(formatDuration)}
                  <Legend />
                  {(['p50', 'p90', 'p99'] as const).map((key) => (
                    <Line key={key} type="monotone" dataKey={key} stroke={COLOURS[key]} dot={false} isAnimationActive={false} connectNulls />
                  ))}
                </LineChart>
              </ResponsiveContainer>
            )}
          </figure>
        </>
      )}
    </div>
  );
}
