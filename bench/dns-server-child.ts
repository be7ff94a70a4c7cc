/**
 * A DNS server for the dns bench phase, in a process of its own so it does not share an event
 * loop with the load: `cluster N` runs the node's DNS server (src/dns) over N synthetic Services
 * (svc-<i>.ns-<i % 10>.svc.cluster.local, one ready endpoint each; past 10,000 Services most
 * questions miss the server's kept answers); `bare` runs a bare dns-packet
 * server answering every question with one A record (the same answer, no lookup). Prints
 * `dns ready: <port>` and runs until killed.
 */
import { Indexer } from '../src/client/indexer.js';
import { addClusterDNSIndexers, ClusterRecords } from '../src/dns/cluster-records.js';
import { DnsServer } from '../src/dns/dns-server.js';
import { Forwarder } from '../src/dns/forwarder.js';
import { DnsMetrics } from '../src/dns/metrics.js';
import { startStaticDnsServer } from '../src/dns/testing/static-dns-server.js';

/** The cluster IP of synthetic Service i (what the bare server also answers, for i = 0). */
export function syntheticServiceIP(i: number): string {
  return `10.96.${(i >> 8) & 255}.${i & 255}`;
}

async function cluster(count: number): Promise<number> {
  const services = new Indexer();
  const slices = new Indexer();
  addClusterDNSIndexers(services, slices);
  for (let i = 0; i < count; i++) {
    const namespace = `ns-${i % 10}`;
    const name = `svc-${i}`;
    services.upsert({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { namespace, name },
      spec: { clusterIP: syntheticServiceIP(i), ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
    });
    slices.upsert({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { namespace, name: `${name}-x`, labels: { 'kubernetes.io/service-name': name } },
      addressType: 'IPv4',
      endpoints: [{ addresses: [`10.236.${(i >> 8) & 255}.${i & 255}`], conditions: { ready: true } }],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    });
  }
  const server = new DnsServer({
    zone: new ClusterRecords({ domain: 'cluster.local', services, endpointSlices: slices }),
    // counted as the node's server counts
    metrics: new DnsMetrics({ server: 'dns://127.0.0.1:53' }),
    upstream: new Forwarder({ upstreams: [] }),
  });
  return server.listen(0, '127.0.0.1');
}

async function bare(): Promise<number> {
  const ip = syntheticServiceIP(0);
  const server = await startStaticDnsServer({
    host: '127.0.0.1',
    answer: (q) => [{ type: 'A', name: q.name, ttl: 5, class: 'IN', data: ip }],
  });
  return server.port;
}

const [mode, count] = process.argv.slice(2);
const port = mode === 'bare' ? await bare() : await cluster(Number(count ?? 1000));
console.log(`dns ready: ${port}`);
process.on('SIGTERM', () => process.exit(0));
