/**
 * A grpc.health.v1.Health server for gRPC probe tests, run as its own process so that it can
 * listen inside a test's network namespace (where a node's hostNetwork pods are probed).
 * As a program it listens on 0.0.0.0:0, prints `listening PORT`, and reads lines
 * `SERVICE STATUS` from stdin (STATUS: SERVING, NOT_SERVING, …; "" is the empty service name);
 * a service it was never told of answers NOT_FOUND, as upstream's health server does.
 *
 *   startGrpcHealthServer(wrap?: (argv) => argv): Promise<GrpcHealthServer>
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Server, ServerCredentials, status as grpcStatus, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';

const STATUSES = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];

export interface GrpcHealthServer {
  port: number;
  /** Sets a service's status and resolves once the server has it. */
  set(service: string, status: 'SERVING' | 'NOT_SERVING'): Promise<void>;
  stop(): Promise<void>;
}

/** Runs the server as a child process, its argv passed through `wrap` (e.g. a netns' command()). */
export async function startGrpcHealthServer(wrap: (argv: string[]) => string[] = (a) => a): Promise<GrpcHealthServer> {
  const [file, ...args] = wrap([process.execPath, '--import', 'tsx', fileURLToPath(import.meta.url)]);
  const child: ChildProcessWithoutNullStreams = spawn(file as string, args, { stdio: 'pipe' });
  const lines = createInterface({ input: child.stdout });
  const waiters: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiters.shift()?.(line));
  const next = (what: string) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`gRPC health server: no ${what} in 20 s`)), 20_000);
      waiters.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
    });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const port = Number(/^listening (\d+)$/.exec(await next('listening line').catch((e: Error) => `${e.message}: ${stderr}`))?.[1]);
  if (!port) {
    child.kill();
    throw new Error(`gRPC health server did not start: ${stderr}`);
  }
  return {
    port,
    set: async (service, status) => {
      const ack = next('acknowledgement');
      child.stdin.write(`${service} ${status}\n`);
      await ack;
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      const closed = new Promise((resolve) => child.once('close', resolve));
      child.kill();
      await closed;
    },
  };
}

/** The program: HealthCheckRequest{service = 1} in, HealthCheckResponse{status = 1} out. */
function serve(): void {
  const statuses = new Map<string, number>();
  const server = new Server();
  const check = {
    path: '/grpc.health.v1.Health/Check',
    requestStream: false,
    responseStream: false,
    requestSerialize: (s: string) => Buffer.from(s),
    requestDeserialize: (b: Buffer) => (b[0] === 0x0a ? b.subarray(2, 2 + (b[1] as number)).toString() : ''),
    responseSerialize: (n: number) => (n === 0 ? Buffer.alloc(0) : Buffer.from([0x08, n])),
    responseDeserialize: (b: Buffer) => b[1] ?? 0,
  };
  server.addService(
    { Check: check },
    {
      Check: (call: ServerUnaryCall<string, number>, callback: sendUnaryData<number>) => {
        const s = statuses.get(call.request);
        if (s === undefined) callback({ code: grpcStatus.NOT_FOUND, details: 'unknown service' });
        else callback(null, s);
      },
    },
  );
  server.bindAsync('0.0.0.0:0', ServerCredentials.createInsecure(), (err, port) => {
    if (err) throw err;
    console.log(`listening ${port}`);
  });
  createInterface({ input: process.stdin }).on('line', (line) => {
    const [service = '', status = ''] = line.startsWith(' ') ? ['', line.trim()] : line.split(' ');
    statuses.set(service, Math.max(0, STATUSES.indexOf(status)));
    console.log(`set ${service} ${status}`);
  });
  process.stdin.on('end', () => server.forceShutdown());
}

if (process.argv[1] === fileURLToPath(import.meta.url)) serve();
