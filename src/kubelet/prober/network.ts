/**
 * The two ProbeNetworks. Real nodes probe pods over real sockets (http.ts, tcp.ts, grpc.ts).
 * Simulated nodes have fake pod IPs nothing listens on, so their pods answer from a simulation:
 * every httpGet, tcpSocket and grpc action succeeds at once (an HTTP body of "ok", a healthy
 * gRPC service). Exec actions need no simulation: they go through the runtime's ExecSync, which
 * the fake runtime answers with exit code 0. Since nothing changes, a probe worker stops once its
 * probe succeeded (ProbeNetwork.steady). A simulated pod's readiness can still be held back with
 * the k8ts.io/simulate-ready annotations (readiness.ts).
 */
import { grpcProbe } from './grpc.js';
import { httpProbe } from './http.js';
import type { ProbeNetwork } from './interface.js';
import { tcpProbe } from './tcp.js';

export const realProbeNetwork: ProbeNetwork = {
  httpGet: httpProbe,
  tcpSocket: tcpProbe,
  grpc: grpcProbe,
};

export const simulatedProbeNetwork: ProbeNetwork = {
  steady: true,
  httpGet: async () => ({ result: 'Success', output: 'ok' }),
  tcpSocket: async () => ({ result: 'Success', output: '' }),
  grpc: async () => ({ result: 'Success', output: 'service healthy' }),
};
