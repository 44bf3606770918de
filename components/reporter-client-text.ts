import type { TReporterClient, TReporterClientKind } from '../lib/api/reporter-client';

const KIND_WORDS: Record<TReporterClientKind, string> = {
  'node-sdk': 'Node SDK',
  opossum: 'opossum adapter',
  python: 'Python',
  http: 'plain HTTP',
  other: 'other client',
};

/** A client kind in words: "Node SDK", "opossum adapter", "Python", "plain HTTP". */
export const clientKindText = (kind: TReporterClientKind) => KIND_WORDS[kind];

/** The client and its transport in a few words, e.g. "Python · HTTP". */
export function clientText(client: TReporterClient): string {
  const transport = client.transport === 'socket' ? 'socket' : client.transport === 'http' ? 'HTTP' : null;
  return transport && client.kind !== 'http' ? `${KIND_WORDS[client.kind]} · ${transport}` : KIND_WORDS[client.kind];
}

/** What an operator's action does on an instance with this client, for a tooltip. */
export function clientActionHint(client: TReporterClient): string {
  const sdk = client.sdk ? ` (${client.sdk})` : '';
  if (client.transport === 'socket') return `Reports over a socket${sdk}: a command is pushed and applied at once.`;
  if (client.transport === 'http') return `Reports over HTTP${sdk}: a command is fetched with its next batch or long poll, then applied.`;
  return `Not reporting to this server since it started${sdk}: a command reaches it when it reports again (an override in force is sent again then).`;
}
