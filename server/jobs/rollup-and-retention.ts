import type pg from 'pg';
import type { Logger } from '../logger';
import { BREAKER_BUCKETS_10S, dropPartitionsBefore, ensurePartition, INSTANCE_BUCKETS } from '../store/partitions';
import { deleteBucketsBefore, rollUp } from '../store/rollup-store';
import { startPeriodicJob } from './periodic-job';

export interface RetentionConfig {
  tenSecondMs: number;
  oneMinuteMs: number;
  oneHourMs: number;
  instanceBucketMs: number;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** How far back a run rolls up again (before the end of the last complete minute and hour). */
export interface RerollWindows {
  minutesMs: number;
  /** 0: no hourly rollup in this run. */
  hoursMs: number;
}

// Far enough back to take in flushes that came late (a database that was away); well inside every retention period.
export const FULL_REROLL: RerollWindows = { minutesMs: 15 * MINUTE, hoursMs: 2 * HOUR };
// Every other run: the minutes just ended, twice each (a closed 10 s bucket is written a few seconds after its minute ends).
// At 10,000 breakers a full run sums 900,000 10 s rows into minutes, and 1.2 million minute rows into hours, every minute.
const LIGHT_REROLL_MINUTES = 2 * MINUTE;
const FULL_REROLL_EVERY_RUNS = 15;
// Another key than the migrator's: servers sharing a database run the job one at a time.
const JOB_LOCK_KEY = 72707370;

const floorTo = (at: number, span: number) => at - (at % span);

export interface JobRun {
  ran: boolean;
  minuteBuckets: number;
  hourBuckets: number;
  droppedPartitions: string[];
  deletedRows: number;
}

/**
 * One pass of the background job: partitions for now and the next period,
 * 10 s → 1 min → 1 h rollups of the completed periods within `reroll`, and
 * retention.
 */
export async function runRollupAndRetention(pool: pg.Pool, now: number, retention: RetentionConfig, reroll: RerollWindows = FULL_REROLL): Promise<JobRun> {
  const lock = await pool.connect();
  try {
    const { rows } = await lock.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [JOB_LOCK_KEY]);
    if (!rows[0]?.locked) return { ran: false, minuteBuckets: 0, hourBuckets: 0, droppedPartitions: [], deletedRows: 0 };
    try {
      for (const at of [now, now + BREAKER_BUCKETS_10S.spanMs]) await ensurePartition(pool, BREAKER_BUCKETS_10S, at);
      for (const at of [now, now + INSTANCE_BUCKETS.spanMs]) await ensurePartition(pool, INSTANCE_BUCKETS, at);

      const minuteEnd = new Date(floorTo(now, MINUTE));
      const minuteBuckets = await rollUp(pool, 10, 60, new Date(minuteEnd.getTime() - reroll.minutesMs), minuteEnd);
      const hourEnd = new Date(floorTo(now, HOUR));
      const hourBuckets = reroll.hoursMs > 0 ? await rollUp(pool, 60, 3600, new Date(hourEnd.getTime() - reroll.hoursMs), hourEnd) : 0;

      const droppedPartitions = [
        ...(await dropPartitionsBefore(pool, BREAKER_BUCKETS_10S, new Date(now - retention.tenSecondMs))),
        ...(await dropPartitionsBefore(pool, INSTANCE_BUCKETS, new Date(now - retention.instanceBucketMs))),
      ];
      // The 10 s partition of a day is dropped whole once the day is past retention; rows of the
      // day that straddles the limit are deleted here so that no query sees them either.
      const deletedRows =
        (await deleteBucketsBefore(pool, 10, new Date(now - retention.tenSecondMs))) +
        (await deleteBucketsBefore(pool, 60, new Date(now - retention.oneMinuteMs))) +
        (await deleteBucketsBefore(pool, 3600, new Date(now - retention.oneHourMs)));
      return { ran: true, minuteBuckets, hourBuckets, droppedPartitions, deletedRows };
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [JOB_LOCK_KEY]);
    }
  } finally {
    lock.release();
  }
}

/**
 * Which windows a run rolls up again: every FULL_REROLL_EVERY_RUNS-th run
 * (the first included) goes back far enough for late flushes; the others
 * roll the minutes just ended, and the hour just ended once it has.
 */
export function rerollSchedule() {
  let runs = 0;
  let lastRunAt: number | null = null;
  return (at: number): RerollWindows => {
    const full = runs % FULL_REROLL_EVERY_RUNS === 0;
    const hourEnded = lastRunAt !== null && floorTo(at, HOUR) !== floorTo(lastRunAt, HOUR);
    runs += 1;
    lastRunAt = at;
    return full ? FULL_REROLL : { minutesMs: LIGHT_REROLL_MINUTES, hoursMs: hourEnded ? HOUR : 0 };
  };
}

/** Runs the job now and then every `intervalMs`; a failed run is logged and the next one tries again. */
export function startRollupJob({ pool, now, retention, logger, intervalMs }: { pool: pg.Pool; now: () => number; retention: RetentionConfig; logger: Logger; intervalMs: number }) {
  const windows = rerollSchedule();
  // Its first run creates today's partitions, so the caller awaits `first` before any flush.
  return startPeriodicJob(() => {
    const at = now();
    return runRollupAndRetention(pool, at, retention, windows(at)).then(
      (result) => {
        if (result.droppedPartitions.length || result.deletedRows) logger.info(result, 'retention removed old buckets');
      },
      (error: unknown) => logger.warn({ err: error }, 'rollup and retention failed; will retry'),
    );
  }, intervalMs);
}
