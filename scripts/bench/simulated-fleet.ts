/**
 * The simulated fleet, in its own process: one Socket.IO connection per
 * instance on /agent, `instance:register` first, then `report:send` with
 * cumulative counters and sequence numbers, either paced (one report per
 * instance per interval, spread evenly, whether or not the server keeps up)
 * or closed-loop (each connection sends its next report when the previous one
 * is acknowledged: the most the server can take). Driven over IPC by
 * scripts/bench-ingest.ts; the spec comes in BENCH_FLEET.
 */
import { io, type Socket } from 'socket.io-client';
import type { AgentClientToServerEvents, AgentServerToClientEvents } from '../../lib/protocol/agent-events.js';
import type { TAck } from '../../lib/protocol/ack.js';
import { PROTOCOL_VERSION } from '../../lib/protocol/version.js';
import { SLICE_MS, type AckedTotals, type FleetMessage, type FleetRequest, type FleetSpec, type PhaseStats, type ProbeSend } from './messages';
import { quantile } from './quantile';
import { SimulatedInstance } from './simulated-instance';

type AgentSocket = Socket<AgentServerToClientEvents, AgentClientToServerEvents>;

interface Member {
  instance: SimulatedInstance;
  socket: AgentSocket | null;
  outstanding: number;
  /** The sums as of this instance's last acknowledged report. */
  acked: { counters: number; histogram: number };
}

const CONNECT_CONCURRENCY = 50;
// A paced instance whose reports pile up unacknowledged skips sends rather than queue without bound.
const MAX_OUTSTANDING = 5;
const DRAIN_TIMEOUT_MS = 30_000;

const spec = JSON.parse(process.env.BENCH_FLEET ?? '{}') as FleetSpec;
const tell = (message: FleetMessage) => process.send?.(message);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const probeEvery = spec.probes > 0 ? Math.max(1, Math.floor(spec.instances / spec.probes)) : Infinity;

const nameFor = (service: number) => (spec.dependencies ? (b: number) => `dependency-${(service * 7 + b * 13) % spec.dependencies!}` : undefined);

const members: Member[] = Array.from({ length: spec.instances }, (_, index) => ({
  instance: new SimulatedInstance(
    `svc-${Math.floor(index / spec.instancesPerService)}`,
    index,
    spec.breakers,
    index % probeEvery === 0 && index / probeEvery < spec.probes,
    nameFor(Math.floor(index / spec.instancesPerService)),
  ),
  socket: null,
  outstanding: 0,
  acked: { counters: 0, histogram: 0 },
}));
let outstanding = 0;
let ackedReports = 0;

/** Counts of one phase; its window is where rates and latencies are measured. */
function newPhase(windowStart: number, windowEnd: number) {
  const ackLatencies: number[] = [];
  const probes: ProbeSend[] = [];
  const inWindow = (at: number) => at >= windowStart && at < windowEnd;
  // The window's ends are sums of floating-point times: 5,000.000001 ms is one slice, not two.
  const ackedBySlice = new Array<number>(Math.max(1, Math.ceil((windowEnd - windowStart) / SLICE_MS - 1e-6))).fill(0);
  const stats = { sentInWindow: 0, ackedInWindow: 0, errors: 0, firstError: null as string | null, skipped: 0 };
  return {
    stats,
    probes,
    inWindow,
    /**
     * Sends one report and calls `then` once it is acknowledged. A report
     * counts for the window it was due in (paced reports have a schedule; a
     * late tick must not move warm-up reports into the window).
     */
    send(member: Member, then?: () => void, dueAt?: number): void {
      const report = member.instance.nextReport();
      const sentAt = performance.now();
      const sums = { counters: member.instance.counters, histogram: member.instance.histogram };
      const counted = inWindow(dueAt ?? sentAt);
      if (counted) {
        stats.sentInWindow += 1;
        if (member.instance.probe) probes.push({ name: member.instance.probe, state: member.instance.probeState(), sentAt: Date.now() });
      }
      member.outstanding += 1;
      outstanding += 1;
      member.socket!.emit('report:send', report, (ack: TAck<null>) => {
        const at = performance.now();
        member.outstanding -= 1;
        outstanding -= 1;
        if (ack.ok) {
          ackedReports += 1;
          if (inWindow(at)) ackedBySlice[Math.floor((at - windowStart) / SLICE_MS)]! += 1;
          member.acked.counters = Math.max(member.acked.counters, sums.counters);
          member.acked.histogram = Math.max(member.acked.histogram, sums.histogram);
          if (counted) {
            stats.ackedInWindow += 1;
            ackLatencies.push(at - sentAt);
          }
        } else {
          stats.errors += 1;
          stats.firstError ??= `${ack.error.code}: ${ack.error.message}`;
        }
        then?.();
      });
    },
    async finish(windowMs: number): Promise<{ stats: PhaseStats; totals: AckedTotals }> {
      const deadline = performance.now() + DRAIN_TIMEOUT_MS;
      while (outstanding > 0 && performance.now() < deadline) await sleep(20);
      const totals: AckedTotals = { counters: 0, histogram: 0, reports: ackedReports };
      for (const member of members) {
        totals.counters += member.acked.counters;
        totals.histogram += member.acked.histogram;
      }
      return {
        stats: {
          ...stats,
          ackedBySlice,
          windowMs,
          breakersPerReport: spec.breakers,
          ackP50Ms: quantile(ackLatencies, 0.5),
          ackP99Ms: quantile(ackLatencies, 0.99),
          unacknowledged: outstanding,
          probes,
        },
        totals,
      };
    },
  };
}

async function connectAll(): Promise<void> {
  const started = performance.now();
  let registered = 0;
  let failed = 0;
  let firstError: string | null = null;
  let next = 0;
  const worker = async () => {
    while (next < members.length) {
      const member = members[next++]!;
      try {
        const socket: AgentSocket = io(`${spec.url}/agent`, {
          transports: ['websocket'],
          reconnection: false,
          forceNew: true,
          auth: { apiKey: spec.keys[member.instance.service] ?? 'none', protocolVersion: PROTOCOL_VERSION },
        });
        member.socket = socket;
        await new Promise<void>((resolve, reject) => {
          socket.once('connect', () => resolve());
          socket.once('connect_error', (error) => reject(error));
        });
        const ack = await socket.timeout(30_000).emitWithAck('instance:register', member.instance.registration());
        if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
        registered += 1;
      } catch (error) {
        failed += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECT_CONCURRENCY }, worker));
  tell({ type: 'connected', connectMs: performance.now() - started, registered, failed, firstError });
}

/** One report per instance per interval, spread evenly over the interval, for warm-up plus window. */
async function paced(warmupMs: number, windowMs: number, intervalMs: number): Promise<void> {
  const begin = performance.now();
  const end = begin + warmupMs + windowMs;
  const phase = newPhase(begin + warmupMs, end);
  const live = members.filter((member) => member.socket?.connected);
  let k = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = Math.min(performance.now(), end);
      // Report k is due at begin + k·interval/n: catching up when a tick comes late, never running ahead.
      for (let due = begin + (k * intervalMs) / live.length; due <= now && due < end; due = begin + (++k * intervalMs) / live.length) {
        const member = live[k % live.length]!;
        if (member.outstanding >= MAX_OUTSTANDING) phase.stats.skipped += 1;
        else phase.send(member, undefined, due);
      }
      if (performance.now() >= end) {
        clearInterval(timer);
        resolve();
      }
    }, 2);
  });
  const result = await phase.finish(windowMs);
  tell({ type: 'phase', ...result });
}

/** Every connection sends its next report as soon as the previous one is acknowledged. */
async function closedLoop(warmupMs: number, windowMs: number): Promise<void> {
  const begin = performance.now();
  const end = begin + warmupMs + windowMs;
  const phase = newPhase(begin + warmupMs, end);
  for (const member of members) {
    if (!member.socket?.connected) continue;
    const loop = () => {
      if (performance.now() < end) phase.send(member, loop);
    };
    loop();
  }
  await sleep(end - performance.now());
  const result = await phase.finish(windowMs);
  tell({ type: 'phase', ...result });
}

process.on('message', (raw) => {
  const request = raw as FleetRequest;
  const run = async () => {
    switch (request.type) {
      case 'connect':
        return connectAll();
      case 'paced':
        return paced(request.warmupMs, request.windowMs, request.intervalMs);
      case 'closed':
        return closedLoop(request.warmupMs, request.windowMs);
      case 'close':
        for (const member of members) member.socket?.disconnect();
        process.exit(0);
    }
  };
  run().catch((error: unknown) => {
    tell({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  });
});
process.on('disconnect', () => process.exit(0));
// Exit rather than die on SIGTERM, so that a --cpu-prof profile (BENCH_FLEET_EXEC_ARGV) is written.
process.on('SIGTERM', () => process.exit(0));
