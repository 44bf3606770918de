import type pg from 'pg';
import { catchUpEpisodes } from '../history/episode-catch-up';
import type { Logger } from '../logger';
import { startPeriodicJob } from './periodic-job';

/**
 * Keeps trip_episodes current in the background, so that the history page's
 * incidents request, which catches up too, finds little left to do: on a
 * month of data that has never been read the first catch-up takes seconds,
 * and it should not be an SRE opening the page mid-incident who waits for it.
 * Not awaited at start.
 */
export function startEpisodeCatchUpJob({ pool, logger, intervalMs }: { pool: pg.Pool; logger: Logger; intervalMs: number }) {
  return startPeriodicJob(async () => {
    const began = performance.now();
    try {
      await catchUpEpisodes(pool);
      const tookMs = performance.now() - began;
      if (tookMs > 1_000) logger.info({ tookMs: Math.round(tookMs) }, 'trip episodes brought up to date');
    } catch (error) {
      logger.warn({ err: error }, 'trip episode catch-up failed; will retry');
    }
  }, intervalMs);
}
