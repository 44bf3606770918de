import { randomUUID } from 'node:crypto';
import type { TOutcomeCounters, TOverrideInForce } from '../../../lib/protocol/breaker-report.js';
import type { TCommand } from '../../../lib/protocol/command.js';
import type { SourceAdapterContext } from '../source-adapter';
import type { SourceBreakerSnapshot, SourceTransition } from '../source-snapshot';
import { joinUrl, parseTargetJson, requestTarget, TargetError } from '../target-request';
import { eventKey, PANEL_STATE, parseCircuitBreakers, parseEvents, parseHealthBreakers, parseUpdateAnswer, type ActuatorBreaker, type TR4jState } from './actuator-format';

const ACCEPT_JSON = 'application/json';
const UPDATE_STATE = { trip: 'FORCE_OPEN', force_closed: 'DISABLE', reset: 'CLOSE', release: 'CLOSE' } as const;
const FORCED = { trip: 'FORCED_OPEN', force_closed: 'FORCED_CLOSED' } as const;

interface AppliedOverride {
  commandId: string;
  state: 'FORCED_OPEN' | 'FORCED_CLOSED';
  expiresAt: number | null;
}

/** The panel's instance name for a target: host:port, and the base path when it is not the default /actuator. */
export function instanceNameOf(base: string): string {
  const url = new URL(base);
  const path = url.pathname.replace(/\/+$/, '');
  return path === '' || path === '/actuator' ? url.host : `${url.host}${path}`;
}

const zeroCounters = (): TOutcomeCounters => ({ success: 0, failure: 0, timeout: 0, rejected: 0, slow: 0, fallback: 0 });

/** Whether the actuator's state still shows the override the panel applied (DISABLED, or METRICS_ONLY, stand for forced closed). */
const holds = (override: AppliedOverride, state: TR4jState) => PANEL_STATE[state] === override.state;

/**
 * One Spring Boot actuator with Resilience4j (COMPAT.md §3): each read takes
 * the breakers (the R4j ≥ 2.0 details, or the 1.x names with states from
 * /health), the recent events and, when exposed, the process start time.
 * Events become cumulative counters (SUCCESS, ERROR, NOT_PERMITTED after
 * de-duplication) and transitions; rejections while FORCED_OPEN, when events
 * are suppressed, come from the window's notPermittedCalls. Commands are
 * posted to the write operation and its answer is the acknowledgement. The
 * process counts as restarted when its start time changes or a breaker
 * lost the override the panel applied: a new run, to which the panel sends
 * the overrides in force again.
 */
export function createActuatorTarget(base: string, context: SourceAdapterContext, pollNow: () => void) {
  const { source, sink, commands, timeoutMs, now, logger } = context;
  const instance = instanceNameOf(base);
  let runId = randomUUID();
  let startTime: number | null = null;
  let startTimeAvailable = true;
  let eventsAvailable = true;
  let writable = true;
  let counters = new Map<string, TOutcomeCounters>();
  let seenEvents = new Set<string>();
  const forcedOpenRejections = new Map<string, number>();
  const applied = new Map<string, AppliedOverride>();
  let breakers = new Map<string, ActuatorBreaker>();
  let reachable = false;
  // A read and a command never interleave: both change what the target's breakers are known to be.
  let queue: Promise<unknown> = Promise.resolve();
  const serialised = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  const get = async (path: string): Promise<{ status: number; body: unknown }> => {
    const url = joinUrl(base, path);
    const answer = await requestTarget(url, { accept: ACCEPT_JSON, credentials: source.credentials, timeoutMs });
    if (answer.status === 401 || answer.status === 403) throw new TargetError(`GET ${url}: HTTP ${answer.status}: check the source's credentials`, answer.status);
    if (answer.status !== 200) return { status: answer.status, body: null };
    return { status: 200, body: parseTargetJson(url, answer.text) };
  };

  async function readBreakers(): Promise<ActuatorBreaker[]> {
    const url = joinUrl(base, 'circuitbreakers');
    const answer = await get('circuitbreakers');
    if (answer.status !== 200)
      throw new TargetError(`GET ${url}: HTTP ${answer.status}${answer.status === 404 ? ': add circuitbreakers to management.endpoints.web.exposure.include' : ''}`, answer.status);
    const parsed = parseCircuitBreakers(answer.body);
    if (parsed.kind === 'invalid') throw new TargetError(`GET ${url}: ${parsed.message}`);
    if (parsed.kind === 'details') return parsed.breakers;
    // Resilience4j 1.x lists names only: states come from the health details.
    const health = await get('health');
    const fromHealth = health.status === 200 || health.status === 503 ? parseHealthBreakers(health.body) : null;
    if (!fromHealth)
      throw new TargetError(
        `GET ${url}: Resilience4j 1.x lists breaker names only, and ${joinUrl(base, 'health')} shows no circuit breaker details: set management.health.circuitbreakers.enabled=true, registerHealthIndicator: true and management.endpoint.health.show-details=always`,
      );
    const names = new Set(parsed.names);
    return fromHealth.filter((breaker) => names.has(breaker.name));
  }

  async function readStartTime(): Promise<number | null> {
    if (!startTimeAvailable) return null;
    const answer = await get('metrics/process.start.time');
    if (answer.status === 404) startTimeAvailable = false;
    const value = (answer.body as { measurements?: Array<{ value?: unknown }> } | null)?.measurements?.[0]?.value;
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  }

  function newRun(why: string): void {
    logger.info({ instance, why }, 'a watched process started a new run');
    runId = randomUUID();
    counters = new Map();
    forcedOpenRejections.clear();
    applied.clear();
  }

  async function read(): Promise<void> {
    const list = await readBreakers();
    const events = eventsAvailable ? await get('circuitbreakerevents') : null;
    if (events && events.status === 404) eventsAvailable = false;
    const parsedEvents = events?.status === 200 ? parseEvents(events.body) : null;
    const started = await readStartTime();
    const at = now();

    if (started !== null && startTime !== null && started !== startTime) newRun('its process start time changed');
    else if (
      list.some((breaker) => {
        const override = applied.get(breaker.name);
        return override !== undefined && !holds(override, breaker.state);
      })
    )
      newRun('a breaker lost the override the panel applied (the process restarted, or someone changed it)');
    if (started !== null) startTime = started;

    // Overrides the panel applied end at their expiry on the target too, as an SDK ends them itself.
    for (const [name, override] of applied) {
      if (override.expiresAt === null || override.expiresAt > at) continue;
      applied.delete(name);
      await post(name, 'CLOSE').catch((error: unknown) => logger.warn({ err: error, instance, breaker: name }, 'ending an expired override failed'));
    }

    const transitions: SourceTransition[] = [];
    const fresh = new Set<string>();
    for (const event of parsedEvents?.events ?? []) {
      const key = eventKey(event);
      fresh.add(key);
      if (seenEvents.has(key)) continue;
      const count = counters.get(event.breaker) ?? zeroCounters();
      counters.set(event.breaker, count);
      if (event.type === 'SUCCESS') count.success += 1;
      else if (event.type === 'ERROR') count.failure += 1;
      else if (event.type === 'NOT_PERMITTED') count.rejected += 1;
      else if (event.transition) {
        const from = PANEL_STATE[event.transition.from];
        const to = PANEL_STATE[event.transition.to];
        if (from !== to) transitions.push({ breaker: event.breaker, from, to, at: event.at });
      }
    }
    // The ring buffer slides: what it still holds is what the next read must not count again.
    seenEvents = fresh;

    breakers = new Map(list.map((breaker) => [breaker.name, breaker]));
    const snapshots: SourceBreakerSnapshot[] = list.map((breaker) => {
      const count = counters.get(breaker.name) ?? zeroCounters();
      counters.set(breaker.name, count);
      if (breaker.state === 'FORCED_OPEN') {
        // Events are suppressed while forced open; the window's count of rejected calls still rises.
        const before = forcedOpenRejections.get(breaker.name) ?? 0;
        if (breaker.notPermittedCalls > before) count.rejected += breaker.notPermittedCalls - before;
        forcedOpenRejections.set(breaker.name, breaker.notPermittedCalls);
      } else forcedOpenRejections.delete(breaker.name);
      const override = applied.get(breaker.name);
      const held: TOverrideInForce | null = override && holds(override, breaker.state) ? { state: override.state, expiresAt: override.expiresAt, commandId: override.commandId } : null;
      return {
        name: breaker.name,
        state: PANEL_STATE[breaker.state],
        counters: { ...count },
        window: { calls: breaker.bufferedCalls, failureRate: breaker.failureRate ?? 0, slowCallRate: breaker.slowCallRate ?? 0 },
        latency: null,
        writable,
        override: held,
      };
    });
    await sink.snapshot(source.id, { service: source.service, instance, runId, observedAt: at, breakers: snapshots, transitions });
    reachable = true;
  }

  async function post(name: string, updateState: 'CLOSE' | 'FORCE_OPEN' | 'DISABLE'): Promise<{ status: number; state: TR4jState | null }> {
    const url = joinUrl(base, `circuitbreakers/${encodeURIComponent(name)}`);
    const answer = await requestTarget(url, { method: 'POST', accept: ACCEPT_JSON, body: { updateState }, credentials: source.credentials, timeoutMs });
    let state: TR4jState | null = null;
    if (answer.status === 200) {
      try {
        state = parseUpdateAnswer(JSON.parse(answer.text));
      } catch {
        state = null;
      }
    }
    return { status: answer.status, state };
  }

  async function applyCommand(command: TCommand): Promise<void> {
    const outcome = { commandId: command.id, breaker: command.breaker, duplicate: false };
    const current = breakers.get(command.breaker);
    // An unknown name would make the actuator create a breaker with default settings: it is refused instead.
    if (!current) return commands.acknowledge(source.id, instance, { ...outcome, status: 'failed', state: null, reason: 'unknown_breaker' });
    const forced = command.action === 'trip' || command.action === 'force_closed' ? FORCED[command.action] : null;
    if (forced && command.expiresAt !== null && command.expiresAt <= now())
      return commands.acknowledge(source.id, instance, { ...outcome, status: 'failed', state: PANEL_STATE[current.state], reason: 'expired' });
    const held = applied.get(command.breaker);
    if (forced && held?.commandId === command.id && holds(held, current.state))
      return commands.acknowledge(source.id, instance, { ...outcome, duplicate: true, status: 'applied', state: PANEL_STATE[current.state], reason: null });
    // Release drops an override; with none (from the panel or anyone) it changes nothing, as for an SDK.
    if (command.action === 'release' && !held && !PANEL_STATE[current.state].startsWith('FORCED_'))
      return commands.acknowledge(source.id, instance, { ...outcome, status: 'applied', state: PANEL_STATE[current.state], reason: null });

    const answer = await post(command.breaker, UPDATE_STATE[command.action]);
    if (answer.status === 404 || answer.status === 405) {
      // The write operation is not exposed (or blocked by configuration): the instance is read-only from now on.
      writable = false;
      logger.warn({ instance, status: answer.status }, 'the actuator refused the write operation; its breakers are read-only');
    }
    if (answer.status !== 200 || !answer.state) return commands.acknowledge(source.id, instance, { ...outcome, status: 'failed', state: PANEL_STATE[current.state], reason: 'apply_failed' });
    if (forced) applied.set(command.breaker, { commandId: command.id, state: forced, expiresAt: command.expiresAt });
    else applied.delete(command.breaker);
    breakers.set(command.breaker, { ...current, state: answer.state });
    await commands.acknowledge(source.id, instance, { ...outcome, status: 'applied', state: PANEL_STATE[answer.state], reason: null });
  }

  async function applyWaiting(): Promise<number> {
    const waiting = await commands.take(source.id, instance);
    for (const command of waiting) await applyCommand(command);
    return waiting.length;
  }

  return {
    instance,
    /** One read, then the commands waiting; a failure marks the instance unreachable and is thrown for the poller's backoff. */
    poll: () =>
      serialised(async () => {
        try {
          await read();
        } catch (error) {
          reachable = false;
          const message = error instanceof Error ? error.message : String(error);
          sink.unreachable(source.id, message, instance);
          throw error;
        }
        if (writable && (await applyWaiting()) > 0) pollNow();
      }),
    /** Applies the commands that arrived between reads. */
    applyWaiting: () =>
      serialised(async () => {
        if ((await applyWaiting()) > 0) pollNow();
      }),
    get reachable() {
      return reachable && writable;
    },
  };
}
