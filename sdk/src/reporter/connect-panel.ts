import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import {
  AGENT_NAMESPACE,
  PROTOCOL_VERSION,
  RETRYABLE_ERROR_CODES,
  ZBreakerDescriptor,
  ZLabels,
  ZName,
  type AgentClientToServerEvents,
  type AgentServerToClientEvents,
  type TAck,
  type TAgentHandshakeAuth,
  type TCommandAck,
  type TInstanceRef,
  type TLabels,
  type TTransition,
  toCompactReport,
} from '../../../lib/protocol/index.js';
import { createEventHub, type Disposer } from '../breaker/event-hub.js';
import type { StateChangeEvent } from '../breaker/events.js';
import { SDK_NAME, SDK_VERSION } from '../version.js';
import { createCommandApplier, type CommandOutcome } from './command-applier.js';
import { defaultInstanceId, newRunId } from './instance-identity.js';
import { Outbox } from './outbox.js';
import { createReconnectBackoff } from './reconnect-backoff.js';
import type { ReportableBreaker } from './reportable-breaker.js';

/** Options of connectPanel(). Durations are milliseconds. */
export interface PanelReporterOptions {
  /** The panel's base URL, e.g. `http://localhost:3000`. */
  url: string;
  /** An API key bound to `service`. */
  apiKey: string;
  service: string;
  /** Default: host name + process id. */
  instance?: string;
  /** Lets operators act on a subset of instances (region, zone, version…). */
  labels?: TLabels;
  breakers?: ReportableBreaker[];
  /** How often counters are sent; also the heartbeat. Default 1 000. */
  reportInterval?: number;
  /** Unacknowledged transitions kept for replay; the oldest are dropped (and counted) beyond it. Default 1 000. */
  transitionBufferSize?: number;
  /** How long to wait for an acknowledgement before sending again. Default 5 000. */
  ackTimeout?: number;
  /** First reconnect delay; grows exponentially with jitter. Default 500. */
  reconnectDelay?: number;
  /** Longest reconnect delay. Default 30 000. */
  reconnectDelayMax?: number;
  /** Passed to socket.io-client, e.g. `{ transports: ['websocket'] }`. */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

/** The reporter's view of its link, for health checks and tests. */
export interface ReporterStatus {
  connected: boolean;
  registered: boolean;
  /** Transitions not yet acknowledged by the panel. */
  pendingTransitions: number;
  /** Transitions dropped because the buffer was full (cumulative). */
  droppedTransitions: number;
  /** Sequence of the last transition created. */
  transitionSequence: number;
  /** Sequence of the last report sent. */
  reportSequence: number;
}

/** Events of a reporter. Errors are reported here, never thrown at the host. */
export interface ReporterEvents {
  registered: { serverTime: number };
  disconnected: { reason: string };
  command: CommandOutcome;
  error: Error;
}

/** A live link between this process's breakers and the panel. */
export interface PanelReporter {
  readonly instanceId: string;
  readonly runId: string;
  /** Starts reporting a breaker (re-registers the instance); the disposer stops it. */
  add(breaker: ReportableBreaker): Disposer;
  status(): ReporterStatus;
  on<K extends keyof ReporterEvents>(event: K, listener: (payload: ReporterEvents[K]) => void): Disposer;
  /**
   * Sends a report now (once registered, if it is still connecting) and
   * resolves once it and the pending transitions are acknowledged, or after
   * `timeoutMs`. Never rejects.
   */
  flush(timeoutMs?: number): Promise<void>;
  /** Flushes, then disconnects and stops every timer. Never rejects. */
  close(timeoutMs?: number): Promise<void>;
}

type AgentSocket = Socket<AgentServerToClientEvents, AgentClientToServerEvents>;

// Reports are cumulative, so a lost one costs nothing; more than this many
// unanswered means the panel is stuck, and queueing more would only grow memory.
const MAX_REPORTS_IN_FLIGHT = 2;
// Engine.io packets waiting for the wire; beyond this the link is congested.
const MAX_WRITE_BUFFER = 1_000;

/**
 * Connects this process to the panel's `/agent` namespace and keeps reporting
 * until close(). Never throws into, blocks or slows the host: sending happens
 * on timers and setImmediate, never inside a breaker call, every buffer is
 * bounded, every timer is unref'd, and failures go to the `error` event.
 */
export function connectPanel(options: PanelReporterOptions): PanelReporter {
  const labels = ZLabels.parse(options.labels ?? {});
  for (const [field, value] of [
    ['service', options.service],
    ['instance', options.instance],
  ] as const) {
    if (value !== undefined && !ZName.safeParse(value).success) throw new RangeError(`connectPanel: ${field} must be 1–200 characters of well-formed Unicode text without NUL characters`);
  }
  const identity: TInstanceRef = {
    protocolVersion: PROTOCOL_VERSION,
    service: options.service,
    instanceId: options.instance ?? defaultInstanceId(),
    runId: newRunId(),
  };
  const startedAt = Date.now();
  const reportInterval = options.reportInterval ?? 1_000;
  const ackTimeout = options.ackTimeout ?? 5_000;
  const events = createEventHub<ReporterEvents>();
  const breakers = new Map<string, { breaker: ReportableBreaker; unsubscribe: Disposer }>();
  const transitions = new Outbox<TTransition>(options.transitionBufferSize ?? 1_000);
  const commandAcks = new Outbox<TCommandAck>(1_000);
  const backoff = createReconnectBackoff(options.reconnectDelay ?? 500, options.reconnectDelayMax ?? 30_000);
  const applier = createCommandApplier({
    instanceId: identity.instanceId,
    labels,
    findBreaker: (name) => breakers.get(name)?.breaker,
    now: () => Date.now(),
  });
  let transitionSequence = 0;
  let reportSequence = 0;
  let commandAckKey = 0;
  let reportsInFlight = 0;
  let registered = false;
  let closed = false;
  let sendScheduled = false;
  let reconnectTimer: NodeJS.Timeout | undefined;

  const auth: TAgentHandshakeAuth = { apiKey: options.apiKey, protocolVersion: PROTOCOL_VERSION };
  const socket: AgentSocket = io(`${options.url.replace(/\/+$/, '')}${AGENT_NAMESPACE}`, {
    auth: { ...auth },
    transports: ['websocket'],
    reconnection: true,
    reconnectionDelay: options.reconnectDelay ?? 500,
    reconnectionDelayMax: options.reconnectDelayMax ?? 30_000,
    randomizationFactor: 0.5,
    ...options.socketOptions,
  });

  function report(error: unknown): void {
    events.emit('error', error instanceof Error ? error : new Error(String(error)));
  }

  function ackFailed(ack: TAck<unknown>): boolean {
    if (ack.ok) return false;
    report(new Error(`Panel refused a message: ${ack.error.code}: ${ack.error.message}`));
    return true;
  }

  function retryable(ack: TAck<unknown>): boolean {
    return !ack.ok && RETRYABLE_ERROR_CODES.has(ack.error.code);
  }

  function congested(): boolean {
    return (socket.io.engine?.writeBuffer.length ?? 0) > MAX_WRITE_BUFFER;
  }

  // The breakers of the last registration, in its order: what the compact reports' indexes stand for until the next one.
  let registeredBreakers: ReportableBreaker[] = [];
  let registration = 0;

  function register(): void {
    registered = false;
    const generation = ++registration;
    const listed = [...breakers.values()].map(({ breaker }) => breaker);
    const payload = {
      ...identity,
      startedAt,
      labels,
      sdk: { name: SDK_NAME, version: SDK_VERSION, language: 'typescript' },
      breakers: listed.map((breaker) => ({ name: breaker.name, config: breaker.describe() })),
    };
    socket.timeout(ackTimeout).emit('instance:register', payload, (error, ack) => {
      // A later registration is on its way: the panel reads reports against that one.
      if (closed || !socket.connected || generation !== registration) return;
      if (error || ackFailed(ack) || !ack.ok) {
        if (error) report(error);
        scheduleReconnect(true);
        return;
      }
      registered = true;
      registeredBreakers = listed;
      backoff.reset();
      events.emit('registered', ack.data);
      sendPending();
      sendReport();
    });
  }

  function sendTransitions(): void {
    for (const [key, transition] of transitions.takeUnsent()) {
      socket.timeout(ackTimeout).emit('transition:report', transition, (error, ack) => {
        if (error) return transitions.retry(key);
        if (!ack.ok && retryable(ack)) return transitions.retry(key);
        ackFailed(ack); // permanent refusals are reported and not resent
        transitions.acknowledge(key);
      });
    }
  }

  function sendCommandAcks(): void {
    for (const [key, outcome] of commandAcks.takeUnsent()) {
      socket.timeout(ackTimeout).emit('command:ack', outcome, (error, ack) => {
        if (error || retryable(ack)) return commandAcks.retry(key);
        ackFailed(ack);
        commandAcks.acknowledge(key);
      });
    }
  }

  function sendPending(): void {
    if (!registered || !socket.connected || congested()) return;
    sendTransitions();
    sendCommandAcks();
  }

  /** Sends soon, outside the breaker call that caused it. */
  function scheduleSend(): void {
    if (sendScheduled) return;
    sendScheduled = true;
    setImmediate(() => {
      sendScheduled = false;
      sendPending();
    }).unref();
  }

  function sendReport(): void {
    if (!registered || !socket.connected || reportsInFlight >= MAX_REPORTS_IN_FLIGHT || congested()) return;
    try {
      reportSequence += 1;
      const payload = toCompactReport(
        reportSequence,
        Date.now(),
        transitions.dropped,
        registeredBreakers.map((breaker) => breaker.stats()),
      );
      reportsInFlight += 1;
      socket.timeout(ackTimeout).emit('report:send', payload, (error, ack) => {
        reportsInFlight -= 1;
        if (!error) ackFailed(ack);
      });
    } catch (error) {
      report(error);
    }
  }

  function onStateChange(event: StateChangeEvent): void {
    try {
      transitionSequence += 1;
      const { breaker, ...change } = event;
      transitions.push(transitionSequence, { ...identity, ...change, breaker, sequence: transitionSequence });
      scheduleSend();
    } catch (error) {
      report(error);
    }
  }

  function scheduleReconnect(disconnectFirst: boolean): void {
    if (closed || reconnectTimer) return;
    if (disconnectFirst) socket.disconnect();
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      if (!closed && !socket.connected) socket.connect();
    }, backoff.nextDelay());
    reconnectTimer.unref();
  }

  socket.on('connect', register);
  socket.on('disconnect', (reason) => {
    registered = false;
    reportsInFlight = 0;
    transitions.retryAll();
    commandAcks.retryAll();
    events.emit('disconnected', { reason });
    // Socket.IO reconnects by itself except when the server closed the link.
    if (reason === 'io server disconnect') scheduleReconnect(false);
  });
  socket.on('connect_error', (error) => {
    report(error);
    // A refusal by the server's middleware (bad key…) is not retried by Socket.IO.
    if (!socket.active) scheduleReconnect(false);
  });
  socket.on('command:apply', (raw) => {
    try {
      const outcome = applier.handle(raw);
      if (outcome === null) return report(new Error('Received a command without an id'));
      commandAckKey += 1;
      commandAcks.push(commandAckKey, { ...identity, ...outcome });
      events.emit('command', outcome);
      sendPending();
    } catch (error) {
      report(error);
    }
  });

  const interval = setInterval(() => {
    sendReport();
    sendPending();
  }, reportInterval);
  interval.unref();

  function add(breaker: ReportableBreaker): Disposer {
    // Registration carries every breaker: one the panel would refuse (a bad name, an impossible config) would keep all the others off it too.
    const descriptor = ZBreakerDescriptor.safeParse({ name: breaker.name, config: breaker.describe() });
    if (!descriptor.success) {
      const issue = descriptor.error.issues[0];
      const refusal = new RangeError(`Breaker ${JSON.stringify(breaker.name)} is not reported: ${issue?.path.join('.') || 'breaker'}: ${issue?.message ?? 'invalid'}`);
      // Later, not now: breakers given to connectPanel are added before the host could subscribe to `error`.
      queueMicrotask(() => (events.has('error') ? report(refusal) : process.emitWarning(refusal.message, 'BreakerPanelWarning')));
      return () => {};
    }
    breakers.get(breaker.name)?.unsubscribe();
    breakers.set(breaker.name, { breaker, unsubscribe: breaker.on('stateChange', onStateChange) });
    if (socket.connected) register();
    return () => {
      const entry = breakers.get(breaker.name);
      if (entry?.breaker !== breaker) return;
      entry.unsubscribe();
      breakers.delete(breaker.name);
      if (socket.connected && !closed) register();
    };
  }

  for (const breaker of options.breakers ?? []) add(breaker);

  async function flush(timeoutMs = 2_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const pause = () => new Promise((resolve) => setTimeout(resolve, 10).unref());
    // Closed right after it started, a reporter may still be connecting or registering: its final counters would be lost.
    while (!registered && socket.active && Date.now() < deadline) await pause();
    sendReport();
    sendPending();
    while ((transitions.size > 0 || reportsInFlight > 0) && Date.now() < deadline && socket.connected) await pause();
  }

  return {
    instanceId: identity.instanceId,
    runId: identity.runId,
    add,
    on: events.on,
    status: () => ({
      connected: socket.connected,
      registered,
      pendingTransitions: transitions.size,
      droppedTransitions: transitions.dropped,
      transitionSequence,
      reportSequence,
    }),
    flush,
    async close(timeoutMs = 2_000) {
      if (closed) return;
      try {
        await flush(timeoutMs);
      } catch (error) {
        report(error);
      }
      closed = true;
      clearInterval(interval);
      clearTimeout(reconnectTimer);
      for (const { unsubscribe } of breakers.values()) unsubscribe();
      socket.disconnect();
    },
  };
}
