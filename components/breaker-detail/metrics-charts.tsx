'use client';

import { Area, AreaChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { TMetricsPoint } from '../../lib/api/metrics-series';
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

interface ChartsProps {
  points: ChartPoint[];
  from: number;
  to: number;
  failureThreshold: number | null;
  slowThreshold: number | null;
}

/** Calls by outcome, failure and slow-call rates against their thresholds, latency percentiles. */
export function MetricsCharts({ points, from, to, failureThreshold, slowThreshold }: ChartsProps) {
  const tick = formatTick(to - from);
  const xAxis = <XAxis dataKey="start" type="number" domain={[from, to]} scale="time" tickFormatter={tick} fontSize={11} />;
  const tooltip = <Tooltip labelFormatter={(value) => new Date(Number(value)).toLocaleString()} formatter={(value) => (typeof value === 'number' ? value.toFixed(2) : String(value))} />;
  const peakFailure = Math.max(0, ...points.map((point) => point.failureRate ?? 0));
  const peakCalls = Math.max(0, ...points.map((point) => point.success + point.failure + point.timeout + point.rejected));
  return (
    <div className={styles.charts}>
      <p className={styles.muted} aria-label="Range summary">
        Peak failure rate {peakFailure.toFixed(0)}% · peak {peakCalls.toFixed(1)} calls/s
      </p>
      <figure className={styles.chart} aria-label="Calls per second by outcome">
        <figcaption>Calls per second by outcome</figcaption>
        <ResponsiveContainer width="100%" height={180}>
          <AreaChart data={points} syncId="breaker">
            <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
            {xAxis}
            <YAxis fontSize={11} width={44} />
            {tooltip}
            <Legend />
            {(['success', 'failure', 'timeout', 'rejected'] as const).map((key) => (
              <Area key={key} type="monotone" dataKey={key} stackId="calls" stroke={COLOURS[key]} fill={COLOURS[key]} fillOpacity={0.5} isAnimationActive={false} />
            ))}
          </AreaChart>
        </ResponsiveContainer>
      </figure>
      <figure className={styles.chart} aria-label="Failure and slow-call rate">
        <figcaption>Failure and slow-call rate (%)</figcaption>
        <ResponsiveContainer width="100%" height={160}>
          <LineChart data={points} syncId="breaker">
            <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
            {xAxis}
            <YAxis domain={[0, 100]} fontSize={11} width={44} />
            {tooltip}
            <Legend />
            <Line type="monotone" dataKey="failureRate" name="failure rate" stroke={COLOURS.failure} dot={false} isAnimationActive={false} connectNulls />
            <Line type="monotone" dataKey="slowRate" name="slow-call rate" stroke={COLOURS.slow} dot={false} isAnimationActive={false} connectNulls strokeDasharray="5 3" />
            {failureThreshold !== null && <ReferenceLine y={failureThreshold} stroke={COLOURS.failure} strokeDasharray="2 2" label={{ value: `failure threshold ${failureThreshold}%`, fontSize: 10, position: 'insideTopLeft' }} />}
            {slowThreshold !== null && <ReferenceLine y={slowThreshold} stroke={COLOURS.slow} strokeDasharray="2 2" label={{ value: `slow threshold ${slowThreshold}%`, fontSize: 10, position: 'insideBottomLeft' }} />}
          </LineChart>
        </ResponsiveContainer>
      </figure>
      <figure className={styles.chart} aria-label="Latency percentiles">
        <figcaption>Latency (ms): p50, p90, p99</figcaption>
        <ResponsiveContainer width="100%" height={160}>
          <LineChart data={points} syncId="breaker">
            <CartesianGrid strokeDasharray="3 3" opacity={0.3} />
            {xAxis}
            <YAxis fontSize={11} width={44} />
            {tooltip}
            <Legend />
            {(['p50', 'p90', 'p99'] as const).map((key) => (
              <Line key={key} type="monotone" dataKey={key} stroke={COLOURS[key]} dot={false} isAnimationActive={false} connectNulls />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </figure>
    </div>
  );
}
