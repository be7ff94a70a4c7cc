import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../machinery/object.js';
import { FORWARD_CHAIN, podFirewallChainName, policyChainName } from './chain-names.js';
import type { PolicyInputs, PolicyPod } from './interface.js';
import { networkPolicyChains } from './rules.js';

const MARK = '-j MARK --set-xmark 0x10000/0x10000';
const ESTABLISHED = '-m conntrack --ctstate RELATED,ESTABLISHED -j RETURN';

const pod = (
  namespace: string,
  name: string,
  ip: string,
  labels: Record<string, string>,
  nodeName = 'n1',
  ports: PolicyPod['ports'] = [],
): PolicyPod => ({
  namespace,
  name,
  labels,
  ips: [ip],
  nodeName,
  ports,
});

const PODS: PolicyPod[] = [
  pod('default', 'web', '10.0.0.2', { app: 'web' }, 'n1', [{ name: 'http', port: 8080, protocol: 'TCP' }]),
  pod('default', 'client', '10.0.0.3', { role: 'client' }),
  pod('default', 'stranger', '10.0.0.4', {}),
  pod('other', 'tool', '10.0.1.2', { role: 'client' }, 'n2', [{ name: 'http', port: 9090, protocol: 'TCP' }]),
  pod('other', 'db', '10.0.1.3', { app: 'db' }, 'n2'),
];

const policy = (name: string, spec: Record<string, unknown>, namespace = 'default'): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace },
  spec: { policyTypes: ['Ingress'], ...spec },
});

const inputs = (...policies: KubeObject[]): PolicyInputs => ({
  nodeName: 'n1',
  pods: PODS,
  namespaces: [
    { name: 'default', labels: { 'kubernetes.io/metadata.name': 'default' } },
    { name: 'other', labels: { 'kubernetes.io/metadata.name': 'other', team: 'tools' } },
  ],
  policies,
});

const WEB = { podSelector: { matchLabels: { app: 'web' } } };
const ing = (name: string) => policyChainName('default', name, 'ingress');
const eg = (name: string) => policyChainName('default', name, 'egress');

describe('networkPolicyChains', () => {
  it('without policies: only the replies rule', () => {
    assert.deepEqual([...networkPolicyChains(inputs())], [[FORWARD_CHAIN, [ESTABLISHED]]]);
  });

  it('default deny: every local pod of the namespace isolated, its policy chain empty', () => {
    const chains = networkPolicyChains(inputs(policy('deny', { podSelector: {} })));
    const web = podFirewallChainName('default', 'web');
    assert.deepEqual(chains.get(FORWARD_CHAIN), [
      ESTABLISHED,
      `-d 10.0.0.3 -j ${podFirewallChainName('default', 'client')}`,
      `-d 10.0.0.4 -j ${podFirewallChainName('default', 'stranger')}`,
      `-d 10.0.0.2 -j ${web}`,
    ]);
    assert.deepEqual(chains.get(web), [
      '-s 10.0.0.2 -d 10.0.0.2 -j RETURN',
      '-d 10.0.0.2 -m addrtype --src-type LOCAL -j RETURN',
      `-d 10.0.0.2 -j ${ing('deny')}`,
      '-d 10.0.0.2 -m comment --comment "to default/web" -m mark ! --mark 0x10000/0x10000 -j REJECT --reject-with icmp-port-unreachable',
      '-d 10.0.0.2 -j MARK --set-xmark 0x0/0x10000',
    ]);
    assert.deepEqual(chains.get(ing('deny')), []);
    assert.equal(chains.size, 5, 'no chain for the pods of other nodes or namespaces');
  });

  const cases: { name: string; policy: KubeObject; chain: string; want: string[] }[] = [
    {
      name: 'podSelector peers, numbered port',
      policy: policy('p', {
        ...WEB,
        ingress: [{ from: [{ podSelector: { matchLabels: { role: 'client' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
      }),
      chain: ing('p'),
      want: [`-s 10.0.0.3 -p tcp -m tcp --dport 8080 ${MARK}`],
    },
    {
      name: 'namespaceSelector alone: every pod of the matching namespaces',
      policy: policy('p', { ...WEB, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'tools' } } }] }] }),
      chain: ing('p'),
      want: [`-s 10.0.1.2 ${MARK}`, `-s 10.0.1.3 ${MARK}`],
    },
    {
      name: 'namespaceSelector and podSelector together',
      policy: policy('p', {
        ...WEB,
        ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { role: 'client' } } }] }],
      }),
      chain: ing('p'),
      want: [`-s 10.0.0.3 ${MARK}`, `-s 10.0.1.2 ${MARK}`],
    },
    {
      name: 'ipBlock with except',
      policy: policy('p', { ...WEB, ingress: [{ from: [{ ipBlock: { cidr: '192.168.0.0/23', except: ['192.168.1.0/24'] } }] }] }),
      chain: ing('p'),
      want: [`-s 192.168.0.0/24 ${MARK}`],
    },
    { name: 'an empty rule allows everything', policy: policy('p', { ...WEB, ingress: [{}] }), chain: ing('p'), want: [MARK] },
    {
      name: 'peers that match no pod allow nothing',
      policy: policy('p', { ...WEB, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'nobody' } } }] }] }),
      chain: ing('p'),
      want: [],
    },
    {
      name: 'a named port resolves on the selected pod',
      policy: policy('p', { ...WEB, ingress: [{ ports: [{ protocol: 'TCP', port: 'http' }] }] }),
      chain: ing('p'),
      want: [`-d 10.0.0.2 -p tcp -m tcp --dport 8080 ${MARK}`],
    },
    {
      name: 'a port range and a protocol alone',
      policy: policy('p', { ...WEB, ingress: [{ ports: [{ protocol: 'TCP', port: 8000, endPort: 8090 }, { protocol: 'UDP' }] }] }),
      chain: ing('p'),
      want: [`-p tcp -m tcp --dport 8000:8090 ${MARK}`, `-p udp ${MARK}`],
    },
    {
      name: 'egress to an ipBlock',
      policy: policy('e', { ...WEB, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.1.0/24' } }] }] }),
      chain: eg('e'),
      want: [`-d 10.0.1.0/24 ${MARK}`],
    },
    {
      name: 'egress named port: the peer pod’s number',
      policy: policy('e', {
        ...WEB,
        policyTypes: ['Egress'],
        egress: [{ to: [{ namespaceSelector: {} }, { ipBlock: { cidr: '10.9.0.0/16' } }], ports: [{ protocol: 'TCP', port: 'http' }] }],
      }),
      chain: eg('e'),
      want: [`-d 10.0.0.2 -p tcp -m tcp --dport 8080 ${MARK}`, `-d 10.0.1.2 -p tcp -m tcp --dport 9090 ${MARK}`],
    },
    {
      name: 'egress named port to anyone: every pod that has it',
      policy: policy('e', { ...WEB, policyTypes: ['Egress'], egress: [{ ports: [{ protocol: 'TCP', port: 'http' }] }] }),
      chain: eg('e'),
      want: [`-d 10.0.0.2 -p tcp -m tcp --dport 8080 ${MARK}`, `-d 10.0.1.2 -p tcp -m tcp --dport 9090 ${MARK}`],
    },
    {
      name: 'egress deny: an empty chain',
      policy: policy('e', { ...WEB, policyTypes: ['Egress'] }),
      chain: eg('e'),
      want: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const chains = networkPolicyChains(inputs(c.policy));
      assert.deepEqual(chains.get(c.chain), c.want);
    });
  }

  it('egress isolation jumps on the source address and checks the egress chains', () => {
    const chains = networkPolicyChains(inputs(policy('e', { ...WEB, policyTypes: ['Ingress', 'Egress'] })));
    const web = podFirewallChainName('default', 'web');
    assert.deepEqual(chains.get(FORWARD_CHAIN), [ESTABLISHED, `-d 10.0.0.2 -j ${web}`, `-s 10.0.0.2 -j ${web}`]);
    const rules = chains.get(web) ?? [];
    assert.ok(rules.includes('-s 10.0.0.2 -m addrtype --dst-type LOCAL -j RETURN'), rules.join('\n'));
    assert.ok(rules.includes(`-s 10.0.0.2 -j ${eg('e')}`), rules.join('\n'));
    assert.ok(rules.includes(`-d 10.0.0.2 -j ${ing('e')}`), rules.join('\n'));
  });

  it('policies of another namespace and non-matching selectors isolate nothing', () => {
    const chains = networkPolicyChains(
      inputs(policy('d', { podSelector: {} }, 'other'), policy('x', { podSelector: { matchLabels: { app: 'none' } } })),
    );
    assert.deepEqual([...chains.keys()], [FORWARD_CHAIN]);
  });

  it('several policies on one pod: a jump to each, allowed when any allows', () => {
    const chains = networkPolicyChains(inputs(policy('a', WEB), policy('b', { ...WEB, ingress: [{}] })));
    const rules = chains.get(podFirewallChainName('default', 'web')) ?? [];
    assert.deepEqual(
      rules.filter((r) => r.includes('KUBE-NWPLCY')),
      [`-d 10.0.0.2 -j ${ing('a')}`, `-d 10.0.0.2 -j ${ing('b')}`],
    );
  });
});
