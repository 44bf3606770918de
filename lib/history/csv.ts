/** A CSV cell: strings, numbers, booleans or nothing. */
export type TCsvCell = string | number | boolean | null | undefined;

// RFC 4180: quote a field holding a comma, a quote or a line break, doubling inner quotes.
// A leading =, +, - or @ is also quoted-and-prefixed so a spreadsheet does not run it as a formula.
function cell(value: TCsvCell): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== String(value) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV document with a header row, CRLF line ends (RFC 4180) and every field quoted where needed. */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly TCsvCell[]>): string {
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}
