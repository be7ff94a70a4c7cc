/**
 * WebSocket channel protocols (apiserver util/wsstream, client-go remotecommand/websocket.go):
 * every binary message is one channel byte and the payload. A WebSocketChannels splits a
 * WebSocket into per-channel readable streams and writes a channel's data with its byte in
 * front; v5.channel.k8s.io adds channel 255, whose message [255, n] half-closes channel n.
 */
import { Readable } from 'node:stream';
import type { WebSocket } from 'ws';

export const CLOSE_CHANNEL = 255;

export class WebSocketChannels {
  readonly #ws: WebSocket;
  readonly #readers = new Map<number, Readable>();
  readonly #closeSignal: boolean;
  /** Resolves when the WebSocket closed. */
  readonly closed: Promise<void>;

  /** `closeSignal`: whether channel 255 half-closes channels (v5). */
  constructor(ws: WebSocket, closeSignal: boolean) {
    this.#ws = ws;
    this.#closeSignal = closeSignal;
    this.closed = new Promise((resolve) => ws.once('close', () => resolve()));
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const bytes = isBinary ? data : Buffer.from(data);
      if (bytes.length === 0) return;
      const channel = bytes[0] as number;
      if (channel === CLOSE_CHANNEL && this.#closeSignal) {
        if (bytes.length > 1) this.reader(bytes[1] as number).push(null);
        return;
      }
      const payload = bytes.subarray(1);
      // kept until the channel's reader is asked for: a client may send before the server listens
      if (payload.length > 0) this.reader(channel).push(payload);
    });
    ws.once('close', () => {
      for (const r of this.#readers.values()) if (!r.readableEnded) r.push(null);
    });
  }

  /** What the client sends on a channel. */
  reader(channel: number): Readable {
    let r = this.#readers.get(channel);
    if (!r) {
      r = new Readable({ read: () => undefined });
      this.#readers.set(channel, r);
    }
    return r;
  }

  /** Sends data on a channel; resolves once handed to the socket. */
  write(channel: number, data: Buffer | string): Promise<void> {
    if (this.#ws.readyState !== this.#ws.OPEN) return Promise.resolve();
    const payload = typeof data === 'string' ? Buffer.from(data) : data;
    return new Promise((resolve) => this.#ws.send(Buffer.concat([Buffer.from([channel]), payload]), { binary: true }, () => resolve()));
  }

  /** Closes the WebSocket normally (1000). */
  close(): void {
    if (this.#ws.readyState === this.#ws.OPEN || this.#ws.readyState === this.#ws.CONNECTING) this.#ws.close(1000);
  }
}
