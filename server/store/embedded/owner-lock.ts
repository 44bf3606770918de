import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { processStartTime, sameProcessAlive } from './process-liveness';

/** The file naming the process that runs a data folder's cluster: beside the folder, like its secret. */
export function ownerLockFileOf(dataDir: string): string {
  return path.join(path.dirname(dataDir), `${path.basename(dataDir)}.owner`);
}

interface OwnerRecord {
  pid: number;
  startTime: string | null;
}

export interface OwnerLock {
  /** The owner before this one, when it died without letting go: its cluster may still run. */
  previous: OwnerRecord | null;
  release(): Promise<void>;
}

export class DataFolderInUseError extends Error {
  override name = 'DataFolderInUseError';
}

async function readOwner(file: string): Promise<OwnerRecord | null> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (typeof parsed === 'object' && parsed && 'pid' in parsed && typeof parsed.pid === 'number') {
      const startTime = 'startTime' in parsed && typeof parsed.startTime === 'string' ? parsed.startTime : null;
      return { pid: parsed.pid, startTime };
    }
    return { pid: 0, startTime: null };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    // Half-written by an owner that crashed while writing it: nobody holds it.
    if (error instanceof SyntaxError) return { pid: 0, startTime: null };
    throw error;
  }
}

/**
 * Makes this process the one owner of a data folder's cluster. A live owner
 * (the same pid and start time) refuses; a dead one is replaced and returned
 * as `previous`, so the caller can stop the cluster it left behind. The file
 * is created exclusively, so of two processes starting at once one wins.
 */
export async function acquireOwnerLock(dataDir: string): Promise<OwnerLock> {
  const file = ownerLockFileOf(dataDir);
  const mine: OwnerRecord = { pid: process.pid, startTime: processStartTime(process.pid) };
  let previous: OwnerRecord | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o644);
      try {
        await handle.writeFile(`${JSON.stringify(mine)}\n`);
      } finally {
        await handle.close();
      }
      return {
        previous,
        async release() {
          const owner = await readOwner(file).catch(() => null);
          if (owner?.pid === mine.pid && owner.startTime === mine.startTime) await rm(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = await readOwner(file);
    if (owner && owner.pid !== process.pid && sameProcessAlive(owner.pid, owner.startTime)) {
      throw new DataFolderInUseError(`The data folder ${dataDir} is in use by a running Breaker Panel (pid ${owner.pid}); stop it first or use another PG_DATA_DIR`);
    }
    previous = owner && owner.pid > 0 ? owner : previous;
    await rm(file, { force: true });
  }
  throw new DataFolderInUseError(`Could not take ${file}: another process keeps taking it`);
}
