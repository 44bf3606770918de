/**
 * Splits a `text/event-stream` body into the `data` of its messages, as
 * Hystrix and its variants write it (COMPAT.md §9.1): `data:` with or without
 * a space, several `data:` lines joined by a newline, and everything else
 * skipped — `ping:` keep-alives (not a valid SSE field), `:` comments,
 * `event:`, `id:` and `retry:` lines, messages with no or empty data.
 */
export class SseReader {
  private pending = '';
  private data: string[] = [];

  /** `maxLineBytes` bounds what a stream without newlines can make the panel hold. */
  constructor(private readonly maxLineBytes = 1_048_576) {}

  /** Feeds decoded text; returns the data of every message it completed. */
  push(text: string): string[] {
    this.pending += text;
    const messages: string[] = [];
    let start = 0;
    for (let end = this.pending.indexOf('\n', start); end !== -1; end = this.pending.indexOf('\n', start)) {
      const line = this.pending.slice(start, end).replace(/\r$/, '');
      start = end + 1;
      const message = this.line(line);
      if (message !== null) messages.push(message);
    }
    this.pending = this.pending.slice(start);
    if (this.pending.length > this.maxLineBytes) throw new Error(`a line of the stream is longer than ${this.maxLineBytes} bytes`);
    return messages;
  }

  private line(line: string): string | null {
    if (line === '') {
      const data = this.data.join('\n');
      this.data = [];
      return data.trim() === '' ? null : data;
    }
    if (line.startsWith('data:')) this.data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
    return null;
  }
}
