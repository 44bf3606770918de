/**
 * Postgres array literals for the hot batch writers. node-postgres turns a JS
 * array parameter into the same text, but element by element (type checks,
 * escaping, a timezone-aware rendering of every Date); for the 100,000-row
 * bucket flushes of a large fleet that work ran synchronously for hundreds of
 * milliseconds. These values need no escaping: uuids, integers and ISO dates
 * hold no quotes, backslashes, commas or braces.
 */

/** `{a,b,c}` for uuids or whole numbers. */
export function plainArray(values: ReadonlyArray<string | number>): string {
  return `{${values.join(',')}}`;
}

/** `{"…","…"}` for timestamps given as epoch ms; buckets share few distinct starts, so each is rendered once. */
export function timestampArray(epochMs: readonly number[]): string {
  const rendered = new Map<number, string>();
  const parts = epochMs.map((ms) => {
    let text = rendered.get(ms);
    if (text === undefined) rendered.set(ms, (text = `"${new Date(ms).toISOString()}"`));
    return text;
  });
  return `{${parts.join(',')}}`;
}

/** `{"{1,2}","{3}"}`: a text[] of bigint[] literals, cast back in SQL. */
export function nestedLiteralArray(literals: readonly string[]): string {
  return `{"${literals.join('","')}"}`;
}
