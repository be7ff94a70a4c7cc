/**
 * One server of the ingress bench (ingress-phase.ts) in a process of its own, on 127.0.0.1:
 *   backend  a plain keep-alive HTTP server answering a small body
 *   bare     the baseline: a bare Node HTTP proxy to the backend over a keep-alive agent
 *   ingress  k8ts' ingress proxy (src/ingress: routing table of 50 hosts × 4 paths, the endpoint
 *            picker over a Service and its EndpointSlice, forwarding headers) to the same backend
 * Prints `ready PORT` once listening; stops on SIGTERM.
 *
 *   node --import tsx bench/ingress-server.ts backend|bare|ingress [BACKEND_PORT]
 */
import { createServer, Agent, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Indexer } from '../src/client/indexer.js';
import { SERVICE_NAME_LABEL, SLICES_BY_SERVICE, ServiceEndpointPicker, sliceServiceKey } from '../src/ingress/endpoints.js';
import { IngressProxy } from '../src/ingress/proxy.js';
import { buildRoutingTable } from '../src/ingress/routing-table.js';

const BODY = 'x'.repeat(128);
const mode = process.argv[2];
const backendPort = Number(process.argv[3] ?? 0);

function backend(): Server {
  return createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': BODY.length });
    res.end(BODY);
  });
}

function bare(): Server {
  const agent = new Agent({ keepAlive: true, maxFreeSockets: 256 });
  return createServer((req, res) => {
    const upstream = request(
      { host: '127.0.0.1', port: backendPort, method: req.method, path: req.url, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
}

function ingress(): Server {
  const rules = Array.from({ length: 50 }, (_, h) => ({
    host: `bench-${h}.example`,
    http: {
      paths: ['/', '/api', '/api/v1', '/static'].map((path) => ({
        path,
        pathType: 'Prefix',
        backend: { service: { name: 'bench', port: { number: 80 } } },
      })),
    },
  }));
  const table = buildRoutingTable([
    { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'bench', namespace: 'default' }, spec: { rules } },
  ]);
  const services = new Indexer();
  services.upsert({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'bench', namespace: 'default' },
    spec: { ports: [{ port: 80 }] },
  });
  const endpointSlices = new Indexer();
  endpointSlices.addIndexer(SLICES_BY_SERVICE, sliceServiceKey);
  endpointSlices.upsert({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'bench-1', namespace: 'default', labels: { [SERVICE_NAME_LABEL]: 'bench' } },
    addressType: 'IPv4',
    ports: [{ port: backendPort, protocol: 'TCP' }],
    endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true } }],
  });
  const proxy = new IngressProxy({ router: () => table, picker: new ServiceEndpointPicker({ services, endpointSlices }) });
  return proxy.serve(createServer({ keepAliveTimeout: 75_000 }));
}

if (mode !== 'backend' && mode !== 'bare' && mode !== 'ingress') throw new Error(`want backend, bare or ingress, got ${mode}`);
const server = mode === 'backend' ? backend() : mode === 'bare' ? bare() : ingress();
server.listen(0, '127.0.0.1', () => console.log(`ready ${(server.address() as AddressInfo).port}`));
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
