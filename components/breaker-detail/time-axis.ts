/** Tick labels for time axes: clock time for short ranges, day and time for long ones, in the viewer's zone. */
export function formatTick(rangeMs: number): (value: number) => string {
  const long = rangeMs > 36 * 3_600_000;
  const format = new Intl.DateTimeFormat(undefined, long ? { month: 'short', day: 'numeric', hour: '2-digit' } : { hour: '2-digit', minute: '2-digit' });
  return (value) => format.format(value);
}
