import { EDGE_LINE } from '../../components/map/edge-look';

/** The theme's colours and font as a canvas needs them: resolved values, not `var(--…)`. */
export interface MapPalette {
  colour(property: string): string;
  fontFamily: string;
}

const PROPERTIES = ['--bg', '--fg', '--panel', '--border', '--muted', ...new Set(Object.values(EDGE_LINE).map((line) => line.colour))];

/** Reads the colours in effect at `element` (the theme follows the system setting, so the map reads them again when it changes). */
export function readPalette(element: Element): MapPalette {
  const style = getComputedStyle(element);
  const colours = new Map(PROPERTIES.map((property) => [property, style.getPropertyValue(property).trim()]));
  const text = style.color;
  return {
    colour: (property) => colours.get(property) || text,
    fontFamily: style.fontFamily,
  };
}
