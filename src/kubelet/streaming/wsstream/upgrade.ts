/**
 * Accepting a WebSocket upgrade with one of the server's subprotocols (the `ws` package does the
 * RFC 6455 handshake); a client offering none of them gets the handshake without a protocol, as
 * upstream's wsstream does, and kubectl then falls back to SPDY.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';

/** One handshake server per list of subprotocols. */
const servers = new Map<string, WebSocketServer>();

function serverFor(protocols: readonly string[]): WebSocketServer {
  const key = protocols.join(',');
  let s = servers.get(key);
  if (!s) {
    s = new WebSocketServer({
      noServer: true,
      perMessageDeflate: false,
      maxPayload: 64 * 1024 * 1024,
      handleProtocols: (offered) => [...offered].find((p) => protocols.includes(p)) ?? false,
    });
    servers.set(key, s);
  }
  return s;
}

export function isWebSocketUpgrade(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
}

/**
 * Completes the handshake; resolves with the socket and the subprotocol chosen ('' when none was
 * shared), or undefined when the handshake failed (ws answered 400 and closed the socket).
 */
export function acceptWebSocket(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  protocols: readonly string[],
): Promise<{ ws: WebSocket; protocol: string } | undefined> {
  return new Promise((resolve) => {
    const failed = () => resolve(undefined);
    socket.once('close', failed);
    serverFor(protocols).handleUpgrade(req, socket, head, (ws) => {
      socket.off('close', failed);
      resolve({ ws, protocol: ws.protocol });
    });
  });
}
