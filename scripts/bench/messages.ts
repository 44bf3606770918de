/**
 * What the benchmark's processes tell each other over Node's IPC channel. The
 * orchestrator (scripts/bench-ingest.ts) drives; the panel, the bare server and
 * the fleet each answer with one message per request.
 */

/** The panel child (scripts/bench/panel-process.ts). */
export type PanelRequest = { type: 'flush' } | { type: 'stop' };
export type PanelMessage =
  | { type: 'ready'; port: number; keys: Record<string, string> }
  | { type: 'flushed'; flushMs: number; tracked: { instances: number; breakers: number; pairs: number }; loopDelayMs: { p99: number; max: number }; peakMemory: MemoryPeaks };

/** The bare Socket.IO server child (scripts/bench/bare-socket-server.ts). */
export type BareMessage = { type: 'ready'; port: number };

export interface FleetSpec {
  url: string;
  /** One API key per service; the bare server takes any key. */
  keys: Record<string, string>;
  instances: number;
  breakers: number;
  instancesPerService: number;
  /** Instances whose first breaker toggles CLOSED/OPEN on every report, for the latency probe. */
  probes: number;
  /**
   * Without it every service names its breakers `dependency-0…n`; with it, service s's breaker b is
   * `dependency-((7s + 13b) mod dependencies)`, so services share some dependencies and not others, as
   * on the dependency map of a real fleet (distinct within a service while 13 and `dependencies` share no factor).
   */
  dependencies?: number;
  /** Servers to spread the instances over (instance i → urls[i mod n]); `url` alone when absent. */
  urls?: string[];
  /** Probe instances also send each state change as a `transition:report`, replayed after a reconnect until acknowledged. */
  transitions?: boolean;
  /**
   * An instance whose server goes away connects again to a server of the
   * current list (FleetRequest `servers`), as it would through a balancer,
   * registers again and goes on with its run.
   */
  failover?: boolean;
}

export type FleetRequest =
  | { type: 'connect' }
  /** The servers a balancer would send new connections to from now on. */
  | { type: 'servers'; urls: string[] }
  /** Answers `recovered` once every instance that lost its server since the last `servers` is registered elsewhere and had a report acknowledged. */
  | { type: 'watch-recovery'; timeoutMs: number }
  /** Waits until every transition sent was acknowledged (or the timeout passed), then answers `transitions`. */
  | { type: 'drain-transitions'; timeoutMs: number }
  | { type: 'paced'; warmupMs: number; windowMs: number; intervalMs: number }
  | { type: 'closed'; warmupMs: number; windowMs: number }
  | { type: 'close' };

/** One probe report: the probe breaker's state in it and when it left the fleet (epoch ms). */
export interface ProbeSend {
  name: string;
  state: 'OPEN' | 'CLOSED';
  sentAt: number;
}

/** The length of the slices a window's acknowledgements are also counted in. */
export const SLICE_MS = 5_000;

export interface PhaseStats {
  windowMs: number;
  /** Reports sent during the measurement window, and how many of those were acknowledged (ok). */
  sentInWindow: number;
  ackedInWindow: number;
  breakersPerReport: number;
  /** Reports answered with an error, over the whole phase, and the first error seen. */
  errors: number;
  firstError: string | null;
  /** Reports a paced instance skipped because too many of its reports were still unacknowledged. */
  skipped: number;
  /** Reports not sent because the instance had no server at the time (between a server's death and its reconnection). */
  offline: number;
  /** Reports acknowledged (ok) in each SLICE_MS of the window, by when the acknowledgement came: whether the rate held steady. */
  ackedBySlice: number[];
  /** Report sent → acknowledgement received, ms, over the window. */
  ackP50Ms: number | null;
  ackP99Ms: number | null;
  /** Reports still unacknowledged when the phase gave up waiting. */
  unacknowledged: number;
  probes: ProbeSend[];
}

/** What the fleet has had acknowledged since it connected: the sums the store must hold. */
export interface AckedTotals {
  /** Sum of the six outcome counters over every breaker, as of each instance's last acknowledged report. */
  counters: number;
  /** Sum of the latency histogram counts, likewise. */
  histogram: number;
  reports: number;
}

export type FleetMessage =
  | { type: 'connected'; connectMs: number; registered: number; failed: number; firstError: string | null }
  | { type: 'phase'; stats: PhaseStats; totals: AckedTotals }
  | { type: 'fatal'; message: string }
  /** Instances that lost their server, and when (epoch ms) the last of them had its first report acknowledged by another (null: not all did). */
  | { type: 'recovered'; moved: number; back: number; lastBackAt: number | null; firstLostAt: number | null }
  | { type: 'transitions'; sent: number; acknowledged: number; unacknowledged: number };

/** The highest value each of `process.memoryUsage()`'s figures reached (sampled twice a second), in bytes. */
export interface MemoryPeaks {
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}
