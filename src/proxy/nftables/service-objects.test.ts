import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Endpoint, ServicePort } from '../interface.js';
import { endpoint, servicePort } from '../testing/fixtures.js';
import { servicePortObjects } from './service-objects.js';

const port = servicePort;
const ep = endpoint;

const SVC = 'service-ULMVA6XW-ns1/svc1/tcp/p80';
const LOCAL = 'local-ULMVA6XW-ns1/svc1/tcp/p80';
const EXT = 'external-ULMVA6XW-ns1/svc1/tcp/p80';
const FW = 'firewall-ULMVA6XW-ns1/svc1/tcp/p80';
const EP1 = 'endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80';
const AFF1 = 'affinity-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80';

/** All objects of a service port as one golden text: elements, then chains in the order written. */
function render(p: ServicePort, eps: Endpoint[]): string[] {
  const o = servicePortObjects(p, eps, { clusterCIDR: '10.0.0.0/8', nodeIPs: ['192.168.0.2'] });
  return [
    ...o.elements.map((e) => `@${e.container} ${e.key}${e.comment ? ` "${e.comment}"` : ''}${e.value ? ` : ${e.value}` : ''}`),
    ...[...o.affinitySets].map(([name, timeout]) => `set ${name} ${timeout}s`),
    ...[...o.chains].flatMap(([name, rules]) => [`chain ${name}`, ...rules.map((r) => `  ${r}`)]),
  ];
}

const endpointChain = (chain: string, ip: string, extra: string[] = []) => [
  `chain ${chain}`,
  `  ip saddr ${ip} jump mark-for-masquerade`,
  ...extra,
  `  meta l4proto tcp dnat to ${ip}:80`,
];

const cases: { name: string; port: ServicePort; eps: Endpoint[]; want: string[] }[] = [
  {
    name: 'ClusterIP: the cluster IP goes to the service chain, which masquerades off-cluster clients and picks an endpoint',
    port: port(),
    eps: [ep('10.180.0.1'), ep('10.180.0.2', { ready: false, serving: false })],
    want: [
      '@cluster-ips 172.30.0.41',
      `@service-ips 172.30.0.41 . tcp . 80 : goto ${SVC}`,
      `chain ${SVC}`,
      '  ip daddr 172.30.0.41 tcp dport 80 ip saddr != 10.0.0.0/8 jump mark-for-masquerade',
      `  numgen random mod 1 vmap { 0 : goto ${EP1} }`,
      ...endpointChain(EP1, '10.180.0.1'),
    ],
  },
  {
    name: 'no endpoints: the cluster IP and node port are rejected, no chain',
    port: port({ protocol: 'UDP', nodePort: 30053 }),
    eps: [],
    want: [
      '@cluster-ips 172.30.0.41',
      '@no-endpoint-services 172.30.0.41 . udp . 80 "ns1/svc1:p80" : goto reject-chain',
      '@no-endpoint-nodeports udp . 30053 "ns1/svc1:p80" : goto reject-chain',
    ],
  },
  {
    name: 'internalTrafficPolicy Local without a local endpoint: the cluster IP is dropped',
    port: port({ internalPolicyLocal: true }),
    eps: [ep('10.180.0.1')],
    want: ['@cluster-ips 172.30.0.41', '@no-endpoint-services 172.30.0.41 . tcp . 80 "ns1/svc1:p80" : drop'],
  },
  {
    name: 'NodePort and external IP with externalTrafficPolicy Local: pods and the node short-circuit to the cluster chain',
    port: port({ nodePort: 30080, externalIPs: ['192.0.2.7'], externalPolicyLocal: true }),
    eps: [ep('10.180.0.1', { isLocal: true })],
    want: [
      '@cluster-ips 172.30.0.41',
      `@service-ips 172.30.0.41 . tcp . 80 : goto ${SVC}`,
      `@service-ips 192.0.2.7 . tcp . 80 : goto ${EXT}`,
      `@service-nodeports tcp . 30080 : goto ${EXT}`,
      `chain ${SVC}`,
      '  ip daddr 172.30.0.41 tcp dport 80 ip saddr != 10.0.0.0/8 jump mark-for-masquerade',
      `  numgen random mod 1 vmap { 0 : goto ${EP1} }`,
      `chain ${LOCAL}`,
      `  numgen random mod 1 vmap { 0 : goto ${EP1} }`,
      `chain ${EXT}`,
      `  ip saddr 10.0.0.0/8 goto ${SVC} comment "short-circuit pod traffic"`,
      '  fib saddr type local jump mark-for-masquerade comment "masquerade local traffic"',
      `  fib saddr type local goto ${SVC} comment "short-circuit local traffic"`,
      `  goto ${LOCAL}`,
      ...endpointChain(EP1, '10.180.0.1'),
    ],
  },
  {
    name: 'externalTrafficPolicy Local, the only endpoint elsewhere: external traffic dropped, pods still served',
    port: port({ clusterIPs: [], nodePort: 30080, externalPolicyLocal: true }),
    eps: [ep('10.180.0.1')],
    want: [
      `@service-nodeports tcp . 30080 : goto ${EXT}`,
      '@no-endpoint-nodeports tcp . 30080 "ns1/svc1:p80" : drop',
      `chain ${SVC}`,
      `  numgen random mod 1 vmap { 0 : goto ${EP1} }`,
      `chain ${EXT}`,
      `  ip saddr 10.0.0.0/8 goto ${SVC} comment "short-circuit pod traffic"`,
      '  fib saddr type local jump mark-for-masquerade comment "masquerade local traffic"',
      `  fib saddr type local goto ${SVC} comment "short-circuit local traffic"`,
      ...endpointChain(EP1, '10.180.0.1'),
    ],
  },
  {
    name: 'load balancer IP with source ranges holding the node: the firewall chain lets the ranges and the IP itself through',
    port: port({ clusterIPs: [], loadBalancerIPs: ['1.2.3.4'], loadBalancerSourceRanges: ['192.168.0.0/24', '203.0.113.0/25'] }),
    eps: [ep('10.180.0.1')],
    want: [
      `@service-ips 1.2.3.4 . tcp . 80 : goto ${EXT}`,
      `@firewall-ips 1.2.3.4 . tcp . 80 : goto ${FW}`,
      `chain ${FW}`,
      '  ip saddr != { 192.168.0.0/24, 203.0.113.0/25, 1.2.3.4 } drop',
      `chain ${SVC}`,
      `  numgen random mod 1 vmap { 0 : goto ${EP1} }`,
      `chain ${EXT}`,
      '  jump mark-for-masquerade',
      `  goto ${SVC}`,
      ...endpointChain(EP1, '10.180.0.1'),
    ],
  },
  {
    name: 'sessionAffinity ClientIP: an affinity set per endpoint, checked before the random choice, updated by the endpoint',
    port: port({ clusterIPs: [], externalIPs: [], stickySeconds: 600 }),
    eps: [ep('10.180.0.1')],
    want: [
      `set ${AFF1} 600s`,
      `chain ${SVC}`,
      `  ip saddr @${AFF1} goto ${EP1}`,
      `  numgen random mod 1 vmap { 0 : goto ${EP1} }`,
      ...endpointChain(EP1, '10.180.0.1', [`  update @${AFF1} { ip saddr }`]),
    ],
  },
];

describe('servicePortObjects', () => {
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(render(c.port, c.eps), c.want);
    });
  }

  it('balances over every usable endpoint, and masquerades nothing without a cluster CIDR', () => {
    const o = servicePortObjects(port(), [ep('10.180.0.1'), ep('10.180.0.2'), ep('10.180.0.3')], {});
    const rules = o.chains.get(SVC) ?? [];
    assert.equal(rules.length, 1);
    assert.match(rules[0] ?? '', /^numgen random mod 3 vmap \{ 0 : goto endpoint-\S+, 1 : goto endpoint-\S+, 2 : goto endpoint-\S+ \}$/);
    assert.equal(o.chains.size, 4);
  });
});
