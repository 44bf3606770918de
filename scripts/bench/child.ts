import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export interface BenchChild<Request, Message extends { type: string }> {
  pid: number;
  send(request: Request): void;
  /** The next message of a type (already received or still to come), or an error after `timeoutMs` or if the child dies. */
  next<Type extends Message['type']>(type: Type, timeoutMs: number): Promise<Extract<Message, { type: Type }>>;
  /** Asks nicely (SIGTERM), then insists (SIGKILL) after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

/** BENCH_CPU_PROF_DIR=dir writes a V8 CPU profile of every child to dir when it exits cleanly (NODE_OPTIONS refuses --cpu-prof). */
function profiling(name: string): string[] {
  const dir = process.env.BENCH_CPU_PROF_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name.replace(/\W+/g, '-')}.cpuprofile`] : [];
}

/**
 * Runs a script in its own Node process (TypeScript through tsx) with an IPC
 * channel. Messages are queued by type, so a reply that arrives before anyone
 * waits for it is not lost.
 */
export function startChild<Request, Message extends { type: string }>(script: string, options: { env?: Record<string, string>; execArgv?: string[]; name: string }): BenchChild<Request, Message> {
  const child: ChildProcess = fork(script, [], {
    execArgv: [...(script.endsWith('.ts') ? ['--import', 'tsx'] : []), ...profiling(options.name), ...(options.execArgv ?? [])],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const received: Message[] = [];
  const waiters = new Set<{ type: string; resolve(message: Message): void; reject(error: Error): void }>();
  let exited: Error | null = null;

  child.on('message', (raw) => {
    const message = raw as Message;
    for (const waiter of waiters) {
      if (waiter.type === message.type) {
        waiters.delete(waiter);
        return waiter.resolve(message);
      }
    }
    received.push(message);
  });
  child.once('exit', (code, signal) => {
    exited = new Error(`${options.name} exited (${signal ?? `code ${code}`})`);
    for (const waiter of waiters) waiter.reject(exited);
    waiters.clear();
  });

  return {
    pid: child.pid ?? -1,
    send(request) {
      if (child.connected) child.send(request as object);
    },
    next<Type extends Message['type']>(type: Type, timeoutMs: number): Promise<Extract<Message, { type: Type }>> {
      type Wanted = Extract<Message, { type: Type }>;
      const index = received.findIndex((message) => message.type === type);
      if (index !== -1) return Promise.resolve(received.splice(index, 1)[0] as Wanted);
      if (exited) return Promise.reject(exited);
      return new Promise<Wanted>((resolve, reject) => {
        const waiter = {
          type,
          resolve: (message: Message) => (clearTimeout(timer), resolve(message as Wanted)),
          reject: (error: Error) => (clearTimeout(timer), reject(error)),
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`${options.name}: no "${type}" within ${Math.round(timeoutMs / 1000)} s`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = once(child, 'exit');
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await gone;
      clearTimeout(force);
    },
  };
}
