import { DRAW_ORDER, EDGE_LINE, edgeBadge, isTripped, type EdgeLook } from '../../components/map/edge-look';
import type { TBreakerStatus } from '../../lib/api/breaker-status';
import type { PlacedNode } from './map-layout';
import type { MapPalette } from './map-palette';
import type { MapRect, MapScene } from './map-scene';
import type { MapNode } from './map-topology';

/** The edge under the pointer and the edge whose link has the keyboard focus, drawn thicker. */
export interface MapEmphasis {
  hovered: number | null;
  focused: number | null;
}

/** The page's focus ring colour (globals.css), for the edge whose link has the focus. */
const FOCUS_COLOUR = '#4c8dff';
/** Longer names are cut (the full name is in the list of services and dependencies): the layout gives a node at most this many characters' width. */
const MAX_CHARS = 30;
/** Room around the view for line widths and count badges that reach into it. */
const EDGE_MARGIN = 12;

/** A dependency counts the breakers guarding it that are tripped. */
export function trippedOf(node: MapNode, lookOf: (breakerId: string) => EdgeLook): number {
  let tripped = 0;
  for (const id of node.incoming) if (isTripped(lookOf(id))) tripped += 1;
  return tripped;
}

function drawNode(context: CanvasRenderingContext2D, node: MapNode, placed: PlacedNode, tripped: number, palette: MapPalette): void {
  const { x, y, width, height } = placed;
  context.globalAlpha = 1;
  context.setLineDash([]);
  context.beginPath();
  context.roundRect(x - width / 2, y - height / 2, width, height, node.kind === 'service' ? 4 : 13);
  context.fillStyle = palette.colour(node.kind === 'service' ? '--panel' : '--bg');
  context.fill();
  if (tripped > 0) {
    context.strokeStyle = palette.colour('--state-open');
    context.lineWidth = 2;
  } else {
    context.strokeStyle = palette.colour(node.kind === 'service' ? '--fg' : '--border');
    context.globalAlpha = node.kind === 'service' ? 0.45 : 1;
    context.lineWidth = 1;
  }
  context.stroke();
  context.globalAlpha = 1;

  const name = node.id.length > MAX_CHARS ? `${node.id.slice(0, MAX_CHARS - 1)}…` : node.id;
  const count = tripped > 0 ? ` ${tripped}/${node.incoming.length}` : '';
  const plain = `12px ${palette.fontFamily}`;
  const bold = `700 12px ${palette.fontFamily}`;
  context.font = plain;
  const nameWidth = context.measureText(name).width;
  context.font = bold;
  const countWidth = count ? context.measureText(count).width : 0;
  const start = x - (nameWidth + countWidth) / 2;
  context.textAlign = 'left';
  context.textBaseline = 'middle';
  context.font = plain;
  context.fillStyle = palette.colour('--fg');
  context.fillText(name, start, y);
  if (count) {
    context.font = bold;
    context.fillStyle = palette.colour('--state-open');
    context.fillText(count, start + nameWidth, y);
  }
}

/** What one view of the map shows: its edges with their looks and its nodes with their counts. */
export interface MapPlan {
  view: MapRect;
  edges: Array<{ index: number; look: EdgeLook }>;
  nodes: Array<{ node: MapNode; placed: PlacedNode; tripped: number }>;
  /** Equal for two plans that draw the same picture, so a state change out of view (or one that shows no difference) draws nothing. */
  key: string;
}

/** The edges and nodes that `view` (layout pixels) shows, with their live looks. */
export function planMap(scene: MapScene, view: MapRect, lookOf: (breakerId: string) => EdgeLook, emphasis: MapEmphasis): MapPlan {
  const parts = [view.left, view.top, view.width, view.height, emphasis.hovered, emphasis.focused].map(String);
  const edges: MapPlan['edges'] = [];
  for (const index of scene.edgesIn(view, EDGE_MARGIN)) {
    const look = lookOf(scene.topology.edges[index]!.breakerId);
    edges.push({ index, look });
    parts.push(`${index}:${look.status}:${edgeBadge(look) ?? ''}`);
  }
  const nodes: MapPlan['nodes'] = [];
  for (const { node, placed } of scene.nodesIn(view)) {
    const tripped = trippedOf(node, lookOf);
    nodes.push({ node, placed, tripped });
    if (tripped > 0) parts.push(`${node.id}:${tripped}`);
  }
  return { view, edges, nodes, key: parts.join('|') };
}

/**
 * Draws a plan onto a canvas the size of its view: the edges, grouped by
 * status so each style is set once, then the count badges of unhealthy
 * edges, then the nodes over them. The cost follows what is in view, never
 * the size of the map.
 */
export function drawMap(context: CanvasRenderingContext2D, scene: MapScene, plan: MapPlan, pixelRatio: number, palette: MapPalette, emphasis: MapEmphasis): void {
  const { view } = plan;
  context.setTransform(1, 0, 0, 1, 0, 0);
  context.clearRect(0, 0, context.canvas.width, context.canvas.height);
  context.setTransform(pixelRatio, 0, 0, pixelRatio, -view.left * pixelRatio, -view.top * pixelRatio);
  context.lineCap = 'butt';
  context.lineJoin = 'round';

  const { edges } = scene.topology;
  const looks = new Map<number, EdgeLook>();
  const byStatus = new Map<TBreakerStatus, number[]>();
  for (const { index, look } of plan.edges) {
    looks.set(index, look);
    const group = byStatus.get(look.status);
    if (group) group.push(index);
    else byStatus.set(look.status, [index]);
  }
  for (const status of DRAW_ORDER) {
    const line = EDGE_LINE[status];
    context.strokeStyle = palette.colour(line.colour);
    context.lineWidth = line.width;
    context.globalAlpha = line.opacity;
    context.setLineDash(line.dash);
    for (const index of byStatus.get(status) ?? []) context.stroke(scene.path(index));
  }

  for (const index of new Set([emphasis.focused, emphasis.hovered])) {
    if (index === null || !edges[index]) continue;
    const look = looks.get(index);
    if (!look) continue;
    const line = EDGE_LINE[look.status];
    const path = scene.path(index);
    if (index === emphasis.focused) {
      context.strokeStyle = FOCUS_COLOUR;
      context.lineWidth = line.width + 6;
      context.globalAlpha = 0.5;
      context.setLineDash([]);
      context.stroke(path);
    }
    context.strokeStyle = palette.colour(line.colour);
    context.lineWidth = Math.max(3, line.width + 1);
    context.globalAlpha = 1;
    context.setLineDash(line.dash);
    context.stroke(path);
  }

  context.globalAlpha = 1;
  context.setLineDash([]);
  context.font = `650 10.5px ${palette.fontFamily}`;
  context.textAlign = 'center';
  context.textBaseline = 'alphabetic';
  context.lineWidth = 3;
  context.strokeStyle = palette.colour('--panel');
  for (const [index, look] of looks) {
    const badge = edgeBadge(look);
    if (!badge) continue;
    const { x, y } = scene.layout.edges[index]!.middle;
    context.strokeText(badge, x, y - 4);
    context.fillStyle = palette.colour(EDGE_LINE[look.status].colour);
    context.fillText(badge, x, y - 4);
  }

  for (const { node, placed, tripped } of plan.nodes) drawNode(context, node, placed, tripped, palette);
}
