/** Plain result lines: the figure, the target beside it, PASS or MISS. */
const LABEL_WIDTH = 38;
const FIGURE_WIDTH = 44;

export const int = (value: number) => Math.round(value).toLocaleString('en-US');
export const ms = (value: number | null) => (value === null ? 'n/a' : `${value.toFixed(0)} ms`);
export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
export const pct = (value: number) => `${(value * 100).toFixed(1)}%`;

export function line(label: string, figure: string, target?: { text: string; pass: boolean }): string {
  const head = `  ${label.padEnd(LABEL_WIDTH)}${figure.padEnd(FIGURE_WIDTH)}`;
  return target ? `${head}target ${target.text.padEnd(14)}${target.pass ? 'PASS' : 'MISS'}` : head.trimEnd();
}
