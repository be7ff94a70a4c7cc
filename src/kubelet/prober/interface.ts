/**
 * The contracts of the prober (upstream pkg/probe and pkg/kubelet/prober): what one probe or
 * hook action yields, and the network side of httpGet, tcpSocket and grpc actions, which real
 * nodes answer with real sockets and simulated nodes from a simulation (network.ts).
 */

/** probe.Result: the outcome of one action. Warning counts as success, with an event. */
export type ActionResult = 'Success' | 'Warning' | 'Failure' | 'Unknown';

/** One run of a probe handler: its result and output (the body, the command's output, the error). */
export interface ActionOutcome {
  result: ActionResult;
  output: string;
  /** The HTTP status of an httpGet that got an answer (lifecycle hooks fail on transport errors only). */
  statusCode?: number;
  /** The exit code and stderr of an exec that ran. */
  exitCode?: number;
  stderr?: string;
}

/** results.Result: what a probe worker last decided for a container. */
export type ProbeResult = 'Success' | 'Failure' | 'Unknown';

/** The three probes, named as upstream's probeType.String() (they head the Unhealthy events). */
export type ProbeType = 'Liveness' | 'Readiness' | 'Startup';

/** An HTTP GET as httpGet probes and hooks send it. */
export interface HTTPGetRequest {
  scheme: 'HTTP' | 'HTTPS';
  host: string;
  port: number;
  /** Path with query, e.g. "/healthz?verbose=1". */
  path: string;
  /** httpHeaders in order; a Host header sets the request's host. */
  headers: { name: string; value: string }[];
}

/** The network side of probes and hooks. */
export interface ProbeNetwork {
  /**
   * Its answers never change (a simulation, beside a runtime whose exec always succeeds): a probe
   * worker stops once its probe succeeded, so simulated pods' probes cost nothing after that.
   */
  readonly steady?: boolean;
  /** An HTTP(S) GET: 2xx and 3xx succeed; redirects to another host end with a Warning. */
  httpGet(request: HTTPGetRequest, timeoutMs: number): Promise<ActionOutcome>;
  /** A TCP connect: success once the connection opens. */
  tcpSocket(host: string, port: number, timeoutMs: number): Promise<ActionOutcome>;
  /** grpc.health.v1.Health/Check of `service`: success when SERVING. */
  grpc(host: string, port: number, service: string, timeoutMs: number): Promise<ActionOutcome>;
}
