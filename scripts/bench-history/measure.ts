/** The median of some samples (the mean of the middle two for an even count). */
export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Times `runs` calls after `warmups` untimed ones; each call gets its run index, so runs can vary what they ask. */
export async function timeRuns(runs: number, warmups: number, call: (run: number) => Promise<unknown>): Promise<number[]> {
  for (let run = 0; run < warmups; run += 1) await call(run);
  const samples: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const began = performance.now();
    await call(run);
    samples.push(performance.now() - began);
  }
  return samples;
}
