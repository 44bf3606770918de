/** Compact numbers for dense rows: a dash when there is nothing to show. */
export const formatRate = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));
export const formatPercent = (value: number | null) => (value === null ? '–' : `${value.toFixed(value >= 10 ? 0 : 1)}%`);
