/**
 * A SPDY/3.1 connection over a byte stream (an upgraded HTTP/1.1 socket, or the bytes of a
 * WebSocket tunnel), in either role: the server (the kubelet facing kubectl) answers the streams
 * the peer opens; the client (the kubelet facing containerd's streaming server, and the tests)
 * opens streams and waits for their SYN_REPLY. Each stream is a Node Duplex with SPDY's
 * half-close: ending the writable side sends FLAG_FIN, the peer's FLAG_FIN ends the readable side.
 *
 * Flow control: the receiver sends a stream's WINDOW_UPDATE as it hands data on (after half of
 * the 64 KiB initial window). No connection-level (stream 0) update is sent: Kubernetes' peers
 * speak SPDY/3 framing, which has no connection window. The sender does not wait for the peer's
 * window: Kubernetes' SPDY library (moby/spdystream) never sends WINDOW_UPDATE (its issue #2), so
 * a sender that honoured the window would stall at 64 KiB; TCP's backpressure bounds memory.
 *
 * When the socket closes, the frames already read are handled first (containerd closes right
 * after its last DATA frames), then the streams end.
 */
import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';
import { FLAG_FIN, type Frame, FrameReader, decodeFrame, encodeFrame, RstStatus, type SpdyHeaders, SpdyProtocolError } from './frames.js';
import { type HeaderContext, headerDeflater, headerInflater } from './header-compression.js';

export const INITIAL_WINDOW_SIZE = 64 * 1024;
/**
 * How much a stream buffers for a reader that does not keep up before the whole connection stops
 * reading (streams share one socket; spdystream's frame handlers block the same way).
 */
const STREAM_BUFFER = 1024 * 1024;
/** DATA frames the connection sends carry at most this many bytes. */
const MAX_DATA_FRAME = 32 * 1024;

export interface SpdyConnectionOptions {
  /** The server opens even stream ids and the client odd ones. */
  role: 'client' | 'server';
  /**
   * A stream the peer opened. Return false to refuse it (RST_STREAM REFUSED_STREAM); otherwise
   * the connection replies (SYN_REPLY) at once.
   */
  onStream?: (stream: SpdyStream) => boolean | undefined;
}

export class SpdyStream extends Duplex {
  readonly id: number;
  /** The headers of the SYN_STREAM (the peer's, for a stream it opened). */
  readonly headers: SpdyHeaders;
  readonly #conn: SpdyConnection;
  #localFinished = false;
  #remoteFinished = false;
  #unacknowledged = 0;
  #resetByPeer = false;

  constructor(conn: SpdyConnection, id: number, headers: SpdyHeaders) {
    super({ allowHalfOpen: true, readableHighWaterMark: STREAM_BUFFER });
    this.#conn = conn;
    this.id = id;
    this.headers = headers;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.#resetByPeer) return callback(new SpdyProtocolError(`stream ${this.id} was reset`));
    const frames: Promise<void>[] = [];
    for (let off = 0; off < chunk.length; off += MAX_DATA_FRAME) {
      frames.push(this.#conn.send({ type: 'data', streamId: this.id, flags: 0, data: chunk.subarray(off, off + MAX_DATA_FRAME) }));
    }
    // a connection that went away ends the stream quietly, as a closed socket's writes do in Go
    Promise.all(frames).then(
      () => callback(),
      () => {
        callback();
        this.destroy();
      },
    );
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.#resetByPeer) return callback();
    this.#localFinished = true;
    this.#conn
      .send({ type: 'data', streamId: this.id, flags: FLAG_FIN, data: Buffer.alloc(0) })
      .then(
        () => this.#maybeDone(),
        () => undefined,
      )
      .finally(() => callback());
  }

  override _read(): void {
    this.#conn.resumeReading();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!(this.#localFinished && this.#remoteFinished)) {
      this.#localFinished = this.#remoteFinished = true;
      this.#conn.send({ type: 'rstStream', streamId: this.id, status: RstStatus.CANCEL }).catch(() => undefined);
    }
    this.#conn.forget(this.id);
    callback(error);
  }

  /** Data from the peer; returns the bytes to acknowledge now (half a window at a time). */
  receive(data: Buffer, fin: boolean): number {
    let ack = 0;
    if (data.length > 0) {
      if (!this.push(data)) this.#conn.pauseReading();
      this.#unacknowledged += data.length;
      if (this.#unacknowledged >= INITIAL_WINDOW_SIZE / 2 && !fin) {
        ack = this.#unacknowledged;
        this.#unacknowledged = 0;
      }
    }
    if (fin) this.remoteFinish();
    return ack;
  }

  remoteFinish(): void {
    if (this.#remoteFinished) return;
    this.#remoteFinished = true;
    this.push(null);
    this.#maybeDone();
  }

  /**
   * The peer reset the stream. As in spdystream, reading then ends (after what already arrived)
   * and writing fails; a stream not yet handed out is just dropped.
   */
  reset(handedOut: boolean): void {
    this.#localFinished = this.#remoteFinished = true;
    this.#resetByPeer = true;
    this.#conn.forget(this.id);
    if (!handedOut) {
      this.destroy();
      return;
    }
    this.push(null);
    if (this.writableFinished || this.writableEnded) return;
    this.end();
  }

  #maybeDone(): void {
    if (this.#localFinished && this.#remoteFinished) this.#conn.forget(this.id);
  }
}

export class SpdyConnection extends EventEmitter {
  readonly #socket: Duplex;
  readonly #options: SpdyConnectionOptions;
  readonly #reader = new FrameReader();
  readonly #deflate: HeaderContext = headerDeflater();
  readonly #inflate: HeaderContext = headerInflater();
  readonly #streams = new Map<number, SpdyStream>();
  readonly #replies = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  #nextStreamId: number;
  #lastRemoteStreamId = 0;
  #inbound: Promise<void> = Promise.resolve();
  #outbound: Promise<unknown> = Promise.resolve();
  #closed = false;
  #goingAway = false;
  /** Resolves when the underlying socket closed. */
  readonly closed: Promise<void>;

  constructor(socket: Duplex, options: SpdyConnectionOptions) {
    super();
    this.#socket = socket;
    this.#options = options;
    this.#nextStreamId = options.role === 'client' ? 1 : 2;
    this.closed = new Promise((resolve) => this.once('close', resolve));
    socket.on('data', (chunk: Buffer) => {
      let frames: ReturnType<FrameReader['push']>;
      try {
        frames = this.#reader.push(chunk);
      } catch (err) {
        this.#fail(err as Error);
        return;
      }
      for (const raw of frames) {
        this.#inbound = this.#inbound
          .then(async () => this.#handle(await decodeFrame(raw, this.#inflate.codec)))
          .catch((err: Error) => this.#fail(err));
      }
    });
    // the frames already read are handled before the streams end (their data is still queued)
    const drainThenTeardown = () => void this.#inbound.then(() => this.#teardown());
    socket.on('error', drainThenTeardown);
    socket.on('close', drainThenTeardown);
    socket.on('end', drainThenTeardown);
  }

  /** Opens a stream with these headers; resolves once the peer replied, rejects if it refused. */
  openStream(headers: SpdyHeaders): Promise<SpdyStream> {
    if (this.#closed || this.#goingAway) return Promise.reject(new SpdyProtocolError('connection is closed'));
    const id = this.#nextStreamId;
    this.#nextStreamId += 2;
    const stream = new SpdyStream(this, id, headers);
    this.#streams.set(id, stream);
    const replied = new Promise<void>((resolve, reject) => this.#replies.set(id, { resolve, reject }));
    this.send({ type: 'synStream', streamId: id, associatedStreamId: 0, priority: 0, flags: 0, headers }).catch(() => undefined);
    return replied.then(() => stream);
  }

  /** Queues a frame; frames go out in the order they were queued (header blocks share one zlib context). */
  send(frame: Frame): Promise<void> {
    const p = this.#outbound.then(async () => {
      if (this.#closed) throw new SpdyProtocolError('connection is closed');
      const bytes = await encodeFrame(frame, this.#deflate.codec);
      await new Promise<void>((resolve, reject) => this.#socket.write(bytes, (err) => (err ? reject(err) : resolve())));
    });
    this.#outbound = p.catch(() => undefined);
    return p;
  }

  /** Says GOAWAY and closes the socket once the frames queued so far are out. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#goingAway = true;
    await this.send({ type: 'goaway', lastGoodStreamId: this.#lastRemoteStreamId, status: 0 }).catch(() => undefined);
    this.#socket.end();
  }

  /** Drops the connection at once. */
  destroy(): void {
    this.#socket.destroy();
    this.#teardown();
  }

  pauseReading(): void {
    this.#socket.pause();
  }

  resumeReading(): void {
    this.#socket.resume();
  }

  forget(id: number): void {
    this.#streams.delete(id);
  }

  async #handle(frame: Frame): Promise<void> {
    switch (frame.type) {
      case 'synStream':
        return this.#accept(frame.streamId, frame.headers, (frame.flags & FLAG_FIN) !== 0);
      case 'synReply': {
        this.#replies.get(frame.streamId)?.resolve();
        this.#replies.delete(frame.streamId);
        if (frame.flags & FLAG_FIN) this.#streams.get(frame.streamId)?.remoteFinish();
        return;
      }
      case 'data': {
        const stream = this.#streams.get(frame.streamId);
        const ack = stream ? stream.receive(frame.data, (frame.flags & FLAG_FIN) !== 0) : 0;
        if (ack > 0) await this.send({ type: 'windowUpdate', streamId: frame.streamId, delta: ack }).catch(() => undefined);
        return;
      }
      case 'headers':
        if (frame.flags & FLAG_FIN) this.#streams.get(frame.streamId)?.remoteFinish();
        return;
      case 'rstStream': {
        const reply = this.#replies.get(frame.streamId);
        this.#replies.delete(frame.streamId);
        reply?.reject(new SpdyProtocolError(`stream ${frame.streamId} was refused (status ${frame.status})`));
        this.#streams.get(frame.streamId)?.reset(reply === undefined);
        return;
      }
      case 'ping':
        // echo the peer's pings (ids of the other parity); ours are never sent
        if ((frame.id & 1) !== (this.#options.role === 'client' ? 1 : 0)) await this.send(frame).catch(() => undefined);
        return;
      case 'goaway':
        this.#goingAway = true;
        return;
      case 'settings':
      case 'windowUpdate':
      case 'unknown':
        return;
    }
  }

  async #accept(id: number, headers: SpdyHeaders, fin: boolean): Promise<void> {
    const expectedParity = this.#options.role === 'server' ? 1 : 0;
    if ((id & 1) !== expectedParity || id <= this.#lastRemoteStreamId || this.#goingAway) {
      await this.send({ type: 'rstStream', streamId: id, status: RstStatus.PROTOCOL_ERROR }).catch(() => undefined);
      return;
    }
    this.#lastRemoteStreamId = id;
    const stream = new SpdyStream(this, id, headers);
    this.#streams.set(id, stream);
    if (this.#options.onStream?.(stream) === false) {
      this.#streams.delete(id);
      await this.send({ type: 'rstStream', streamId: id, status: RstStatus.REFUSED_STREAM }).catch(() => undefined);
      return;
    }
    await this.send({ type: 'synReply', streamId: id, flags: 0, headers: {} }).catch(() => undefined);
    if (fin) stream.remoteFinish();
  }

  #fail(err: Error): void {
    if (this.#closed) return;
    this.emit('protocolError', err);
    this.destroy();
  }

  #teardown(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const { reject } of this.#replies.values()) reject(new SpdyProtocolError('connection closed'));
    this.#replies.clear();
    for (const stream of [...this.#streams.values()]) stream.remoteFinish();
    this.#streams.clear();
    this.#deflate.close();
    this.#inflate.close();
    // the peer's end leaves our half open: close it (it has nothing more to say)
    if (!this.#socket.destroyed) this.#socket.end();
    this.emit('close');
  }
}
