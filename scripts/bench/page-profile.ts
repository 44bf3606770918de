import { writeFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';

/** The part of a Chrome DevTools CPU profile that is read here. */
export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples?: number[];
  timeDeltas?: number[];
}

/** Starts Chrome's CPU profiler on the page's main thread; `stop` writes the profile (DevTools' Performance panel opens it) and returns it. */
export async function startPageProfile(page: Page): Promise<{ stop(file: string): Promise<CpuProfile> }> {
  const session = await page.context().newCDPSession(page);
  await session.send('Profiler.enable');
  await session.send('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await session.send('Profiler.stop');
      await writeFile(file, JSON.stringify(profile));
      return profile;
    },
  };
}

/** Prints the functions that spent the most time on their own (self time), with where they live. */
export function printHotFunctions(profile: CpuProfile, top = 25): void {
  const selfMs = new Map<number, number>();
  (profile.samples ?? []).forEach((id, index) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas?.[index] ?? 0) / 1000));
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || '(anonymous)'} ${url.split('/').slice(-1)[0] ?? ''}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + (selfMs.get(node.id) ?? 0));
  }
  const total = [...byFunction.values()].reduce((sum, ms) => sum + ms, 0);
  console.log(`\nmain thread, self time (${total.toFixed(0)} ms sampled):`);
  for (const [name, ms] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms.toFixed(0).padStart(7)} ms ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${name}`);
}
