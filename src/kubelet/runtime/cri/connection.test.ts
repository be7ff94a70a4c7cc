/**
 * The CRI client's gRPC layer against an in-process gRPC server on a unix socket (no containerd):
 * status codes become RuntimeError codes, deadlines end calls, a runtime that goes away answers
 * Unavailable and is reached again when it is back, and the GetContainerEvents stream stays
 * silent on UNIMPLEMENTED and is reopened when it breaks.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type sendUnaryData, Server, type ServerUnaryCall, type ServerWritableStream, ServerCredentials, status } from '@grpc/grpc-js';
import { type ContainerEventResponse, isRuntimeError, type RuntimeErrorCode } from '../interface.js';
import { CriRuntime } from './cri-runtime.js';
import { type CriService, criMethod } from './proto.js';

type Handler = (call: ServerUnaryCall<object, object> | ServerWritableStream<object, object>, callback: sendUnaryData<object>) => void;

/** A gRPC server on `socket` serving the given CRI methods with the client's own message types. */
async function serve(socket: string, handlers: Record<string, Handler>, service: CriService = 'RuntimeService'): Promise<Server> {
  const server = new Server();
  const definition: Record<string, object> = {};
  for (const name of Object.keys(handlers)) {
    const m = criMethod(service, name);
    definition[name] = {
      path: m.path,
      requestStream: false,
      responseStream: m.responseStream,
      requestSerialize: (v: object) => Buffer.from(m.requestType.encode(m.requestType.fromObject(v)).finish()),
      requestDeserialize: (b: Buffer) => m.requestType.toObject(m.requestType.decode(b)),
      responseSerialize: (v: object) => Buffer.from(m.responseType.encode(m.responseType.fromObject(v)).finish()),
      responseDeserialize: (b: Buffer) => m.responseType.toObject(m.responseType.decode(b)),
    };
  }
  // biome-ignore lint/suspicious/noExplicitAny: grpc-js types a hand-made service definition loosely
  server.addService(definition as any, handlers as any);
  await new Promise<void>((resolve, reject) =>
    server.bindAsync(`unix://${socket}`, ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve())),
  );
  return server;
}

const stop = (server: Server) => new Promise<void>((resolve) => server.tryShutdown(() => resolve()));

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const version = { version: '0.1.0', runtimeName: 'test', runtimeVersion: '1', runtimeApiVersion: 'v1' };

describe('CRI connection', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k8ts-cri-conn-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const socketFor = (name: string) => join(dir, `${name}.sock`);

  it('maps gRPC status codes to RuntimeError codes and keeps the runtime message', async () => {
    const cases: [number, RuntimeErrorCode, string?][] = [
      [status.NOT_FOUND, 'NotFound'],
      [status.ALREADY_EXISTS, 'AlreadyExists'],
      [status.INVALID_ARGUMENT, 'InvalidArgument'],
      [status.FAILED_PRECONDITION, 'FailedPrecondition'],
      [status.UNAVAILABLE, 'Unavailable'],
      [status.DEADLINE_EXCEEDED, 'DeadlineExceeded'],
      [status.UNIMPLEMENTED, 'Unimplemented'],
      [status.UNKNOWN, 'Unknown'],
      [status.INTERNAL, 'Unknown'],
      [status.PERMISSION_DENIED, 'Unknown'],
      // containerd starting: its CRI plugin has not recovered its state yet
      [status.UNKNOWN, 'Unavailable', 'server is not initialized yet'],
    ];
    let next = 0;
    const socket = socketFor('codes');
    const server = await serve(socket, {
      ContainerStatus: (_call, cb) => {
        const [code, , details] = cases[next++] ?? [status.OK];
        cb({ code, details: details ?? 'container "c1" says no' });
      },
    });
    const rt = new CriRuntime({ endpoint: `unix://${socket}`, timeoutMs: 5000 });
    try {
      for (const [grpcCode, want, details] of cases) {
        await assert.rejects(rt.containerStatus('c1'), (err: unknown) => {
          assert.ok(isRuntimeError(err), String(err));
          assert.equal(err.code, want, `gRPC status ${grpcCode}`);
          assert.equal(err.message, details ?? 'container "c1" says no');
          return true;
        });
      }
    } finally {
      rt.close();
      await stop(server);
    }
  });

  it('ends a call the runtime never answers at its deadline', async () => {
    const socket = socketFor('hang');
    const server = await serve(socket, { Version: () => {} });
    const rt = new CriRuntime({ endpoint: `unix://${socket}`, timeoutMs: 200 });
    try {
      const t0 = Date.now();
      await assert.rejects(rt.version('v1'), (err: unknown) => isRuntimeError(err, 'DeadlineExceeded'));
      assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
    } finally {
      rt.close();
      server.forceShutdown();
    }
  });

  it('answers Unavailable while the runtime is down and reconnects when it is back', async () => {
    const socket = socketFor('restart');
    const handlers = { Version: ((_call, cb) => cb(null, version)) as Handler };
    let server = await serve(socket, handlers);
    const rt = new CriRuntime({ endpoint: `unix://${socket}`, timeoutMs: 10_000, maxReconnectBackoffMs: 200 });
    try {
      assert.equal((await rt.version('v1')).runtimeName, 'test');
      server.forceShutdown();
      await rm(socket, { force: true });
      const t0 = Date.now();
      await assert.rejects(rt.version('v1'), (err: unknown) => isRuntimeError(err, 'Unavailable'));
      assert.ok(Date.now() - t0 < 5000, `Unavailable took ${Date.now() - t0} ms`);
      server = await serve(socket, handlers);
      await waitFor('the client to reconnect', () =>
        rt.version('v1').then(
          () => true,
          () => false,
        ),
      );
    } finally {
      rt.close();
      server.forceShutdown();
    }
  });

  it('keeps GetContainerEvents silent and closed when the runtime does not implement it', async () => {
    const socket = socketFor('unimplemented');
    let calls = 0;
    const server = await serve(socket, {
      GetContainerEvents: (call) => {
        calls++;
        (call as ServerWritableStream<object, object>).emit('error', { code: status.UNIMPLEMENTED, details: 'not implemented' });
      },
      Version: (_call, cb) => cb(null, version),
    });
    const rt = new CriRuntime({ endpoint: `unix://${socket}`, events: { initialBackoffMs: 10, maxBackoffMs: 10 } });
    const ac = new AbortController();
    const events: ContainerEventResponse[] = [];
    try {
      rt.getContainerEvents((e) => events.push(e), ac.signal);
      await waitFor('the stream to be opened', () => calls === 1);
      // a retry would come after 10 ms; a few round trips later there was none
      for (let i = 0; i < 5; i++) await rt.version('v1');
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(calls, 1);
      assert.deepEqual(events, []);
    } finally {
      ac.abort();
      rt.close();
      server.forceShutdown();
    }
  });

  it('delivers events in milliseconds and reopens a broken stream until aborted', async () => {
    const socket = socketFor('events');
    let calls = 0;
    let cancelled = 0;
    const server = await serve(socket, {
      GetContainerEvents: (c) => {
        const call = c as ServerWritableStream<object, object>;
        calls++;
        call.on('cancelled', () => cancelled++);
        call.write({ containerId: `c${calls}`, containerEventType: 'CONTAINER_STARTED_EVENT', createdAt: '1700000000123456789' });
        // the first stream breaks (a runtime restart); the second stays open
        if (calls === 1) call.emit('error', { code: status.UNAVAILABLE, details: 'restarting' });
      },
    });
    const rt = new CriRuntime({ endpoint: `unix://${socket}`, events: { initialBackoffMs: 10, maxBackoffMs: 50 } });
    const ac = new AbortController();
    const events: ContainerEventResponse[] = [];
    try {
      rt.getContainerEvents((e) => events.push(e), ac.signal);
      await waitFor('events from two streams', () => events.length === 2);
      assert.deepEqual(events[0], {
        containerId: 'c1',
        containerEventType: 'CONTAINER_STARTED_EVENT',
        createdAt: 1_700_000_000_123,
        containersStatuses: [],
      });
      assert.equal(events[1]?.containerId, 'c2');
      ac.abort();
      await waitFor('the server to see the stream cancelled', () => cancelled === 1);
      assert.equal(calls, 2);
    } finally {
      ac.abort();
      rt.close();
      server.forceShutdown();
    }
  });
});
