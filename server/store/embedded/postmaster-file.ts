import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface PostmasterFile {
  pid: number;
  port: number;
  /** The postmaster's status line: "ready" once it accepts connections, "starting", "stopping" or "standby". */
  status: string;
}

/**
 * What Postgres writes in a data folder's postmaster.pid while it runs: the
 * pid on line 1, the port on line 4, the status on line 8 (what `pg_ctl -w`
 * waits on). Null when the file is missing or not yet complete.
 */
export async function readPostmasterFile(dataDir: string): Promise<PostmasterFile | null> {
  let text: string;
  try {
    text = await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  return { pid, port: Number.isInteger(port) ? port : 0, status: (lines[7] ?? '').trim() };
}
