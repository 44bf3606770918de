import { formatTime } from './format-time';

/** An epoch-ms time as local date and minute, or a dash for none. */
export const formatEpoch = (ms: number | null) => formatTime(ms === null ? null : new Date(ms).toISOString());
