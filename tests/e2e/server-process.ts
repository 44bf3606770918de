import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../server/store/embedded-postgres';
import { NODE_START_FLAGS } from '../../server/v8-memory-flags';

const ROOT_DIR = path.resolve(import.meta.dirname, '../..');

export interface ServerProcess {
  url: string;
  /** SIGTERM, then the exit code once the process has gone. */
  stop(): Promise<number | null>;
  /** Starts it again on the same port and database. */
  start(): Promise<void>;
  output(): string;
}

async function waitForHealth(url: string, child: ChildProcess, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    try {
      // Ready means the API answers and the pages are prepared (the sign-in page needs no session).
      const [health, page] = await Promise.all([fetch(`${url}/api/health`), fetch(`${url}/sign-in`)]);
      if (health.ok && page.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the server did not become healthy in time');
}

/** The real server, as `npm start` runs it, in its own process on a free port. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let log = '';
  const start = async () => {
    child = spawn(process.execPath, [...NODE_START_FLAGS, '.build/index.mjs'], {
      cwd: ROOT_DIR,
      env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    await waitForHealth(url, child, 60_000);
  };
  await start();
  return {
    url,
    start,
    output: () => log,
    stop: async () => {
      const running = child;
      if (!running || running.exitCode !== null) return running?.exitCode ?? null;
      const exited = new Promise<number | null>((resolve) =>
        running.once('exit', (code) => {
          // A test sees only the exit code: the server's own words say why it was not 0.
          if (code !== 0) process.stderr.write(`the server exited with code ${code}; the end of its output:\n${log.slice(-4_000)}\n`);
          resolve(code);
        }),
      );
      running.kill('SIGTERM');
      return exited;
    },
  };
}
