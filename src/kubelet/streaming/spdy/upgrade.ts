/**
 * Upgrading an HTTP/1.1 request to SPDY/3.1, as apimachinery's httpstream/spdy does: the server
 * side checks `Connection: Upgrade` + `Upgrade: SPDY/3.1`, negotiates X-Stream-Protocol-Version
 * and answers 101; the client side (toward containerd's streaming server, and in tests) POSTs
 * with those headers and takes over the socket.
 *
 *   acceptSpdy(req, socket, head, protocols, onStream): SpdyConnection & protocol | undefined
 *   dialSpdy(url, protocols): Promise<{ connection, protocol }>
 */
import { request, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  HEADER_ACCEPTED_PROTOCOL_VERSIONS,
  HEADER_PROTOCOL_VERSION,
  headerValues,
  negotiateProtocol,
  writeHttpResponse,
  writeSwitchingProtocols,
} from '../http-upgrade.js';
import { SpdyConnection, type SpdyStream } from './connection.js';

export const HEADER_SPDY31 = 'SPDY/3.1';

export interface SpdySession {
  connection: SpdyConnection;
  protocol: string;
}

/** Whether a request asks for a SPDY/3.1 upgrade. */
export function isSpdyUpgrade(req: IncomingMessage): boolean {
  return (
    headerValues(req, 'connection').some((v) => v.toLowerCase() === 'upgrade') &&
    headerValues(req, 'upgrade').some((v) => v.toLowerCase() === HEADER_SPDY31.toLowerCase())
  );
}

/**
 * Answers the upgrade: 400 without the upgrade headers, 400 without a protocol header, 403 when no
 * protocol is shared (upstream's messages); otherwise 101 and a server-side connection.
 */
export function acceptSpdy(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  serverProtocols: readonly string[],
  onStream: (stream: SpdyStream) => boolean | undefined,
): SpdySession | undefined {
  if (!isSpdyUpgrade(req)) {
    writeHttpResponse(socket, 400, 'unable to upgrade: missing upgrade headers in request\n');
    return undefined;
  }
  const clientProtocols = headerValues(req, HEADER_PROTOCOL_VERSION);
  if (clientProtocols.length === 0) {
    writeHttpResponse(socket, 400, `unable to upgrade: ${HEADER_PROTOCOL_VERSION} is required\n`);
    return undefined;
  }
  const protocol = negotiateProtocol(clientProtocols, serverProtocols);
  if (!protocol) {
    writeHttpResponse(
      socket,
      403,
      `unable to upgrade: unable to negotiate protocol: client supports [${clientProtocols.join(' ')}], server accepts [${serverProtocols.join(' ')}]\n`,
      { [HEADER_ACCEPTED_PROTOCOL_VERSIONS]: [...serverProtocols] },
    );
    return undefined;
  }
  writeSwitchingProtocols(socket, { Connection: 'Upgrade', Upgrade: HEADER_SPDY31, [HEADER_PROTOCOL_VERSION]: protocol });
  const connection = new SpdyConnection(socket, { role: 'server', onStream });
  if (head.length > 0) socket.unshift(head);
  return { connection, protocol };
}

/** Upgrades a POST to `url` to SPDY/3.1, offering `protocols` in order. */
export function dialSpdy(url: string, protocols: readonly string[], signal?: AbortSignal): Promise<SpdySession> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      headers: { Connection: 'Upgrade', Upgrade: HEADER_SPDY31, [HEADER_PROTOCOL_VERSION]: protocols.join(', ') },
      ...(signal ? { signal } : {}),
    });
    req.on('upgrade', (res, socket, head) => {
      const connection = new SpdyConnection(socket, { role: 'client' });
      if (head.length > 0) socket.unshift(head);
      resolve({ connection, protocol: String(res.headers[HEADER_PROTOCOL_VERSION.toLowerCase()] ?? '') });
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => reject(new Error(`${url}: upgrade refused with ${res.statusCode}: ${body.trim()}`)));
    });
    req.on('error', reject);
    req.end();
  });
}
