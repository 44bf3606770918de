import { graphlib, layout, type Graph } from '@dagrejs/dagre';
import type { MapTopology } from './map-topology';

/** A node placed: centre, size. */
export interface PlacedNode {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** An edge drawn: its SVG path and the middle of it, where its instance count sits. */
export interface PlacedEdge {
  breakerId: string;
  path: string;
  middle: { x: number; y: number };
  /** The extent of the path, so the map draws (and hit-tests) only the edges that cross what is in view. */
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface MapLayout {
  width: number;
  height: number;
  nodes: Map<string, PlacedNode>;
  edges: PlacedEdge[];
}

export const NODE_HEIGHT = 26;
const CHAR_WIDTH = 7;
const NODE_PADDING = 20;
const LANE_GAP = 4;
/** Room after a dependency's name for its count of unhealthy breakers (`12/40`). */
const COUNT_ROOM = 36;
const MARGIN = 16;

/** The width a node's name needs at the map's font size (an estimate: measuring 400 texts in the DOM first would cost a layout pass). */
export function nodeWidth(name: string): number {
  return Math.min(240, Math.max(60, name.length * CHAR_WIDTH + NODE_PADDING));
}

type Point = { x: number; y: number };

const ORDER_SWEEPS = 8;

/**
 * The order of nodes within each rank, by barycentres: each node moves to the
 * mean position of its neighbours in the rank before (sweeping down) or after
 * (sweeping up). dagre's own crossing minimisation takes minutes at 2,000
 * edges; a few sweeps of this take milliseconds and untangle a two- or
 * three-rank service map nearly as well. `graph` is dagre's internal graph,
 * where every edge joins neighbouring ranks.
 */
export function barycentreOrder(graph: Graph): void {
  const layers: string[][] = [];
  for (const id of graph.nodes()) {
    const rank = (graph.node(id) as { rank?: number }).rank ?? 0;
    (layers[rank] ??= []).push(id);
  }
  const position = new Map<string, number>();
  for (const layer of layers) layer?.forEach((id, index) => position.set(id, index));
  for (let sweep = 0; sweep < ORDER_SWEEPS; sweep += 1) {
    const down = sweep % 2 === 0;
    for (let step = 1; step < layers.length; step += 1) {
      const layer = layers[down ? step : layers.length - 1 - step];
      if (!layer) continue;
      const centre = new Map<string, number>();
      for (const id of layer) {
        const neighbours = (down ? graph.predecessors(id) : graph.successors(id)) ?? [];
        let sum = 0;
        for (const neighbour of neighbours) sum += position.get(neighbour) ?? 0;
        centre.set(id, neighbours.length ? sum / neighbours.length : position.get(id)!);
      }
      layer.sort((a, b) => centre.get(a)! - centre.get(b)! || position.get(a)! - position.get(b)!);
      layer.forEach((id, index) => position.set(id, index));
    }
  }
  for (const [id, order] of position) (graph.node(id) as { order?: number }).order = order;
}

/**
 * Left to right through `points`, leaving and entering each point
 * horizontally, so edges into a node fan in smoothly; with the horizontal
 * extent of its control points, which holds the whole curve.
 */
function smoothPath(points: Point[]): { path: string; left: number; right: number } {
  let path = `M${points[0]!.x.toFixed(1)},${points[0]!.y.toFixed(1)}`;
  let left = points[0]!.x;
  let right = points[0]!.x;
  for (let index = 1; index < points.length; index += 1) {
    const a = points[index - 1]!;
    const b = points[index]!;
    const bend = Math.max(20, Math.abs(b.x - a.x) / 2);
    path += `C${(a.x + bend).toFixed(1)},${a.y.toFixed(1)} ${(b.x - bend).toFixed(1)},${b.y.toFixed(1)} ${b.x.toFixed(1)},${b.y.toFixed(1)}`;
    left = Math.min(left, b.x - bend, b.x);
    right = Math.max(right, a.x + bend, b.x);
  }
  return { path, left, right };
}

/**
 * Places services left and the dependencies they call right (dagre's layered
 * layout, left to right), and routes one edge per breaker. Costly at 2,000
 * edges, so the map calls it once per topology, never per state change.
 */
export function layoutMap(topology: MapTopology): MapLayout {
  const graph = new graphlib.Graph({ multigraph: true });
  graph.setGraph({ rankdir: 'LR', ranker: 'longest-path', nodesep: 6, edgesep: 2, ranksep: 140, marginx: MARGIN, marginy: MARGIN });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of topology.nodes) graph.setNode(node.id, { width: nodeWidth(node.id) + (node.incoming.length ? COUNT_ROOM : 0), height: NODE_HEIGHT });
  // Parallel breakers of one pair share one layout edge, weighted by their number; a breaker named for its own service is a loop drawn by hand.
  const weights = new Map<string, number>();
  for (const edge of topology.edges) {
    if (edge.from === edge.to) continue;
    const pair = `${edge.from}\n${edge.to}`;
    weights.set(pair, (weights.get(pair) ?? 0) + 1);
  }
  for (const [pair, weight] of weights) {
    const [from, to] = pair.split('\n') as [string, string];
    graph.setEdge(from, to, { weight }, pair);
  }
  layout(graph, { customOrder: barycentreOrder });

  const nodes = new Map<string, PlacedNode>();
  for (const id of graph.nodes()) {
    const placed = graph.node(id) as { x: number; y: number; width: number; height: number };
    nodes.set(id, { id, x: placed.x, y: placed.y, width: placed.width, height: placed.height });
  }
  const edges: PlacedEdge[] = [];
  for (const edge of topology.edges) {
    const from = nodes.get(edge.from)!;
    const to = nodes.get(edge.to)!;
    const offset = (edge.lane - (edge.lanes - 1) / 2) * LANE_GAP;
    if (edge.from === edge.to) {
      const x = from.x + from.width / 2;
      const reach = 28 + edge.lane * 8;
      edges.push({
        breakerId: edge.breakerId,
        path: `M${x},${from.y - 5}C${x + reach},${from.y - reach} ${x + reach},${from.y + reach} ${x},${from.y + 5}`,
        middle: { x: x + reach * 0.75, y: from.y },
        left: x,
        right: x + reach,
        top: from.y - reach,
        bottom: from.y + reach,
      });
      continue;
    }
    const routed = (graph.edge(edge.from, edge.to, `${edge.from}\n${edge.to}`) as { points?: Point[] } | undefined)?.points ?? [];
    // dagre's end points sit on the node boundary wherever the line meets it; edges rather leave a service's right side and enter a dependency's left.
    const forward = to.x >= from.x;
    const start = { x: from.x + (forward ? from.width / 2 : -from.width / 2), y: from.y + offset };
    const end = { x: to.x + (forward ? -to.width / 2 : to.width / 2), y: to.y + offset };
    const inner = routed.slice(1, -1).map((point) => ({ x: point.x, y: point.y + offset }));
    const points = forward ? [start, ...inner, end] : [start, ...inner, end].reverse();
    const middle = inner.length ? inner[Math.floor(inner.length / 2)]! : { x: (start.x + end.x) / 2, y: (start.y + end.y) / 2 };
    const ys = points.map((point) => point.y);
    edges.push({ breakerId: edge.breakerId, ...smoothPath(points), middle, top: Math.min(...ys), bottom: Math.max(...ys) });
  }
  const size = graph.graph() as { width?: number; height?: number };
  return { width: Math.ceil(size.width ?? 0) + MARGIN, height: Math.ceil(size.height ?? 0), nodes, edges };
}
