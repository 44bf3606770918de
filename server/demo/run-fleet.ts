import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { DEMO_FLEET } from './fleet-plan';

// The instance is TypeScript, run through tsx, wherever this module runs from (the compiled server included).
const instanceScript = (rootDir: string) => path.join(rootDir, 'server', 'demo', 'demo-instance.ts');
const ZONES = ['eu-1', 'eu-2', 'us-1'];

export interface DemoFleet {
  processes: number;
  stop(): Promise<void>;
}

/**
 * Starts every instance of the demo fleet as its own Node process (real SDK,
 * real socket). `keys` maps each service to an API key bound to it; services
 * without a key are left out.
 */
export function startDemoFleet({
  url,
  keys,
  onExit,
  speed = 1,
  maxInstancesPerService = Infinity,
  rootDir = path.resolve(import.meta.dirname, '../..'),
}: {
  url: string;
  keys: ReadonlyMap<string, string>;
  onExit?: (instance: string, code: number | null) => void;
  speed?: number;
  maxInstancesPerService?: number;
  /** The project's root; the compiled server passes its own, as this module's folder is not server/demo there. */
  rootDir?: string;
}): DemoFleet {
  const epoch = Date.now();
  const children: ChildProcess[] = [];
  for (const service of DEMO_FLEET) {
    const apiKey = keys.get(service.name);
    if (!apiKey) continue;
    for (let index = 1; index <= Math.min(service.instances, maxInstancesPerService); index += 1) {
      const instance = `${service.name}-${index}`;
      const labels = { zone: ZONES[(index - 1) % ZONES.length]!, version: index === service.instances && service.instances > 2 ? '1.5.0' : '1.4.2', demo: 'true' };
      const child = fork(instanceScript(rootDir), [], {
        execArgv: ['--import', 'tsx'],
        env: { ...process.env, DEMO_INSTANCE: JSON.stringify({ url, apiKey, service: service.name, instance, labels, dependencies: service.dependencies, epoch, speed }) },
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      });
      child.once('exit', (code) => onExit?.(instance, code));
      children.push(child);
    }
  }
  return {
    processes: children.length,
    async stop() {
      await Promise.all(
        children.map((child) =>
          child.exitCode !== null
            ? undefined
            : new Promise<void>((resolve) => {
                child.once('exit', () => resolve());
                child.kill('SIGTERM');
                setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
              }),
        ),
      );
    },
  };
}
