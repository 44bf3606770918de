import { spawn, type ChildProcess } from 'node:child_process';
import { stat } from 'node:fs/promises';
import os from 'node:os';
import { pidAlive } from './process-liveness';
import { readPostmasterFile } from './postmaster-file';

export interface PostmasterOptions {
  binary: string;
  dataDir: string;
  port: number;
  flags: string[];
  onLog(line: string): void;
}

export interface Postmaster {
  pid: number;
  /** Resolves with how it ended, whether asked to or not. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Fast shutdown (SIGINT: roll back open transactions, checkpoint, exit); resolves once it has gone. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 120_000;

/**
 * Runs the `postgres` server on a data folder and resolves once it accepts
 * connections. It gets a process group of its own, so a Ctrl-C in the
 * terminal reaches the panel, which stops it last, and not the database
 * under a shutdown that still writes to it. Run as the data folder's owner
 * when this process is root, since Postgres refuses to run as root.
 */
export async function startPostmaster({ binary, dataDir, port, flags, onLog }: PostmasterOptions): Promise<Postmaster> {
  const owner = os.userInfo().uid === 0 ? await stat(dataDir) : null;
  const child: ChildProcess = spawn(binary, ['-D', dataDir, '-p', String(port), ...flags], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    ...(owner ? { uid: owner.uid, gid: owner.gid } : {}),
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    for (const line of chunk.split('\n')) if (line.trim()) onLog(line.trim());
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: null, signal: null }));
  });
  let gone = false;
  void exited.then(() => (gone = true));

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!gone) {
    const file = await readPostmasterFile(dataDir);
    if (file && file.pid === child.pid && file.status === 'ready') break;
    if (Date.now() > deadline) {
      child.kill('SIGQUIT');
      throw new Error(`Postgres did not accept connections within ${READY_TIMEOUT_MS / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (gone) {
    const { code, signal } = await exited;
    throw new Error(`Postgres exited while starting (${signal ?? `code ${code}`}); its log is in the debug output`);
  }
  return {
    pid: child.pid!,
    exited,
    async stop() {
      if (gone) return;
      child.kill('SIGINT');
      await exited;
    },
  };
}

/**
 * Stops a Postgres that this process did not start (one left behind by a
 * panel that died): fast shutdown first, then immediate shutdown, then kill,
 * each after a wait; resolves once the pid is gone.
 */
export async function stopForeignPostmaster(pid: number, { fastMs = 30_000, immediateMs = 10_000 } = {}): Promise<void> {
  const waitGone = async (ms: number) => {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (!pidAlive(pid)) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return !pidAlive(pid);
  };
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(pid, name);
    } catch {
      // Gone already.
    }
  };
  signal('SIGINT');
  if (await waitGone(fastMs)) return;
  signal('SIGQUIT');
  if (await waitGone(immediateMs)) return;
  signal('SIGKILL');
  if (!(await waitGone(immediateMs))) throw new Error(`The Postgres left behind (pid ${pid}) does not stop`);
}
