import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Endpoint, ServicePort } from '../interface.js';
import { endpoint, servicePort } from '../testing/fixtures.js';
import { ChainNames } from './chain-names.js';
import { probability, servicePortRules } from './service-rules.js';

const port = servicePort;
const ep = endpoint;

const SVC = 'KUBE-SVC-XPGD46QRK7WJZT7O';
const SVL = 'KUBE-SVL-XPGD46QRK7WJZT7O';
const EXT = 'KUBE-EXT-XPGD46QRK7WJZT7O';
const FW = 'KUBE-FW-XPGD46QRK7WJZT7O';
const SEP1 = 'KUBE-SEP-SXIVWICOYRO3J4NJ'; // 10.180.0.1:80, as in upstream's tests

/** All rules of a service port, as one golden text (chains in the order written). */
function render(p: ServicePort, eps: Endpoint[]): string {
  const r = servicePortRules(p, eps, { names: new ChainNames(), clusterCIDR: '10.0.0.0/8', nodeIPs: ['192.168.0.2'] }, true);
  const chains = [...r.chains].flatMap(([name, rules]) => [`:${name}`, ...rules]);
  return [
    ...r.filterServices.map((l) => `filter ${l}`),
    ...r.filterExternalServices.map((l) => `filter ${l}`),
    ...r.filterNodePorts.map((l) => `filter ${l}`),
    ...r.filterFirewall.map((l) => `filter ${l}`),
    ...r.natServices,
    ...r.natNodePorts,
    ...chains,
  ].join('\n');
}

const cases: { name: string; port: ServicePort; eps: Endpoint[]; want: string[] }[] = [
  {
    name: 'load balancer IP with loadBalancerSourceRanges: through KUBE-FW, the rest dropped by KUBE-PROXY-FIREWALL',
    port: port({ loadBalancerIPs: ['1.2.3.4'], loadBalancerSourceRanges: ['203.0.113.0/25'], clusterIPs: [] }),
    eps: [ep('10.180.0.1')],
    want: [
      `filter -A KUBE-PROXY-FIREWALL -m comment --comment "ns1/svc1:p80 traffic not accepted by ${FW}" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j DROP`,
      `-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j ${FW}`,
      `:${SVC}`,
      `-A ${SVC} -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j ${SEP1}`,
      `:${EXT}`,
      `-A ${EXT} -m comment --comment "masquerade traffic for ns1/svc1:p80 external destinations" -j KUBE-MARK-MASQ`,
      `-A ${EXT} -j ${SVC}`,
      `:${FW}`,
      `-A ${FW} -m comment --comment "ns1/svc1:p80 loadbalancer IP" -s 203.0.113.0/25 -j ${EXT}`,
      `-A ${FW} -m comment --comment "other traffic to ns1/svc1:p80 will be dropped by KUBE-PROXY-FIREWALL"`,
      `:${SEP1}`,
      `-A ${SEP1} -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ`,
      `-A ${SEP1} -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80`,
    ],
  },
  {
    name: 'a source range holding the node IP lets the node reach its load balancer IPs',
    port: port({ loadBalancerIPs: ['1.2.3.4'], loadBalancerSourceRanges: ['192.168.0.0/24'], clusterIPs: [] }),
    eps: [ep('10.180.0.1')],
    want: [
      `filter -A KUBE-PROXY-FIREWALL -m comment --comment "ns1/svc1:p80 traffic not accepted by ${FW}" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j DROP`,
      `-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j ${FW}`,
      `:${SVC}`,
      `-A ${SVC} -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j ${SEP1}`,
      `:${EXT}`,
      `-A ${EXT} -m comment --comment "masquerade traffic for ns1/svc1:p80 external destinations" -j KUBE-MARK-MASQ`,
      `-A ${EXT} -j ${SVC}`,
      `:${FW}`,
      `-A ${FW} -m comment --comment "ns1/svc1:p80 loadbalancer IP" -s 192.168.0.0/24 -j ${EXT}`,
      `-A ${FW} -m comment --comment "ns1/svc1:p80 loadbalancer IP" -s 1.2.3.4 -j ${EXT}`,
      `-A ${FW} -m comment --comment "other traffic to ns1/svc1:p80 will be dropped by KUBE-PROXY-FIREWALL"`,
      `:${SEP1}`,
      `-A ${SEP1} -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ`,
      `-A ${SEP1} -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80`,
    ],
  },
  {
    name: 'cluster IP, one endpoint',
    port: port(),
    eps: [ep('10.180.0.1')],
    want: [
      `-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j ${SVC}`,
      `:${SVC}`,
      `-A ${SVC} -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ`,
      `-A ${SVC} -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j ${SEP1}`,
      `:${SEP1}`,
      `-A ${SEP1} -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ`,
      `-A ${SEP1} -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80`,
    ],
  },
  {
    name: 'no endpoints: REJECT in filter, no nat rules',
    port: port({ nodePort: 3001, externalIPs: ['192.168.99.11'] }),
    eps: [ep('10.180.0.1', { ready: false, serving: false })],
    want: [
      'filter -A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j REJECT',
      'filter -A KUBE-EXTERNAL-SERVICES -m comment --comment "ns1/svc1:p80 has no endpoints" -m tcp -p tcp -d 192.168.99.11 --dport 80 -j REJECT',
      'filter -A KUBE-EXTERNAL-SERVICES -m comment --comment "ns1/svc1:p80 has no endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j REJECT',
    ],
  },
  {
    name: 'NodePort and load balancer IP, cluster policy: masquerade external traffic',
    port: port({ nodePort: 3001, loadBalancerIPs: ['1.2.3.4'] }),
    eps: [ep('10.180.0.1')],
    want: [
      `-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j ${SVC}`,
      `-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j ${EXT}`,
      `-A KUBE-NODEPORTS -m comment --comment ns1/svc1:p80 -m tcp -p tcp --dport 3001 -j ${EXT}`,
      `:${SVC}`,
      `-A ${SVC} -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ`,
      `-A ${SVC} -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j ${SEP1}`,
      `:${EXT}`,
      `-A ${EXT} -m comment --comment "masquerade traffic for ns1/svc1:p80 external destinations" -j KUBE-MARK-MASQ`,
      `-A ${EXT} -j ${SVC}`,
      `:${SEP1}`,
      `-A ${SEP1} -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ`,
      `-A ${SEP1} -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80`,
    ],
  },
  {
    name: 'externalTrafficPolicy Local, no local endpoint: external traffic dropped, pods and the host still served',
    port: port({ nodePort: 3001, externalPolicyLocal: true, healthCheckNodePort: 30000 }),
    eps: [ep('10.180.0.1')],
    want: [
      'filter -A KUBE-EXTERNAL-SERVICES -m comment --comment "ns1/svc1:p80 has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j DROP',
      'filter -A KUBE-NODEPORTS -m comment --comment "ns1/svc1:p80 health check node port" -m tcp -p tcp --dport 30000 -j ACCEPT',
      `-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j ${SVC}`,
      `:${SVC}`,
      `-A ${SVC} -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ`,
      `-A ${SVC} -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j ${SEP1}`,
      `:${EXT}`,
      `-A ${EXT} -m comment --comment "pod traffic for ns1/svc1:p80 external destinations" -s 10.0.0.0/8 -j ${SVC}`,
      `-A ${EXT} -m comment --comment "masquerade LOCAL traffic for ns1/svc1:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`,
      `-A ${EXT} -m comment --comment "route LOCAL traffic for ns1/svc1:p80 external destinations" -m addrtype --src-type LOCAL -j ${SVC}`,
      `:${SEP1}`,
      `-A ${SEP1} -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ`,
      `-A ${SEP1} -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80`,
    ],
  },
  {
    name: 'internalTrafficPolicy Local with a local endpoint: the cluster IP goes to KUBE-SVL',
    port: port({ internalPolicyLocal: true }),
    eps: [ep('10.180.0.1', { isLocal: true }), ep('10.180.2.1')],
    want: [
      `-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j ${SVL}`,
      `:${SVL}`,
      `-A ${SVL} -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j ${SEP1}`,
      `:${SEP1}`,
      `-A ${SEP1} -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ`,
      `-A ${SEP1} -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80`,
    ],
  },
];

describe('servicePortRules', () => {
  for (const c of cases) it(c.name, () => assert.equal(render(c.port, c.eps), c.want.join('\n')));

  it('balances with 1/n, 1/(n-1) … probabilities, the last rule unconditional', () => {
    const r = servicePortRules(port(), [ep('10.180.0.1'), ep('10.180.0.2'), ep('10.180.0.3')], { names: new ChainNames() }, true);
    const svc = (r.chains.get(SVC) ?? []).map((l) => /--probability (\S+)/.exec(l)?.[1] ?? 'always');
    assert.deepEqual(svc, ['0.3333333333', '0.5000000000', 'always']);
    assert.equal(probability(7), '0.1428571429');
  });

  it('session affinity: a recent check per endpoint before the random rules, set in the endpoint chain', () => {
    const r = servicePortRules(port({ stickySeconds: 10800 }), [ep('10.180.0.1')], { names: new ChainNames() }, true);
    assert.deepEqual(r.chains.get(SVC), [
      `-A ${SVC} -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -m recent --name ${SEP1} --rcheck --seconds 10800 --reap -j ${SEP1}`,
      `-A ${SVC} -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j ${SEP1}`,
    ]);
    assert.equal(
      r.chains.get(SEP1)?.[1],
      `-A ${SEP1} -m comment --comment ns1/svc1:p80 -m recent --name ${SEP1} --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80`,
    );
  });

  it('without withChains names the chains in use but writes none of their rules', () => {
    const r = servicePortRules(port({ nodePort: 3001 }), [ep('10.180.0.1')], { names: new ChainNames() }, false);
    assert.deepEqual([...r.chains.keys()], [SVC, EXT, SEP1]);
    assert.deepEqual([...r.chains.values()].flat(), []);
    assert.equal(r.natNodePorts.length, 1);
  });
});
