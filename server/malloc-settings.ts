/**
 * glibc's malloc settings the server runs with, as environment variables
 * (read by the C library at process start, so `npm start` (package.json), the
 * container (deploy/Dockerfile) and the benchmarks set them; a value already
 * in the environment wins). Figures in docs/configuration.md ("Memory").
 *
 * - `MALLOC_ARENA_MAX`: one arena per thread otherwise, each holding memory
 *   freed on it.
 * - `MALLOC_MMAP_THRESHOLD_`: blocks from 128 kB up are mapped on their own
 *   and given back to the system when freed. Left to itself, glibc raises the
 *   threshold to the largest block freed so far (up to 32 MB), and the
 *   megabyte buffers of each bucket flush then stay resident in an arena.
 */
export const MALLOC_SETTINGS = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' } as const;

/** The settings for a child process: the environment's own values first. */
export const mallocSettingsFrom = (env: NodeJS.ProcessEnv): Record<keyof typeof MALLOC_SETTINGS, string> => ({
  MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX ?? MALLOC_SETTINGS.MALLOC_ARENA_MAX,
  MALLOC_MMAP_THRESHOLD_: env.MALLOC_MMAP_THRESHOLD_ ?? MALLOC_SETTINGS.MALLOC_MMAP_THRESHOLD_,
});
