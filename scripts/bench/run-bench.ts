/**
 * Runs a benchmark's `main` and always cleans up after it: on success, on
 * failure, on Ctrl-C, and when it overruns `giveUpAfterMinutes`, so that no
 * server, fleet or Postgres outlives it.
 */
export function runBench(name: string, giveUpAfterMinutes: number, main: () => Promise<void>, cleanUp: () => Promise<void>): void {
  const deadline = setTimeout(() => {
    process.stderr.write(`${name}: took longer than ${giveUpAfterMinutes} minutes; giving up\n`);
    void cleanUp().finally(() => process.exit(1));
  }, giveUpAfterMinutes * 60_000);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void cleanUp().finally(() => process.exit(130)));
  main()
    .then(cleanUp, async (error: unknown) => {
      process.stderr.write(`${name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
      await cleanUp();
      process.exitCode = 1;
    })
    .finally(() => clearTimeout(deadline));
}
