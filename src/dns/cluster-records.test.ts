import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Answer, Question } from 'dns-packet';
import { Indexer } from '../client/indexer.js';
import type { KubeObject } from '../machinery/object.js';
import { addClusterDNSIndexers, ClusterRecords } from './cluster-records.js';

function service(namespace: string, name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace, name }, spec };
}

function slice(namespace: string, service: string, endpoints: unknown[], ports: unknown[]): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { namespace, name: `${service}-abcde`, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    endpoints,
    ports,
  };
}

function zone(): ClusterRecords {
  const services = new Indexer();
  const slices = new Indexer();
  addClusterDNSIndexers(services, slices);
  services.upsert(
    service('default', 'kubernetes', {
      clusterIP: '10.96.0.1',
      clusterIPs: ['10.96.0.1'],
      ports: [{ name: 'https', port: 443, protocol: 'TCP' }],
    }),
  );
  services.upsert(
    service('default', 'web', { clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { port: 81 }] }),
  );
  services.upsert(service('default', 'nginx', { clusterIP: 'None', ports: [{ name: 'web', port: 80 }] }));
  services.upsert(service('default', 'empty', { clusterIP: 'None' }));
  services.upsert(service('default', 'ext', { type: 'ExternalName', externalName: 'example.com' }));
  slices.upsert(
    slice(
      'default',
      'nginx',
      [
        { addresses: ['10.236.0.5'], hostname: 'web-0', conditions: { ready: true } },
        { addresses: ['10.236.0.6'], conditions: {} },
        { addresses: ['10.236.0.7'], hostname: 'web-2', conditions: { ready: false } },
      ],
      [{ name: 'web', port: 8080, protocol: 'TCP' }],
    ),
  );
  return new ClusterRecords({ domain: 'cluster.local', services, endpointSlices: slices, now: () => 42_000 });
}

/** What a test compares: the rcode and each answer as `type data`. */
function summary(q: Question): string {
  const got = zone().answer(q);
  if (!got) return 'forward';
  const show = (a: Answer): string => {
    if (a.type === 'SRV') return `SRV ${a.data.port} ${a.data.target}`;
    if (a.type === 'SOA') return `SOA ${a.data.mname} ${a.data.rname} ${a.data.serial} ${a.data.minimum}`;
    return `${a.type} ${String((a as { data: unknown }).data)}`;
  };
  const parts = [got.rcode, ...got.answers.map(show)];
  if (got.authorities.length) parts.push(`| ${got.authorities.map(show).join(', ')}`);
  if (got.additionals.length) parts.push(`+ ${got.additionals.map((a) => `${a.name} ${show(a)}`).join(', ')}`);
  return parts.join('; ');
}

const SOA = '| SOA ns.dns.cluster.local hostmaster.cluster.local 42 5';

describe('ClusterRecords', () => {
  const cases: [string, Question['type'], string][] = [
    ['kubernetes.default.svc.cluster.local', 'A', 'NOERROR; A 10.96.0.1'],
    ['KUBERNETES.Default.svc.cluster.local.', 'A', 'NOERROR; A 10.96.0.1'],
    ['web.default.svc.cluster.local', 'A', 'NOERROR; A 10.96.0.20'],
    ['web.default.svc.cluster.local', 'AAAA', `NOERROR; ${SOA}`],
    ['web.default.svc.cluster.local', 'TXT', `NOERROR; ${SOA}`],
    ['missing.default.svc.cluster.local', 'A', `NXDOMAIN; ${SOA}`],
    ['web.other.svc.cluster.local', 'A', `NXDOMAIN; ${SOA}`],
    ['nginx.default.svc.cluster.local', 'A', 'NOERROR; A 10.236.0.5; A 10.236.0.6'],
    ['empty.default.svc.cluster.local', 'A', `NXDOMAIN; ${SOA}`],
    ['web-0.nginx.default.svc.cluster.local', 'A', 'NOERROR; A 10.236.0.5'],
    ['10-236-0-6.nginx.default.svc.cluster.local', 'A', 'NOERROR; A 10.236.0.6'],
    ['web-2.nginx.default.svc.cluster.local', 'A', `NXDOMAIN; ${SOA}`],
    [
      '_http._tcp.web.default.svc.cluster.local',
      'SRV',
      'NOERROR; SRV 80 web.default.svc.cluster.local; + web.default.svc.cluster.local A 10.96.0.20',
    ],
    ['_http._udp.web.default.svc.cluster.local', 'SRV', `NXDOMAIN; ${SOA}`],
    ['_http._tcp.web.default.svc.cluster.local', 'A', `NOERROR; ${SOA}`],
    [
      '_web._tcp.nginx.default.svc.cluster.local',
      'SRV',
      'NOERROR; SRV 8080 web-0.nginx.default.svc.cluster.local; SRV 8080 10-236-0-6.nginx.default.svc.cluster.local; + web-0.nginx.default.svc.cluster.local A 10.236.0.5, 10-236-0-6.nginx.default.svc.cluster.local A 10.236.0.6',
    ],
    ['web.default.svc.cluster.local', 'SRV', 'NOERROR; SRV 80 web.default.svc.cluster.local; + web.default.svc.cluster.local A 10.96.0.20'],
    ['ext.default.svc.cluster.local', 'A', 'NOERROR; CNAME example.com'],
    ['10-236-1-9.default.pod.cluster.local', 'A', 'NOERROR; A 10.236.1.9'],
    ['10-236-1-999.default.pod.cluster.local', 'A', `NXDOMAIN; ${SOA}`],
    ['default.svc.cluster.local', 'A', `NOERROR; ${SOA}`],
    ['nowhere.svc.cluster.local', 'A', `NXDOMAIN; ${SOA}`],
    ['svc.cluster.local', 'A', `NOERROR; ${SOA}`],
    ['cluster.local', 'SOA', 'NOERROR; SOA ns.dns.cluster.local hostmaster.cluster.local 42 5'],
    ['cluster.local', 'NS', 'NOERROR; NS ns.dns.cluster.local'],
    ['dns-version.cluster.local', 'TXT', 'NOERROR; TXT 1.1.0'],
    ['a.b.c.d.e.default.svc.cluster.local', 'A', `NXDOMAIN; ${SOA}`],
    ['1.0.96.10.in-addr.arpa', 'PTR', 'NOERROR; PTR kubernetes.default.svc.cluster.local'],
    ['5.0.236.10.in-addr.arpa', 'PTR', 'NOERROR; PTR web-0.nginx.default.svc.cluster.local'],
    ['6.0.236.10.in-addr.arpa', 'PTR', 'NOERROR; PTR 10-236-0-6.nginx.default.svc.cluster.local'],
    ['8.8.8.8.in-addr.arpa', 'PTR', 'forward'],
    ['example.com', 'A', 'forward'],
    ['cluster.local.example.com', 'A', 'forward'],
  ];
  for (const [name, type, want] of cases) {
    it(`${type} ${name}`, () => assert.equal(summary({ name, type }), want));
  }

  it('answers with the name as asked', () => {
    const got = zone().answer({ name: 'Web.Default.svc.cluster.local', type: 'A' });
    assert.equal(got?.answers[0]?.name, 'Web.Default.svc.cluster.local');
  });
});
