import { dependencyOf } from '../../lib/api/breaker-dependency';

/** What the map needs to know of a breaker to place it: never its state, so state changes never move anything. */
export interface BreakerIdentity {
  id: string;
  service: string;
  name: string;
}

/**
 * A box on the map. A name that is both a service (it reports breakers) and a
 * dependency (another service's breaker protects calls to it) is one node, so
 * call chains read left to right.
 */
export interface MapNode {
  id: string;
  kind: 'service' | 'dependency' | 'both';
  /** Breakers that protect calls into this node: a shared dependency has several. */
  incoming: string[];
}

/** One breaker: the service that holds it to the dependency it protects. */
export interface MapEdge {
  breakerId: string;
  breakerName: string;
  from: string;
  to: string;
  /** Position among breakers of the same service protecting the same dependency, drawn side by side. */
  lane: number;
  lanes: number;
}

export interface MapTopology {
  nodes: MapNode[];
  edges: MapEdge[];
}

/**
 * Which breakers exist, as one string: the map lays out again only when this
 * changes (a breaker appears or goes), never when a state does.
 */
export function topologyKey(breakers: Iterable<BreakerIdentity>): string {
  const ids: string[] = [];
  for (const breaker of breakers) ids.push(breaker.id);
  return ids.sort().join('\n');
}

/** Services, the dependencies their breakers protect, and one edge per breaker, in a stable order. */
export function buildTopology(breakers: Iterable<BreakerIdentity>): MapTopology {
  const sorted = [...breakers].sort((a, b) => a.service.localeCompare(b.service) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const nodes = new Map<string, MapNode>();
  const node = (id: string, kind: 'service' | 'dependency') => {
    const existing = nodes.get(id);
    if (!existing) nodes.set(id, { id, kind, incoming: [] });
    else if (existing.kind !== kind) existing.kind = 'both';
    return nodes.get(id)!;
  };
  const pairs = new Map<string, MapEdge[]>();
  for (const breaker of sorted) {
    const to = dependencyOf(breaker.name);
    node(breaker.service, 'service');
    node(to, 'dependency').incoming.push(breaker.id);
    const pair = `${breaker.service}\n${to}`;
    const edge: MapEdge = { breakerId: breaker.id, breakerName: breaker.name, from: breaker.service, to, lane: 0, lanes: 1 };
    const list = pairs.get(pair);
    if (list) list.push(edge);
    else pairs.set(pair, [edge]);
  }
  const edges: MapEdge[] = [];
  for (const list of pairs.values()) list.forEach((edge, index) => edges.push({ ...edge, lane: index, lanes: list.length }));
  return { nodes: [...nodes.values()], edges };
}
