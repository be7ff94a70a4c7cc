import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeClientset } from '../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../client/testing/fake-informers.js';
import { type NodeDNS, startNodeDNS } from './node-dns.js';
import { queryUDP } from './testing/dns-client.js';
import { type StaticDnsServer, startStaticDnsServer } from './testing/static-dns-server.js';

const HOST = '127.0.0.1';
const SERVICES = { group: '', version: 'v1', resource: 'services' };
const SLICES = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' };
const NODES = { group: '', version: 'v1', resource: 'nodes' };

function service(name: string, clusterIP: string) {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace: 'default', name }, spec: { clusterIP } };
}

async function addresses(port: number, name: string): Promise<string[]> {
  const got = await queryUDP(HOST, port, { id: 1, type: 'query', questions: [{ name, type: 'A', class: 'IN' }] });
  return (got.answers ?? []).map((a) => String((a as { data: unknown }).data));
}

describe('startNodeDNS', () => {
  const clientset = new FakeClientset();
  const stop = new AbortController();
  let upstream: StaticDnsServer;
  let dns: NodeDNS;

  before(async () => {
    clientset.tracker.put(NODES, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    clientset.tracker.put(SERVICES, service('web', '10.96.0.20'));
    upstream = await startStaticDnsServer({
      host: HOST,
      answer: (q) => [{ type: 'A', name: q.name, ttl: 30, class: 'IN', data: '192.0.2.9' }],
    });
    dns = await startNodeDNS(
      {
        clientset,
        informers: new FakeInformerFactory(clientset),
        nodeName: 'n1',
        nodeIP: HOST,
        port: 0,
        metricsPort: 0,
        clusterDomain: 'cluster.local',
        upstreams: [{ host: HOST, port: upstream.port }],
        log: () => {},
      },
      stop.signal,
    );
  });

  after(async () => {
    stop.abort();
    await dns.done;
    await upstream.close();
  });

  it('answers from the informers, and follows their changes', async () => {
    assert.deepEqual(await addresses(dns.port, 'web.default.svc.cluster.local'), ['10.96.0.20']);
    clientset.tracker.put(SERVICES, service('web', '10.96.0.21'));
    let got: string[] = [];
    for (let i = 0; i < 200 && got[0] !== '10.96.0.21'; i++) {
      got = await addresses(dns.port, 'web.default.svc.cluster.local');
      await sleep(10);
    }
    assert.deepEqual(got, ['10.96.0.21']);
  });

  it('forwards other names to its upstream', async () => {
    assert.deepEqual(await addresses(dns.port, 'example.org'), ['192.0.2.9']);
  });

  it('serves CoreDNS’ request and response counters', async () => {
    const text = await (await fetch(`http://${HOST}:${dns.metricsPort}/metrics`)).text();
    assert.match(
      text,
      /^coredns_dns_requests_total\{server="dns:\/\/127\.0\.0\.1:0",zone="cluster\.local\.",view="",proto="udp",family="1",type="A"\} \d+$/m,
    );
    assert.match(text, /^coredns_dns_responses_total\{server="dns:\/\/127\.0\.0\.1:0",zone="\.",view="",rcode="NOERROR",plugin=""\} 1$/m);
  });

  it('publishes its endpoint of kube-dns with the port it listens on, and removes it on stop', async () => {
    let slice = clientset.tracker.get(SLICES, 'kube-system', 'kube-dns-n1');
    for (let i = 0; i < 200 && !slice; i++) {
      await sleep(10);
      slice = clientset.tracker.get(SLICES, 'kube-system', 'kube-dns-n1');
    }
    assert.deepEqual(
      (slice?.['ports'] as { name: string; port: number }[] | undefined)?.map((p) => `${p.name} ${p.port}`),
      [`dns ${dns.port}`, `dns-tcp ${dns.port}`, `metrics ${dns.metricsPort}`],
    );
  });
});
