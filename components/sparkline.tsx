/** A tiny inline trend: the values as a polyline, scaled to their own maximum. */
export function Sparkline({ values, label, width = 90, height = 20 }: { values: readonly number[]; label: string; width?: number; height?: number }) {
  if (values.length < 2) return <svg width={width} height={height} role="img" aria-label={`${label}: not enough data yet`} />;
  const max = Math.max(...values, 1e-9);
  const step = width / (values.length - 1);
  const points = values.map((value, index) => `${(index * step).toFixed(1)},${(height - 1 - (value / max) * (height - 2)).toFixed(1)}`).join(' ');
  return (
    <svg width={width} height={height} role="img" aria-label={label}>
      <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.25" />
    </svg>
  );
}
