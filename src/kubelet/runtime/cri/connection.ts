/**
 * One gRPC channel to a CRI runtime over its unix socket (@grpc/grpc-js), with generic calls:
 * a request object is encoded with the method's protobufjs type from proto.ts, the response
 * decoded into a plain object (int64 as decimal strings, enums as their names, absent messages as
 * null), and a non-OK status becomes a RuntimeError with the code of CODES.
 *
 * The channel reconnects by itself when the runtime restarts (backoff capped at
 * `maxReconnectBackoffMs`). Calls do not wait for a connection: while the runtime is down they
 * fail with Unavailable, and every unary call carries a deadline, so none hangs forever.
 */
import { Client, credentials, Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { RuntimeError, type RuntimeErrorCode } from '../interface.js';
import { type CriService, criMethod } from './proto.js';

export interface CriConnectionOptions {
  /** The runtime's endpoint: `unix:///run/containerd/containerd.sock` (a bare absolute path works too). */
  endpoint: string;
  /** The longest wait between two reconnection attempts; default 5 s. */
  maxReconnectBackoffMs?: number;
}

/** A decoded response (see the file comment for the representation). */
export type WireObject = Record<string, unknown>;

/** gRPC status → RuntimeError code; any other status is Unknown. */
const CODES: ReadonlyMap<number, RuntimeErrorCode> = new Map([
  [status.NOT_FOUND, 'NotFound'],
  [status.ALREADY_EXISTS, 'AlreadyExists'],
  [status.INVALID_ARGUMENT, 'InvalidArgument'],
  [status.FAILED_PRECONDITION, 'FailedPrecondition'],
  [status.UNAVAILABLE, 'Unavailable'],
  [status.DEADLINE_EXCEEDED, 'DeadlineExceeded'],
  [status.UNIMPLEMENTED, 'Unimplemented'],
]);

/** The upper bound of a CRI message, as the kubelet sets it (16 MiB). */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

const DECODE_OPTIONS = { longs: String, enums: String, defaults: true, arrays: true, objects: true } as const;

/**
 * containerd's CRI plugin answers every call with this UNKNOWN while it starts (between its socket
 * opening and its state being recovered): the runtime is not available yet, as during a restart.
 */
const CRI_NOT_INITIALIZED = 'server is not initialized yet';

/** The RuntimeError of a failed call: the gRPC code mapped, the runtime's own description as message. */
export function runtimeErrorOf(err: Partial<ServiceError>): RuntimeError {
  const starting = err.code === status.UNKNOWN && err.details === CRI_NOT_INITIALIZED;
  const code = starting ? 'Unavailable' : (err.code !== undefined && CODES.get(err.code)) || 'Unknown';
  return new RuntimeError(code, err.details || err.message || `gRPC status ${err.code}`);
}

function target(endpoint: string): string {
  if (endpoint.startsWith('/')) return `unix://${endpoint}`;
  if (!endpoint.startsWith('unix:'))
    throw new RuntimeError('InvalidArgument', `CRI endpoint ${endpoint}: only unix:// sockets are supported`);
  return endpoint;
}

/** What a server stream hands back: its messages, then one end (undefined when the server closed it with OK). */
export interface StreamHandlers {
  onMessage(message: WireObject): void;
  onEnd(err: RuntimeError | undefined): void;
}

export class CriConnection {
  readonly #client: Client;

  constructor(options: CriConnectionOptions) {
    this.#client = new Client(target(options.endpoint), credentials.createInsecure(), {
      'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
      'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
      'grpc.initial_reconnect_backoff_ms': 250,
      'grpc.max_reconnect_backoff_ms': options.maxReconnectBackoffMs ?? 5000,
    });
  }

  /** A unary call that fails with DeadlineExceeded after `timeoutMs` (no deadline when undefined). */
  call<T = WireObject>(service: CriService, name: string, request: object, timeoutMs: number | undefined): Promise<T> {
    const m = criMethod(service, name);
    const options = timeoutMs === undefined ? {} : { deadline: Date.now() + timeoutMs };
    return new Promise<T>((resolve, reject) => {
      this.#client.makeUnaryRequest(
        m.path,
        (value: object) => Buffer.from(m.requestType.encode(m.requestType.fromObject(value)).finish()),
        (bytes: Buffer) => m.responseType.toObject(m.responseType.decode(bytes), DECODE_OPTIONS) as T,
        request,
        new Metadata(),
        options,
        (err, response) => (err ? reject(runtimeErrorOf(err)) : resolve(response as T)),
      );
    });
  }

  /** A server-streaming call; returns a function that cancels it (no onEnd follows a cancel). */
  stream(service: CriService, name: string, request: object, handlers: StreamHandlers): () => void {
    const m = criMethod(service, name);
    const call = this.#client.makeServerStreamRequest(
      m.path,
      (value: object) => Buffer.from(m.requestType.encode(m.requestType.fromObject(value)).finish()),
      (bytes: Buffer) => m.responseType.toObject(m.responseType.decode(bytes), DECODE_OPTIONS),
      request,
      new Metadata(),
    );
    let done = false;
    const finish = (err: RuntimeError | undefined) => {
      if (done) return;
      done = true;
      handlers.onEnd(err);
    };
    call.on('data', (message: WireObject) => {
      if (!done) handlers.onMessage(message);
    });
    call.on('error', (err: ServiceError) => finish(runtimeErrorOf(err)));
    call.on('status', (s: { code: number }) => {
      if (s.code === status.OK) finish(undefined);
    });
    return () => {
      done = true;
      call.cancel();
    };
  }

  /** Closes the channel; calls after this fail. */
  close(): void {
    this.#client.close();
  }
}
