/**
 * Runs one handler of a probe or lifecycle hook against a container (prober.go runProbe,
 * lifecycle/handlers.go): exec through the runtime's ExecSync (a timeout fails as
 * `command "<cmd>" timed out`), httpGet to the pod IP (or the handler's host) on a port given by
 * number or by the name of a container port, tcpSocket, grpc. A handler that cannot run at all
 * (unknown port name, runtime error) yields Unknown with the error as output.
 */
import { asObj, objs, str, type Obj } from '../../api/core/access.js';
import { isRuntimeError, type Runtime } from '../runtime/interface.js';
import type { ActionOutcome, HTTPGetRequest, ProbeNetwork } from './interface.js';

export interface HandlerContext {
  runtime: Runtime;
  network: ProbeNetwork;
}

/** The container a handler acts on. */
export interface HandlerTarget {
  /** The container's spec (ports, name). */
  container: Obj;
  containerId: string;
  podIP: string;
}

/** A handler's port: a number, or the name of one of the container's ports. */
export function resolvePort(port: unknown, container: Obj): number | undefined {
  if (typeof port === 'number') return port > 0 && port < 65536 ? port : undefined;
  const name = str(port);
  if (/^\d+$/.test(name)) return resolvePort(Number(name), container);
  const found = objs(container['ports']).find((p) => p['name'] === name);
  return typeof found?.['containerPort'] === 'number' ? found['containerPort'] : undefined;
}

function decode(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString();
}

/** Runs `handler` (a Probe or a LifecycleHandler: exec | httpGet | tcpSocket | grpc) within `timeoutSeconds` (0: none, exec only). */
export async function runHandler(ctx: HandlerContext, target: HandlerTarget, handler: Obj, timeoutSeconds: number): Promise<ActionOutcome> {
  const timeoutMs = (timeoutSeconds > 0 ? timeoutSeconds : 3600) * 1000;
  const exec = asObj(handler['exec']);
  if (exec) {
    const command = (Array.isArray(exec['command']) ? exec['command'] : []).map(String);
    try {
      const res = await ctx.runtime.execSync(target.containerId, command, timeoutSeconds);
      const stderr = decode(res.stderr);
      return { result: res.exitCode === 0 ? 'Success' : 'Failure', output: decode(res.stdout) + stderr, exitCode: res.exitCode, stderr };
    } catch (err) {
      if (isRuntimeError(err, 'DeadlineExceeded')) return { result: 'Failure', output: `command "${command.join(' ')}" timed out` };
      return { result: 'Unknown', output: err instanceof Error ? err.message : String(err) };
    }
  }
  const http = asObj(handler['httpGet']);
  const tcp = asObj(handler['tcpSocket']);
  const grpc = asObj(handler['grpc']);
  const portRef = (http ?? tcp ?? grpc)?.['port'];
  const port = resolvePort(portRef, target.container);
  if (http) {
    if (port === undefined)
      return { result: 'Unknown', output: `couldn't find port: ${String(portRef)} in ${str(target.container['name'])}` };
    const request: HTTPGetRequest = {
      scheme: str(http['scheme']) === 'HTTPS' ? 'HTTPS' : 'HTTP',
      host: str(http['host']) || target.podIP,
      port,
      path: str(http['path']),
      headers: objs(http['httpHeaders']).map((h) => ({ name: str(h['name']), value: str(h['value']) })),
    };
    return ctx.network.httpGet(request, timeoutMs);
  }
  if (tcp) {
    if (port === undefined)
      return { result: 'Unknown', output: `couldn't find port: ${String(portRef)} in ${str(target.container['name'])}` };
    return ctx.network.tcpSocket(str(tcp['host']) || target.podIP, port, timeoutMs);
  }
  if (grpc) {
    if (port === undefined) return { result: 'Unknown', output: `invalid port number: ${String(portRef)}` };
    return ctx.network.grpc(target.podIP, port, str(grpc['service']), timeoutMs);
  }
  return { result: 'Unknown', output: 'missing probe handler' };
}
