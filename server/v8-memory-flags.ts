import v8 from 'node:v8';

/**
 * How much V8 lets the old generation grow past what its last full
 * collection kept before it starts the next one. Left to itself V8 allows up
 * to 4× for a large, steady live set (the aggregate) beside short-lived
 * garbage made at a high rate, and peak RSS ran far past its target. A full
 * collection also frees the buffers of flushes gone by: a lower cap holds the
 * peak down, at the cost of more collections on the second core
 * (docs/configuration.md, "Memory").
 */
export const OLD_GENERATION_GROWTH_PERCENT = 42;

/**
 * Why `--liftoff-only`: Prisma's query compiler is WebAssembly. V8 compiles
 * it with its baseline compiler (Liftoff) and then again, function by
 * function, with its optimizing one, and keeps both: about 26 MB more
 * resident memory than Liftoff alone (measured on the first query of a fresh
 * process). The compiler runs only when Prisma meets a query shape it has
 * not planned yet, and the ingest path does not use Prisma at all (raw pg),
 * so the speed of its code matters little and the memory matters more.
 */
const WASM_FLAGS = '--liftoff-only';

/**
 * V8 flags read only as the process starts, so they go on the command line:
 * `npm start` (package.json), the container (deploy/Dockerfile), the
 * end-to-end tests and the benchmarks pass them. A young generation of 2 ×
 * 32 MB instead of V8's 2 × 16 MB: under a flood of reports the panel makes
 * short-lived garbage at about 300 MB/s (parsed reports, their text), and
 * twice the room halves the young-generation collections and promotes less
 * of what dies soon after, for at most 32 MB more resident (docs/performance.md).
 */
export const NODE_START_FLAGS = ['--max-semi-space-size=32'] as const;

/**
 * Applies both to this process, before anything is compiled or collected:
 * V8 reads the growth cap whenever it sets the next heap limit, and the
 * WebAssembly tiering when a module is compiled (Prisma's, at its first query).
 */
export function applyV8MemoryFlags(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${OLD_GENERATION_GROWTH_PERCENT}`);
  v8.setFlagsFromString(WASM_FLAGS);
}
