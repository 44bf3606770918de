/** The benchmark's command line: `npm run bench:ingest -- [--quick] [--instances 2000] …`. */
export interface BenchArgs {
  instances: number;
  breakers: number;
  instancesPerService: number;
  /** The paced measurement window and the warm-up before it, seconds. */
  duration: number;
  warmup: number;
  /** The closed-loop window of each server (ceiling and ours), seconds. */
  closed: number;
  probes: number;
  intervalMs: number;
  quick: boolean;
  skipCeiling: boolean;
  /** Write a V8 CPU profile of the panel process into this folder. */
  profileDir: string | null;
}

const USAGE = `usage: npm run bench:ingest -- [--quick] [--instances N] [--breakers N] [--per-service N]
       [--duration S] [--warmup S] [--closed S] [--probes N] [--interval-ms MS] [--skip-ceiling] [--profile DIR]`;

export function parseArgs(argv: readonly string[]): BenchArgs {
  const quick = argv.includes('--quick');
  const args: BenchArgs = quick
    ? { instances: 200, breakers: 50, instancesPerService: 10, duration: 8, warmup: 3, closed: 4, probes: 20, intervalMs: 1000, quick, skipCeiling: false, profileDir: null }
    : { instances: 2000, breakers: 50, instancesPerService: 10, duration: 60, warmup: 10, closed: 20, probes: 100, intervalMs: 1000, quick, skipCeiling: false, profileDir: null };
  const numeric: Record<string, keyof BenchArgs> = {
    '--instances': 'instances',
    '--breakers': 'breakers',
    '--per-service': 'instancesPerService',
    '--duration': 'duration',
    '--warmup': 'warmup',
    '--closed': 'closed',
    '--probes': 'probes',
    '--interval-ms': 'intervalMs',
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--quick') continue;
    if (flag === '--skip-ceiling') args.skipCeiling = true;
    else if (flag === '--profile') args.profileDir = argv[++i] ?? null;
    else if (flag in numeric) {
      const value = Number(argv[++i]);
      if (!Number.isFinite(value) || value < 0) throw new Error(`${flag} needs a number\n${USAGE}`);
      (args[numeric[flag]!] as number) = value;
    } else throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  if (args.instances < 1 || args.breakers < 1 || args.instancesPerService < 1 || args.duration <= 0 || args.intervalMs <= 0)
    throw new Error(`instances, breakers, per-service, duration and interval must be positive\n${USAGE}`);
  // Bounded on purpose: the whole run must end by itself in minutes.
  if (args.duration + args.warmup + 2 * args.closed > 480) throw new Error('duration + warmup + 2 × closed must stay within 480 s');
  return args;
}
