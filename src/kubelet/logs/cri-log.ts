/**
 * The CRI container log format (k8s.io/cri-api logs, written by containerd): one line per
 * chunk, `<RFC3339Nano timestamp> <stream> <tag> <message>`, stream stdout|stderr, tag F (the
 * chunk ends a line) or P (a partial line continued by the next chunk).
 *
 *   2026-12-06T13:00:00.123456789Z stdout F hello
 */

export interface CriLogEntry {
  /** The timestamp as written. */
  timestamp: string;
  /** Epoch milliseconds (for sinceTime / sinceSeconds). */
  time: number;
  stream: 'stdout' | 'stderr';
  /** The message; a full line (tag F) gets its newline back. */
  log: string;
}

/** Parses one line (without its newline); undefined when it is not CRI format. */
export function parseCriLogLine(line: string): CriLogEntry | undefined {
  const a = line.indexOf(' ');
  const b = a < 0 ? -1 : line.indexOf(' ', a + 1);
  if (b < 0) return undefined;
  const timestamp = line.slice(0, a);
  const stream = line.slice(a + 1, b);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const time = Date.parse(timestamp);
  if (Number.isNaN(time)) return undefined;
  // tag field: "F" or "P", possibly with more ':'-separated tags
  const c = line.indexOf(' ', b + 1);
  const tags = c < 0 ? line.slice(b + 1) : line.slice(b + 1, c);
  const message = c < 0 ? '' : line.slice(c + 1);
  const partial = tags.split(':')[0] === 'P';
  return { timestamp, time, stream, log: partial ? message : `${message}\n` };
}

/** A CRI timestamp as the kubelet prints it for --timestamps: RFC3339Nano, trailing zeros of the fraction dropped. */
export function formatLogTimestamp(timestamp: string): string {
  return timestamp.replace(/\.(\d*?)0*(?=Z|[+-]\d{2}:\d{2}$)/, (_, digits: string) => (digits ? `.${digits}` : ''));
}

/** Epoch milliseconds as a CRI timestamp (nanosecond digits zero-padded), in UTC. */
export function criTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

/** One CRI log line (with its newline) for a message on a stream. */
export function criLogLine(ms: number, stream: 'stdout' | 'stderr', message: string): string {
  return `${criTimestamp(ms)} ${stream} F ${message}\n`;
}
