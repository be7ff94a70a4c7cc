/**
 * The server end of port-forward (upstream kubelet cri/streaming/portforward): each forwarded
 * connection becomes one `forward(port, stream)` call, whatever the transport —
 *   - SPDY (kubectl ≤ 1.30): stream pairs error+data, matched by requestID, port in a header;
 *   - SPDY tunnelled in WebSocket binary messages (kubectl ≥ 1.31): the same, over the tunnel;
 *   - WebSocket channels v4.channel.k8s.io (client-node): the ports of the query, data channel
 *     2i and error channel 2i+1, each opened by a frame holding the port (uint16 little endian).
 * A failed forward writes its message on the error stream or channel, in upstream's words.
 */
import type { IncomingMessage } from 'node:http';
import { Duplex } from 'node:stream';
import { createWebSocketStream } from 'ws';
import { SpdyConnection, type SpdyStream } from '../spdy/connection.js';
import { acceptSpdy } from '../spdy/upgrade.js';
import { WebSocketChannels } from '../wsstream/channels.js';
import { acceptWebSocket, isWebSocketUpgrade } from '../wsstream/upgrade.js';
import type { UpgradedRequest } from '../remotecommand/server.js';
import {
  PORT_FORWARD_PROTOCOL_V1,
  PORT_HEADER,
  PortForwardStreamType,
  REQUEST_ID_HEADER,
  SPDY_TUNNEL_PROTOCOL,
  WEBSOCKET_CHANNEL_PROTOCOL_V4,
} from './protocol.js';

/** Connects one forwarded connection; rejects with why it failed. */
export type Forward = (port: number, stream: Duplex) => Promise<void>;

/** Serves a port-forward upgrade until the client goes away; `describe` words an error for the error stream. */
export async function servePortForward(
  r: UpgradedRequest,
  forward: Forward,
  describe: (port: number, err: Error) => string,
): Promise<void> {
  if (!isWebSocketUpgrade(r.req)) {
    const session = acceptSpdy(r.req, r.socket, r.head, [PORT_FORWARD_PROTOCOL_V1], spdyStreamHandler(forward, describe));
    if (session) await session.connection.closed;
    return;
  }
  const accepted = await acceptWebSocket(r.req, r.socket, r.head, [SPDY_TUNNEL_PROTOCOL, WEBSOCKET_CHANNEL_PROTOCOL_V4]);
  if (!accepted) return;
  const { ws, protocol } = accepted;
  if (protocol === SPDY_TUNNEL_PROTOCOL) {
    const tunnel = createWebSocketStream(ws);
    tunnel.on('error', () => tunnel.destroy());
    const connection = new SpdyConnection(tunnel, { role: 'server', onStream: spdyStreamHandler(forward, describe) });
    await connection.closed;
    return;
  }
  if (protocol === WEBSOCKET_CHANNEL_PROTOCOL_V4) {
    await serveChannels(r.req, new WebSocketChannels(ws, false), forward, describe);
    return;
  }
  ws.close(1002, 'no supported protocol');
}

function spdyStreamHandler(forward: Forward, describe: (port: number, err: Error) => string) {
  const pairs = new Map<string, { error?: SpdyStream; data?: SpdyStream }>();
  return (stream: SpdyStream): boolean | undefined => {
    const type = stream.headers['streamtype'];
    const port = Number(stream.headers[PORT_HEADER]);
    if (
      (type !== PortForwardStreamType.error && type !== PortForwardStreamType.data) ||
      !Number.isInteger(port) ||
      port <= 0 ||
      port > 65535
    ) {
      return false;
    }
    // clients before requestID paired error stream n with data stream n+2
    const requestId = stream.headers[REQUEST_ID_HEADER] ?? String(type === PortForwardStreamType.data ? stream.id - 2 : stream.id);
    const pair = pairs.get(requestId) ?? {};
    if (pair[type]) return false;
    pair[type] = stream;
    pairs.set(requestId, pair);
    const { error, data } = pair;
    if (error && data) {
      pairs.delete(requestId);
      error.resume();
      forward(port, data)
        .catch((err: Error) => {
          error.write(describe(port, err));
        })
        .finally(() => {
          error.end();
          if (!data.writableEnded) data.end();
        });
    }
    return undefined;
  };
}

async function serveChannels(
  req: IncomingMessage,
  channels: WebSocketChannels,
  forward: Forward,
  describe: (port: number, err: Error) => string,
) {
  const url = new URL(req.url ?? '/', 'http://kubelet');
  const ports = [...url.searchParams.getAll(PORT_HEADER), ...url.searchParams.getAll('ports')]
    .flatMap((p) => p.split(','))
    .map(Number)
    .filter((p) => Number.isInteger(p) && p > 0 && p <= 65535);
  if (ports.length === 0) {
    channels.close();
    return;
  }
  const forwards = ports.map(async (port, i) => {
    const prefix = Buffer.alloc(2);
    prefix.writeUInt16LE(port);
    await channels.write(2 * i, prefix);
    await channels.write(2 * i + 1, prefix);
    const incoming = channels.reader(2 * i);
    const stream = new Duplex({
      read: () => undefined,
      write: (chunk: Buffer, _enc, callback) => {
        channels.write(2 * i, chunk).then(() => callback(), callback);
      },
    });
    incoming.on('data', (c: Buffer) => stream.push(c));
    incoming.once('end', () => stream.push(null));
    try {
      await forward(port, stream);
    } catch (err) {
      await channels.write(2 * i + 1, describe(port, err as Error));
    }
  });
  await Promise.race([Promise.all(forwards), channels.closed]);
  channels.close();
}
