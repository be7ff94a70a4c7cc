/**
 * The server end of remotecommand (upstream kubelet cri/streaming/remotecommand httpstream.go):
 * turns an upgraded exec or attach request into the streams the runtime needs and back into the
 * final status. Over SPDY (kubectl ≤ 1.29, and the fallback of later ones) the client opens one
 * stream per streamType and the status goes on the error stream; over WebSocket (v5/v4 channel
 * protocols: kubectl ≥ 1.30, client-node) the streams are channels and the status is channel 3.
 */
import { type Duplex, Writable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import type { StreamingIO } from '../../runtime/interface.js';
import type { SpdyStream } from '../spdy/connection.js';
import { acceptSpdy } from '../spdy/upgrade.js';
import { WebSocketChannels } from '../wsstream/channels.js';
import { acceptWebSocket, isWebSocketUpgrade } from '../wsstream/upgrade.js';
import type { RemoteCommandOptions } from './options.js';
import {
  type RemoteCommandStatus,
  SPDY_REMOTE_COMMAND_PROTOCOLS,
  STREAM_PROTOCOL_V5,
  StreamType,
  WEBSOCKET_REMOTE_COMMAND_PROTOCOLS,
} from './protocol.js';
import { terminalSizes } from './resize.js';

/** How long the client may take to open its streams (upstream's default stream creation timeout). */
export const STREAM_CREATION_TIMEOUT_MS = 30_000;

/** WebSocket channels of the channel protocols. */
const Channel = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4 } as const;

export interface RemoteCommandSession {
  io: StreamingIO;
  /** Writes the final status, ends the output streams and closes the connection. */
  finish(status: RemoteCommandStatus): Promise<void>;
}

export interface UpgradedRequest {
  req: IncomingMessage;
  socket: Duplex;
  head: Buffer;
}

/** Accepts the upgrade in the protocol the client asked for; undefined when the client went away or never opened its streams. */
export function acceptRemoteCommand(r: UpgradedRequest, options: RemoteCommandOptions): Promise<RemoteCommandSession | undefined> {
  return isWebSocketUpgrade(r.req) ? acceptWebSocketRemoteCommand(r, options) : acceptSpdyRemoteCommand(r, options);
}

function endStream(s: Writable | undefined): Promise<void> {
  if (!s || s.writableEnded || s.destroyed) return Promise.resolve();
  return new Promise((resolve) => s.end(() => resolve()));
}

async function acceptSpdyRemoteCommand(r: UpgradedRequest, options: RemoteCommandOptions): Promise<RemoteCommandSession | undefined> {
  const expected = new Set<string>([StreamType.error]);
  if (options.stdin) expected.add(StreamType.stdin);
  if (options.stdout) expected.add(StreamType.stdout);
  if (options.stderr && !options.tty) expected.add(StreamType.stderr);
  if (options.tty) expected.add(StreamType.resize);
  const streams = new Map<string, SpdyStream>();
  let allOpened: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    allOpened = resolve;
  });
  const session = acceptSpdy(r.req, r.socket, r.head, SPDY_REMOTE_COMMAND_PROTOCOLS, (stream) => {
    const type = stream.headers['streamtype'] ?? '';
    if (!expected.has(type) || streams.has(type)) return false;
    streams.set(type, stream);
    if (streams.size === expected.size) allOpened();
    return undefined;
  });
  if (!session) return undefined;
  const { connection } = session;
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    opened.then(() => 'opened' as const),
    connection.closed.then(() => 'closed' as const),
    new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), STREAM_CREATION_TIMEOUT_MS);
    }),
  ]);
  clearTimeout(timer);
  if (outcome !== 'opened') {
    connection.destroy();
    return undefined;
  }
  const error = streams.get(StreamType.error) as SpdyStream;
  error.resume();
  const io: StreamingIO = { tty: options.tty };
  const stdin = streams.get(StreamType.stdin);
  const stdout = streams.get(StreamType.stdout);
  const stderr = streams.get(StreamType.stderr);
  if (stdin) io.stdin = stdin;
  if (stdout) io.stdout = stdout;
  if (stderr) io.stderr = stderr;
  const resize = streams.get(StreamType.resize);
  if (resize) io.resize = terminalSizes(resize);
  return {
    io,
    finish: async (status) => {
      await Promise.all([endStream(stdout), endStream(stderr)]);
      await new Promise<void>((resolve) => error.end(JSON.stringify(status), () => resolve()));
      await Promise.all([endStream(stdin), endStream(resize)]);
      await connection.close();
    },
  };
}

async function acceptWebSocketRemoteCommand(r: UpgradedRequest, options: RemoteCommandOptions): Promise<RemoteCommandSession | undefined> {
  const accepted = await acceptWebSocket(r.req, r.socket, r.head, WEBSOCKET_REMOTE_COMMAND_PROTOCOLS);
  if (!accepted) return undefined;
  const { ws, protocol } = accepted;
  if (protocol === '') {
    ws.close(1002, 'no supported protocol');
    return undefined;
  }
  const channels = new WebSocketChannels(ws, protocol === STREAM_PROTOCOL_V5);
  const writer = (channel: number) =>
    new Writable({
      write: (chunk: Buffer, _enc, callback) => {
        channels.write(channel, chunk).then(() => callback(), callback);
      },
    });
  const io: StreamingIO = { tty: options.tty };
  if (options.stdin) io.stdin = channels.reader(Channel.stdin);
  if (options.stdout) io.stdout = writer(Channel.stdout);
  if (options.stderr) io.stderr = writer(Channel.stderr);
  if (options.tty) io.resize = terminalSizes(channels.reader(Channel.resize));
  return {
    io,
    finish: async (status) => {
      await Promise.all([endStream(io.stdout), endStream(io.stderr)]);
      await channels.write(Channel.error, JSON.stringify(status));
      channels.close();
    },
  };
}
