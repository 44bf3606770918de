/** One sample of the Prometheus text exposition (or OpenMetrics text). */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParsedExposition {
  samples: PromSample[];
  /** Lines that were neither a sample, a comment nor blank (the first few, for the error shown). */
  badLines: string[];
  badLineCount: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

function parseValue(text: string): number | null {
  switch (text) {
    case 'NaN':
      return Number.NaN;
    case '+Inf':
    case 'Inf':
      return Number.POSITIVE_INFINITY;
    case '-Inf':
      return Number.NEGATIVE_INFINITY;
  }
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return null;
  return Number(text);
}

/** Reads `{a="x",b="y\"z",}` from position `at` (just after `{`); returns the labels and the position after `}`, or null. */
function parseLabels(line: string, start: number): { labels: Record<string, string>; end: number } | null {
  const labels: Record<string, string> = {};
  let at = start;
  for (;;) {
    while (line[at] === ' ') at += 1;
    if (line[at] === '}') return { labels, end: at + 1 };
    const name = LABEL_NAME.exec(line.slice(at));
    if (!name) return null;
    at += name[0].length;
    while (line[at] === ' ') at += 1;
    if (line[at] !== '=') return null;
    at += 1;
    while (line[at] === ' ') at += 1;
    if (line[at] !== '"') return null;
    at += 1;
    let value = '';
    for (;;) {
      const char = line[at];
      if (char === undefined) return null;
      if (char === '"') break;
      if (char === '\\') {
        const next = line[at + 1];
        value += next === 'n' ? '\n' : next === '\\' ? '\\' : next === '"' ? '"' : `\\${next ?? ''}`;
        at += 2;
        continue;
      }
      value += char;
      at += 1;
    }
    at += 1;
    labels[name[0]] = value;
    while (line[at] === ' ') at += 1;
    if (line[at] === ',') at += 1;
    else if (line[at] !== '}') return null;
  }
}

/**
 * A small reader of the Prometheus text format 0.0.4 and OpenMetrics text:
 * samples only (HELP/TYPE and other `#` lines are skipped, so names are read
 * as exposed); label values with `\"`, `\\` and `\n` escapes; a trailing
 * comma in a label set (the older Java client prints one); NaN and ±Inf; an
 * optional timestamp, ignored. A line it cannot read is counted, not fatal.
 */
export function parsePrometheusText(text: string): ParsedExposition {
  const samples: PromSample[] = [];
  const badLines: string[] = [];
  let badLineCount = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const sample = parseLine(line);
    if (sample) samples.push(sample);
    else {
      badLineCount += 1;
      if (badLines.length < 3) badLines.push(line.slice(0, 200));
    }
  }
  return { samples, badLines, badLineCount };
}

function parseLine(line: string): PromSample | null {
  const name = NAME.exec(line);
  if (!name) return null;
  let at = name[0].length;
  let labels: Record<string, string> = {};
  if (line[at] === '{') {
    const parsed = parseLabels(line, at + 1);
    if (!parsed) return null;
    labels = parsed.labels;
    at = parsed.end;
  }
  const rest = line.slice(at).trim().split(/\s+/);
  if (rest.length < 1 || rest.length > 2 || rest[0] === '') return null;
  const value = parseValue(rest[0]!);
  if (value === null) return null;
  if (rest.length === 2 && parseValue(rest[1]!) === null) return null;
  return { name: name[0], labels, value };
}
