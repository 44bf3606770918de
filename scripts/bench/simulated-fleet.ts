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
import type { TTransition } from '../../lib/protocol/transition.js';
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
  /** Registered on its current connection: its reports may go. */
  ready: boolean;
  /** Transitions sent and not acknowledged yet, by sequence: sent again after a reconnect. */
  unacked: Map<number, TTransition>;
  /** When it lost its server (epoch ms), until a report to another server is acknowledged. */
  lostAt: number | null;
}

const CONNECT_CONCURRENCY = 50;
// A paced instance whose reports pile up unacknowledged skips sends rather than queue without bound.
const MAX_OUTSTANDING = 5;
const DRAIN_TIMEOUT_MS = 30_000;
// The SDK's first reconnection delay (500 ms, randomised by half), doubled per failed attempt up to a few seconds.
const RECONNECT_DELAY_MS = 500;
const RECONNECT_DELAY_MAX_MS = 5_000;

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
  ready: false,
  unacked: new Map(),
  lostAt: null,
}));
let outstanding = 0;
let ackedReports = 0;
// The servers new connections go to, in turn, as through a round-robin balancer.
let servers = spec.urls ?? [spec.url];
let nextServer = 0;
const moves = { lost: 0, back: 0, firstLostAt: null as number | null, lastBackAt: null as number | null };
const transitionCounts = { sent: 0, acknowledged: 0 };

/** Sends a transition on the member's connection; it stays in `unacked` (and is sent again after a reconnect) until acknowledged. */
function sendTransition(member: Member, transition: TTransition): void {
  member.socket!.emit('transition:report', transition, (ack: TAck<unknown>) => {
    if (ack.ok && member.unacked.delete(transition.sequence)) transitionCounts.acknowledged += 1;
  });
}

/** Connects a member to one server and registers it (again): its run goes on, and its unacknowledged transitions are sent again. */
async function connectMember(member: Member, url: string): Promise<void> {
  const socket: AgentSocket = io(`${url}/agent`, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: { apiKey: spec.keys[member.instance.service] ?? 'none', protocolVersion: PROTOCOL_VERSION },
  });
  member.socket = socket;
  member.ready = false;
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
  if (spec.failover) socket.once('disconnect', (reason) => reason !== 'io client disconnect' && void failover(member, socket));
  const ack = await socket.timeout(30_000).emitWithAck('instance:register', member.instance.registration());
  if (!ack.ok) throw new Error(`${ack.error.code}: ${ack.error.message}`);
  member.ready = true;
  for (const transition of member.unacked.values()) sendTransition(member, transition);
}

/** The member's server went away: connect to the next server of the list until one takes it, as the SDK does through a balancer. */
async function failover(member: Member, lost: AgentSocket): Promise<void> {
  if (member.socket !== lost) return;
  member.ready = false;
  // Reports in flight on the lost connection are never answered: they are no longer waited for.
  outstanding -= member.outstanding;
  member.outstanding = 0;
  if (member.lostAt === null) {
    member.lostAt = Date.now();
    moves.lost += 1;
    moves.firstLostAt ??= member.lostAt;
  }
  for (let delay = RECONNECT_DELAY_MS; ; delay = Math.min(RECONNECT_DELAY_MAX_MS, delay * 2)) {
    await sleep(delay * (0.5 + Math.random()));
    try {
      await connectMember(member, servers[nextServer++ % servers.length]!);
      return;
    } catch {
      member.socket?.disconnect();
    }
  }
}

/** Counts of one phase; its window is where rates and latencies are measured. */
function newPhase(windowStart: number, windowEnd: number) {
  const ackLatencies: number[] = [];
  const probes: ProbeSend[] = [];
  const inWindow = (at: number) => at >= windowStart && at < windowEnd;
  // The window's ends are sums of floating-point times: 5,000.000001 ms is one slice, not two.
  const ackedBySlice = new Array<number>(Math.max(1, Math.ceil((windowEnd - windowStart) / SLICE_MS - 1e-6))).fill(0);
  const stats = { sentInWindow: 0, ackedInWindow: 0, errors: 0, firstError: null as string | null, skipped: 0, offline: 0 };
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
      // Between servers: nothing to send to, as for a reporter whose connection is down (the next report carries the counts).
      if (!member.ready) {
        stats.offline += 1;
        // A closed loop tries again shortly rather than spin.
        if (then) setTimeout(then, 10);
        return;
      }
      const socket = member.socket!;
      const report = member.instance.nextReport();
      const sentAt = performance.now();
      const sums = { counters: member.instance.counters, histogram: member.instance.histogram };
      const counted = inWindow(dueAt ?? sentAt);
      if (counted) {
        stats.sentInWindow += 1;
        if (member.instance.probe) probes.push({ name: member.instance.probe, state: member.instance.probeState(), sentAt: Date.now() });
      }
      if (spec.transitions && member.instance.probe) {
        const transition = member.instance.probeTransition();
        member.unacked.set(transition.sequence, transition);
        transitionCounts.sent += 1;
        sendTransition(member, transition);
      }
      member.outstanding += 1;
      outstanding += 1;
      socket.emit('report:send', report, (ack: TAck<null>) => {
        const at = performance.now();
        // An answer on a connection the member has left was already given up (failover).
        if (member.socket !== socket) return;
        member.outstanding -= 1;
        outstanding -= 1;
        if (ack.ok) {
          ackedReports += 1;
          if (member.lostAt !== null) {
            member.lostAt = null;
            moves.back += 1;
            moves.lastBackAt = Date.now();
          }
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
      const index = next++;
      const member = members[index]!;
      try {
        await connectMember(member, servers[index % servers.length]!);
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
      case 'servers':
        servers = [...request.urls];
        nextServer = 0;
        return;
      case 'watch-recovery': {
        const until = performance.now() + request.timeoutMs;
        while ((moves.lost === 0 || moves.back < moves.lost) && performance.now() < until) await sleep(20);
        return tell({ type: 'recovered', moved: moves.lost, back: moves.back, lastBackAt: moves.back === moves.lost ? moves.lastBackAt : null, firstLostAt: moves.firstLostAt });
      }
      case 'drain-transitions': {
        const until = performance.now() + request.timeoutMs;
        const unacknowledged = () => members.reduce((sum, member) => sum + member.unacked.size, 0);
        while (unacknowledged() > 0 && performance.now() < until) await sleep(50);
        return tell({ type: 'transitions', sent: transitionCounts.sent, acknowledged: transitionCounts.acknowledged, unacknowledged: unacknowledged() });
      }
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
