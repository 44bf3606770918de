import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { edgeLabel, edgeLookOf } from '../../components/map/edge-look';
import styles from '../../components/map/map.module.css';
import { useBreakers } from '../_live/live-provider';
import { drawMap, planMap, type MapEmphasis } from './draw-map';
import type { MapLayout } from './map-layout';
import { LookHub } from './look-hub';
import { MapIndex } from './map-index';
import { readPalette, type MapPalette } from './map-palette';
import { edgeAt, MapScene, type MapRect } from './map-scene';
import type { MapTopology } from './map-topology';

/** Room kept between a focused edge's middle and the frame's border when the map scrolls it into view. */
const FOCUS_MARGIN = 40;

/** What the drawing needs between frames, kept out of React state: hovering, focusing and scrolling redraw the canvas and render nothing. */
interface Drawing extends MapEmphasis {
  palette: MapPalette | null;
  /** The frame's inner size, from its ResizeObserver (reading it on every draw would force a layout). */
  frameWidth: number;
  frameHeight: number;
  pending: number;
  /** The plan last drawn: a draw that would paint the same picture is skipped (painting the canvas is most of a draw's cost). */
  drawnKey: string;
}

/**
 * One layout of the map: a canvas the size of the view, kept in view while
 * its frame scrolls (`position: sticky`), that draws the part of the map under
 * it: on scrolling, on a state change, on hover and focus, at most once a
 * frame. The DOM holds one canvas whatever the size of the map, so scrolling
 * mounts nothing and lays out nothing; the lists beside it carry the map's
 * words and links.
 */
export const MapView = memo(function MapView({ topology, layout, layoutMs, onOpen }: { topology: MapTopology; layout: MapLayout; layoutMs: number; onOpen(breakerId: string, newTab: boolean): void }) {
  const frame = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const caption = useRef<HTMLParagraphElement>(null);
  const scene = useMemo(() => new MapScene(topology, layout), [topology, layout]);
  // A new map on every change of any breaker.
  const byId = useBreakers((state) => state.byId);
  const [hub] = useState(() => new LookHub(byId));
  useEffect(() => hub.update(byId), [hub, byId]);
  const drawing = useRef<Drawing>({ hovered: null, focused: null, palette: null, frameWidth: 0, frameHeight: 0, pending: 0, drawnKey: '' });
  const latest = useRef({ scene, byId });
  useLayoutEffect(() => {
    latest.current = { scene, byId };
  });

  /** The part of the map under the canvas: the sticky canvas sits at the scroll offset, within the map's bounds. */
  const viewOf = useCallback((element: HTMLDivElement): MapRect => {
    const { frameWidth, frameHeight } = drawing.current;
    const { width, height } = latest.current.scene.layout;
    const viewWidth = Math.min(frameWidth, width);
    const viewHeight = Math.min(frameHeight, height);
    return {
      left: Math.max(0, Math.min(element.scrollLeft, width - viewWidth)),
      top: Math.max(0, Math.min(element.scrollTop, height - viewHeight)),
      width: viewWidth,
      height: viewHeight,
    };
  }, []);

  const draw = useCallback(() => {
    const element = frame.current;
    const target = canvas.current;
    const context = target?.getContext('2d');
    if (!element || !target || !context) return;
    const state = drawing.current;
    state.palette ??= readPalette(element);
    const view = viewOf(element);
    const pixelRatio = window.devicePixelRatio || 1;
    const [pixelWidth, pixelHeight] = [Math.round(view.width * pixelRatio), Math.round(view.height * pixelRatio)];
    if (target.width !== pixelWidth || target.height !== pixelHeight) {
      state.drawnKey = '';
      target.width = pixelWidth;
      target.height = pixelHeight;
      target.style.width = `${view.width}px`;
      target.style.height = `${view.height}px`;
    }
    const { scene: current, byId: summaries } = latest.current;
    const plan = planMap(current, view, (id) => edgeLookOf(summaries.get(id)), state);
    if (plan.key !== state.drawnKey) {
      state.drawnKey = plan.key;
      drawMap(context, current, plan, pixelRatio, state.palette, state);
    }
    // The focused edge's name, kept current as its state changes (written only when it changed: a write costs a layout).
    const focused = state.focused === null ? null : current.topology.edges[state.focused];
    const words = focused ? edgeLabel(focused.from, focused.breakerName, edgeLookOf(summaries.get(focused.breakerId))) : '';
    if (caption.current && caption.current.textContent !== words) caption.current.textContent = words;
  }, [viewOf]);

  const requestDraw = useCallback(() => {
    const state = drawing.current;
    if (state.pending) return;
    state.pending = requestAnimationFrame(() => {
      state.pending = 0;
      draw();
    });
  }, [draw]);

  // A new layout is drawn before the browser paints, so it never shows a blank frame.
  useLayoutEffect(() => {
    const element = frame.current;
    if (!element) return;
    drawing.current.frameWidth = element.clientWidth;
    drawing.current.frameHeight = element.clientHeight;
    drawing.current.drawnKey = '';
    draw();
  }, [scene, draw]);

  // State changes recolour at most once a frame, however many arrive.
  useEffect(() => requestDraw(), [byId, requestDraw]);

  useEffect(() => {
    const element = frame.current;
    if (!element) return;
    const state = drawing.current;
    element.addEventListener('scroll', requestDraw, { passive: true });
    const observer = new ResizeObserver(([entry]) => {
      if (!entry) return;
      state.frameWidth = element.clientWidth;
      state.frameHeight = element.clientHeight;
      draw();
    });
    observer.observe(element);
    // The theme follows the system setting: its colours are read again when it changes.
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    const rethemed = () => {
      state.palette = null;
      state.drawnKey = '';
      requestDraw();
    };
    scheme.addEventListener('change', rethemed);
    return () => {
      element.removeEventListener('scroll', requestDraw);
      observer.disconnect();
      scheme.removeEventListener('change', rethemed);
      cancelAnimationFrame(state.pending);
      state.pending = 0;
    };
  }, [draw, requestDraw]);

  /** The edge under the pointer, if any. */
  const edgeUnder = (event: MouseEvent<HTMLCanvasElement>): number | null => {
    const element = frame.current;
    if (!element) return null;
    const view = viewOf(element);
    return edgeAt(scene, view.left + event.nativeEvent.offsetX, view.top + event.nativeEvent.offsetY);
  };

  const hover = (event: MouseEvent<HTMLCanvasElement>) => {
    const index = event.type === 'mouseleave' ? null : edgeUnder(event);
    const state = drawing.current;
    if (index === state.hovered) return;
    state.hovered = index;
    const edge = index === null ? null : topology.edges[index];
    // The tooltip and cursor of the edge under the pointer, as a link would have.
    event.currentTarget.title = edge ? edgeLabel(edge.from, edge.breakerName, edgeLookOf(latest.current.byId.get(edge.breakerId))) : '';
    event.currentTarget.style.cursor = edge ? 'pointer' : '';
    requestDraw();
  };

  const click = (event: MouseEvent<HTMLCanvasElement>) => {
    if (event.button > 1) return;
    const index = edgeUnder(event);
    const edge = index === null ? null : topology.edges[index];
    if (!edge) return;
    event.preventDefault();
    // As on a link: a middle or modified click opens the breaker in a new tab.
    onOpen(edge.breakerId, event.button === 1 || event.metaKey || event.ctrlKey || event.shiftKey);
  };

  const focusEdge = useCallback(
    (index: number | null) => {
      const state = drawing.current;
      state.focused = index;
      const element = frame.current;
      const placed = index === null ? null : latest.current.scene.layout.edges[index];
      if (element && placed) {
        const view = viewOf(element);
        const { x, y } = placed.middle;
        const outside = x < view.left + FOCUS_MARGIN || x > view.left + view.width - FOCUS_MARGIN || y < view.top + FOCUS_MARGIN || y > view.top + view.height - FOCUS_MARGIN;
        if (outside) element.scrollTo({ left: x - view.width / 2, top: y - view.height / 2 });
      }
      requestDraw();
    },
    [viewOf, requestDraw],
  );

  return (
    <section className={styles.map} aria-label="Dependency map" data-layout-ms={layoutMs.toFixed(0)} data-breakers={topology.edges.length}>
      {/* Focusable, so the keyboard can scroll it too. */}
      <div ref={frame} className={styles.frame} tabIndex={0} role="group" aria-label="Map drawing">
        <div className={styles.content} style={{ width: layout.width, height: layout.height }}>
          <canvas ref={canvas} className={styles.canvas} aria-hidden onMouseMove={hover} onMouseLeave={hover} onClick={click} onAuxClick={click} />
        </div>
      </div>
      <p ref={caption} className={styles.caption} aria-hidden />
      <MapIndex topology={topology} hub={hub} onOpen={onOpen} onFocusEdge={focusEdge} />
    </section>
  );
});
