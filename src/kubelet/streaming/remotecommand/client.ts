/**
 * The client end of remotecommand over SPDY (client-go tools/remotecommand, protocol v4): what the
 * kubelet does with the URL of CRI's Exec or Attach — open the error stream, then one stream per
 * stream of the exec, copy the client's streams through, and return the Status the runtime's
 * streaming server wrote on the error stream once the command ended.
 */
import type { Readable, Writable } from 'node:stream';
import type { StreamingIO } from '../../runtime/interface.js';
import type { SpdyStream } from '../spdy/connection.js';
import { dialSpdy } from '../spdy/upgrade.js';
import { type RemoteCommandStatus, STREAM_PROTOCOL_V4, StreamType, successStatus } from './protocol.js';
import { encodeTerminalSize } from './resize.js';

function collect(stream: Readable): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.once('end', () => resolve(Buffer.concat(chunks).toString()));
    stream.once('close', () => resolve(Buffer.concat(chunks).toString()));
  });
}

/** Copies a remote output stream into the client's, resolving once the remote end finished. */
function copyOut(from: SpdyStream, to: Writable): Promise<void> {
  return new Promise((resolve) => {
    from.on('data', (c: Buffer) => {
      if (!to.write(c)) {
        from.pause();
        to.once('drain', () => from.resume());
      }
    });
    from.once('end', resolve);
    from.once('close', resolve);
  });
}

export async function streamRemoteCommand(url: string, io: StreamingIO): Promise<RemoteCommandStatus> {
  const { connection } = await dialSpdy(url, [STREAM_PROTOCOL_V4]);
  try {
    const open = (streamType: string) => connection.openStream({ streamType });
    const error = await open(StreamType.error);
    error.end();
    const status = collect(error);
    const copies: Promise<void>[] = [];
    if (io.stdin) {
      const stdin = await open(StreamType.stdin);
      io.stdin.pipe(stdin);
    }
    if (io.stdout) copies.push(copyOut(await open(StreamType.stdout), io.stdout));
    if (io.stderr && !io.tty) copies.push(copyOut(await open(StreamType.stderr), io.stderr));
    if (io.tty) {
      const resize = await open(StreamType.resize);
      io.resize?.on('data', (size) => resize.write(encodeTerminalSize(size)));
    }
    const text = await status;
    await Promise.all(copies);
    return text.trim() === '' ? successStatus() : (JSON.parse(text) as RemoteCommandStatus);
  } finally {
    if (io.stdin) io.stdin.unpipe();
    connection.destroy();
  }
}
