/**
 * The HTTP/1.1 side of Kubernetes' streaming upgrades (apimachinery util/httpstream): reading the
 * protocols a client offers in X-Stream-Protocol-Version, negotiating one as upstream's Handshake
 * does (the client's order wins), and answering on a raw upgraded socket — the 101, or an error
 * response before any protocol starts.
 */
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

export const HEADER_PROTOCOL_VERSION = 'X-Stream-Protocol-Version';
export const HEADER_ACCEPTED_PROTOCOL_VERSIONS = 'X-Accepted-Stream-Protocol-Versions';

/** A header's values, split on commas (repeated headers arrive joined with ", "). */
export function headerValues(req: IncomingMessage, name: string): string[] {
  const raw = req.headers[name.toLowerCase()];
  const joined = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
  return joined
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The first protocol of the client's list that the server speaks. */
export function negotiateProtocol(clientProtocols: string[], serverProtocols: readonly string[]): string | undefined {
  return clientProtocols.find((p) => serverProtocols.includes(p));
}

/** Writes a complete HTTP response on a socket that was not upgraded, then ends it. */
export function writeHttpResponse(socket: Duplex, code: number, body: string, headers: Record<string, string | string[]> = {}): void {
  const lines = [`HTTP/1.1 ${code} ${STATUS_CODES[code] ?? ''}`];
  const all: Record<string, string | string[]> = {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Content-Length': String(Buffer.byteLength(body)),
    Connection: 'close',
    ...headers,
  };
  for (const [name, value] of Object.entries(all)) for (const v of [value].flat()) lines.push(`${name}: ${v}`);
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

/** Writes the 101 Switching Protocols reply. */
export function writeSwitchingProtocols(socket: Duplex, headers: Record<string, string>): void {
  const lines = ['HTTP/1.1 101 Switching Protocols', ...Object.entries(headers).map(([n, v]) => `${n}: ${v}`)];
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
}
