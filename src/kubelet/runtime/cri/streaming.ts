/**
 * CRI's streaming calls (Exec, Attach, PortForward): the runtime answers each with a URL on its
 * streaming server (containerd's listens on 127.0.0.1, see containerd/config.ts), and the kubelet
 * streams there over SPDY as upstream's kubelet does, bridging the client's streams it holds.
 */
import type { Duplex } from 'node:stream';
import { streamRemoteCommand } from '../../streaming/remotecommand/client.js';
import { exitCodeOf } from '../../streaming/remotecommand/protocol.js';
import { forwardPortOverSpdy } from '../../streaming/portforward/client.js';
import { RuntimeError, type StreamingIO } from '../interface.js';

/** One unary RuntimeService call. */
export type CriCall = <T>(name: string, request: object) => Promise<T>;

function streamsOf(io: StreamingIO) {
  return { stdin: io.stdin !== undefined, stdout: io.stdout !== undefined, stderr: io.stderr !== undefined && !io.tty, tty: io.tty };
}

export async function criExec(call: CriCall, containerId: string, cmd: string[], io: StreamingIO): Promise<number> {
  const { url } = await call<{ url: string }>('Exec', { containerId, cmd, ...streamsOf(io) });
  const status = await streamRemoteCommand(url, io);
  try {
    return exitCodeOf(status);
  } catch (err) {
    throw new RuntimeError('Unknown', (err as Error).message);
  }
}

export async function criAttach(call: CriCall, containerId: string, io: StreamingIO): Promise<void> {
  const { url } = await call<{ url: string }>('Attach', { containerId, ...streamsOf(io) });
  const status = await streamRemoteCommand(url, io);
  if (status.status !== 'Success') throw new RuntimeError('Unknown', status.message ?? 'attach failed');
}

export async function criPortForward(call: CriCall, podSandboxId: string, port: number, stream: Duplex): Promise<void> {
  const { url } = await call<{ url: string }>('PortForward', { podSandboxId, port: [port] });
  await forwardPortOverSpdy(url, port, stream);
}
