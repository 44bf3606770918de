import type { TReporterClient, TReporterClientKind } from '../lib/api/reporter-client';

const SOURCE_KINDS = new Set<TReporterClientKind>(['resilience4j-actuator', 'prometheus', 'hystrix', 'otlp']);

const KIND_WORDS: Record<TReporterClientKind, string> = {
  'node-sdk': 'Node SDK',
  opossum: 'opossum adapter',
  python: 'Python',
  http: 'plain HTTP',
  other: 'other client',
  'resilience4j-actuator': 'Resilience4j actuator',
  prometheus: 'Prometheus scrape (read-only)',
  hystrix: 'Hystrix stream (read-only)',
  otlp: 'OTLP metrics (read-only)',
};

/** A client kind in words: "Node SDK", "opossum adapter", "Python", "plain HTTP". */
export const clientKindText = (kind: TReporterClientKind) => KIND_WORDS[kind];

/** The client and its transport in a few words, e.g. "Python · HTTP", "Resilience4j actuator (read-only)". */
export function clientText(client: TReporterClient): string {
  if (SOURCE_KINDS.has(client.kind)) return client.readOnly && !KIND_WORDS[client.kind].endsWith('(read-only)') ? `${KIND_WORDS[client.kind]} (read-only)` : KIND_WORDS[client.kind];
  const transport = client.transport === 'socket' ? 'socket' : client.transport === 'http' ? 'HTTP' : null;
  return transport && client.kind !== 'http' ? `${KIND_WORDS[client.kind]} · ${transport}` : KIND_WORDS[client.kind];
}

/**
 * Why a breaker has no latency when only sources report it: none of them
 * gives the panel's histogram (docs/sources.md), so the screens say so
 * rather than leave a bare dash. Null when any client may report latency.
 */
export function noLatencyReason(kinds: readonly TReporterClientKind[]): string | null {
  if (kinds.length === 0 || !kinds.every((kind) => SOURCE_KINDS.has(kind))) return null;
  const names = [...new Set(kinds)].map((kind) => KIND_WORDS[kind].replace(' (read-only)', ''));
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
  return `No latency: the ${list} ${names.length === 1 ? 'reports' : 'report'} none the panel can chart or merge across instances.`;
}

/** Why an operator's action leaves out an instance with this client; null when it reaches it. */
export function readOnlyReason(client: TReporterClient): string | null {
  if (!client.readOnly) return null;
  if (client.kind === 'resilience4j-actuator') return 'Read by the panel from a Resilience4j actuator without its write operation: actions cannot reach it.';
  return `Read by the panel from a ${KIND_WORDS[client.kind].replace(' (read-only)', '')}, which has no way to steer the breaker: actions cannot reach it.`;
}

/** What an operator's action does on an instance with this client, for a tooltip. */
export function clientActionHint(client: TReporterClient): string {
  const readOnly = readOnlyReason(client);
  if (readOnly) return readOnly;
  if (client.kind === 'resilience4j-actuator')
    return "Read and steered by the panel through the service's Resilience4j actuator: a command is posted to it at once (trip → FORCE_OPEN, force closed → DISABLE, reset and release → CLOSE).";
  const sdk = client.sdk ? ` (${client.sdk})` : '';
  if (client.transport === 'socket') return `Reports over a socket${sdk}: a command is pushed and applied at once.`;
  if (client.transport === 'http') return `Reports over HTTP${sdk}: a command is fetched with its next batch or long poll, then applied.`;
  return `Not reporting to this server since it started${sdk}: a command reaches it when it reports again (an override in force is sent again then).`;
}
