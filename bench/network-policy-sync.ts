/**
 * Network policy sync time (netpol/): a node with 1,000 isolated pods in a cluster of 5,000,
 * 200 policies (ingress by podSelector and port, a namespaceSelector rule, an ipBlock with an
 * except, egress to a named port): how long computing the chains takes, and a whole sync
 * (compute, then one iptables-restore: of every chain the first time, of the changed ones after
 * one pod changed its labels).
 * The chains are written into a network namespace this bench creates and deletes.
 *
 *   node --import tsx bench/network-policy-sync.ts [--pods 1000] [--policies 200]
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { runCommand } from '../src/kubelet/command.js';
import type { KubeObject } from '../src/machinery/object.js';
import type { PolicyInputs, PolicyPod } from '../src/netpol/interface.js';
import { IptablesPolicyFirewall } from '../src/netpol/iptables.js';
import { networkPolicyChains } from '../src/netpol/rules.js';
import { median } from './stats.js';

const { values } = parseArgs({ options: { pods: { type: 'string', default: '1000' }, policies: { type: 'string', default: '200' } } });
const LOCAL = Number(values.pods);
const POLICIES = Number(values.policies);
const APPS = 100;

const ip = (i: number) => `10.200.${Math.floor(i / 250)}.${(i % 250) + 2}`;
function pod(i: number): PolicyPod {
  return {
    namespace: `ns-${i % 10}`,
    name: `pod-${i}`,
    labels: { app: `app-${i % APPS}`, role: i % 3 === 0 ? 'client' : 'server' },
    ips: [ip(i)],
    nodeName: i < LOCAL ? 'bench-node' : `node-${i % 5}`,
    ports: [{ name: 'http', port: 8080 + (i % 3), protocol: 'TCP' }],
  };
}
function policy(i: number): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `policy-${i}`, namespace: `ns-${i % 10}` },
    spec: {
      podSelector: { matchLabels: { app: `app-${i % APPS}` } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        { from: [{ podSelector: { matchLabels: { role: 'client' } } }], ports: [{ protocol: 'TCP', port: 8080 }] },
        {
          from: [
            { namespaceSelector: { matchLabels: { team: `t-${i % 3}` } }, podSelector: { matchLabels: { app: `app-${(i + 1) % APPS}` } } },
          ],
        },
        { from: [{ ipBlock: { cidr: '192.168.0.0/16', except: ['192.168.7.0/24'] } }] },
      ],
      egress: [{ to: [{ podSelector: { matchLabels: { role: 'server' } } }], ports: [{ protocol: 'TCP', port: 'http' }] }],
    },
  };
}

const pods = Array.from({ length: LOCAL * 5 }, (_, i) => pod(i));
const inputs: PolicyInputs = {
  nodeName: 'bench-node',
  pods,
  namespaces: Array.from({ length: 10 }, (_, i) => ({ name: `ns-${i}`, labels: { team: `t-${i % 3}` } })),
  policies: Array.from({ length: POLICIES }, (_, i) => policy(i)),
};

const computeMs: number[] = [];
let chains = networkPolicyChains(inputs);
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  chains = networkPolicyChains(inputs);
  computeMs.push(performance.now() - t);
}
const rules = [...chains.values()].reduce((n, r) => n + r.length, 0);

const netns = `k8tsb${randomBytes(3).toString('hex')}`;
await runCommand('ip', ['netns', 'add', netns]);
try {
  const firewall = new IptablesPolicyFirewall({
    run: async (file, args, input) =>
      (await runCommand('ip', ['netns', 'exec', netns, file, ...args], input === undefined ? {} : { input })).stdout,
    bridgeNetfilter: async () => 'bench: not checked',
  });
  const sync = async (): Promise<number> => {
    const t = performance.now();
    await firewall.apply(networkPolicyChains(inputs));
    return performance.now() - t;
  };
  const first = await sync();
  const changed: number[] = [];
  for (let i = 0; i < 5; i++) {
    pods[i] = { ...(pods[i] as PolicyPod), labels: { app: `app-${(i + 7) % APPS}`, role: 'client' } };
    changed.push(await sync());
  }
  console.log(`network policy sync: ${LOCAL} local pods of ${pods.length}, ${POLICIES} policies → ${chains.size} chains, ${rules} rules`);
  console.log(`  compute chains            median ${median(computeMs).toFixed(1)} ms`);
  console.log(`  first sync (full write)   ${first.toFixed(1)} ms`);
  console.log(`  sync after one pod change median ${median(changed).toFixed(1)} ms`);
} finally {
  await runCommand('ip', ['netns', 'del', netns]);
}
