/**
 * Pods across nodes (issue 14), with real containers: two `k8ts agent --runtime containerd`
 * processes, each in a network namespace of its own on one L2 segment the test makes (a bridge on
 * the machine), join a `k8ts server --disable-agent` bound to the segment. A busybox httpd pod is
 * pinned to each node, and each pod reaches the other's pod IP (kubectl exec … wget), in host-gw
 * mode and then in vxlan mode (one cluster per mode, one after the other, to keep the CPU down).
 * Each node publishes flannel's annotations; the routes to the other node's podCIDR are local
 * (via the other host's segment address, or via the VXLAN device) — checked before any traffic;
 * a pod sees the other pod's own address, while what a pod sends out of the cluster CIDR (to an
 * HTTP server of the test's on the segment's bridge) arrives from the node IP; a node deleted
 * takes its routes away. Before that, what a user of the two nodes expects of Services
 * (support/multi-node-services.ts): a Deployment kept one pod per node behind a ClusterIP Service
 * that a client pod on the first node gets both pods' answers from, the Service's name through
 * kube-dns (one endpoint per node's DNS server), a NodePort on each node's IP from the other node,
 * and a NetworkPolicy on the second node's pod that lets in the first node's pod labelled
 * access=true and shuts out an unlabelled one. Teardown runs `k8ts killall` in each namespace
 * and checks no route, device, rule, process, mount or cgroup is left. Needs root, containerd, the CNI
 * plugins and busybox-static (skipped with the reason otherwise; under CI=true that fails).
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { cidrContains, parseCidr } from '../src/apiserver/allocators/cidr.js';
import { BUSYBOX_IMAGE } from '../src/kubelet/images/busybox-image.js';
import type { KubeObject } from '../src/machinery/object.js';
import { type Kubectl, kubectl, ok } from './support/kubectl.js';
import { type MultiNodeCluster, startMultiNodeCluster } from './support/multi-node.js';
import {
  answersFrom,
  CLIENT,
  deployWebAcrossNodes,
  dnsRequests,
  pageFrom,
  STRANGER,
  type WebAcrossNodes,
} from './support/multi-node-services.js';
import { nodeReady, podRunningWithIP, status } from './support/nodes.js';
import type { NetnsHost } from './support/netns.js';
import { type RealNodeServer, realNodeUnavailableForTests, startRealNodeServer } from './support/real-node-server.js';
import { eventually } from './support/wait.js';

type Obj = Record<string, unknown>;
const PODS = { group: '', version: 'v1', resource: 'pods' };
const NODES = { group: '', version: 'v1', resource: 'nodes' };
const SLICES = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' };

const skip = await realNodeUnavailableForTests();
const cacheDir = await mkdtemp(join(tmpdir(), 'k8ts-kubectl-'));
after(() => rm(cacheDir, { recursive: true, force: true }));

const MODES = [
  // the segment lies outside the cluster CIDR: what pods send to the hosts is masqueraded to the node IP
  { backend: 'host-gw', subnet: '10.238.254.0/24', clusterCIDR: '10.238.0.0/17' },
  { backend: 'vxlan', subnet: '10.239.254.0/24', clusterCIDR: '10.239.0.0/17' },
] as const;

/** A CGI script of busybox httpd that answers the client's address. */
const WHOAMI = '#!/bin/sh\necho "Content-Type: text/plain"\necho\necho "$REMOTE_ADDR"\n';

/** A busybox httpd pod on `nodeName`: `/` answers `page`, `/cgi-bin/whoami` the address the request came from. */
function whoamiPod(name: string, page: string, nodeName: string): KubeObject {
  const script =
    'mkdir -p /www/cgi-bin && echo "$PAGE" > /www/index.html && echo "$WHOAMI" > /www/cgi-bin/whoami && chmod +x /www/cgi-bin/whoami && exec httpd -f -p 8080 -h /www';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      nodeName,
      containers: [
        {
          name: 'httpd',
          image: BUSYBOX_IMAGE,
          imagePullPolicy: 'IfNotPresent',
          command: ['sh', '-c', script],
          env: [
            { name: 'PAGE', value: page },
            { name: 'WHOAMI', value: WHOAMI },
          ],
        },
      ],
    },
  };
}

/** An HTTP server on the machine at `host` that answers each request with the address it came from. */
async function whoamiServer(host: string): Promise<Server> {
  const server = createServer((req, res) => res.end(`${req.socket.remoteAddress}\n`));
  server.listen(0, host);
  await once(server, 'listening');
  return server;
}

const podCIDROf = (node: KubeObject): string => String(((node['spec'] ?? {}) as Obj)['podCIDR'] ?? '');
/** flannel's annotations of a node. */
const annotationsOf = (node: KubeObject): Record<string, string> =>
  Object.fromEntries(Object.entries(node.metadata.annotations ?? {}).filter(([key]) => key.startsWith('flannel.alpha.coreos.com/')));

// the two modes' clusters share nothing (their own segments and CIDRs): they run side by side
describe('pod network modes', { concurrency: true }, () => {
  for (const mode of MODES) {
    describe(`pods across two nodes, --flannel-backend ${mode.backend}`, { skip, timeout: 480_000, concurrency: 1 }, () => {
      let cluster: MultiNodeCluster | undefined;
      let k: Kubectl;
      const podIPs: string[] = [];
      let web: WebAcrossNodes;
      const webPodNames = (): string[] => [...web.pods.values()].map((p) => p.name);

      after(async () => {
        if (!cluster) return;
        assert.deepEqual(await cluster.stop(), [], 'the test left these behind');
      });

      it('registers both nodes Ready with podCIDRs and flannel’s annotations', async () => {
        cluster = await startMultiNodeCluster({ ...mode, namePrefix: `k8ts-e2e-${mode.backend}` });
        k = kubectl('1.33', cluster.server.kubeconfig, join(cacheDir, mode.backend));
        for (const node of cluster.nodes) {
          await nodeReady(cluster.client, node.name, 90_000);
          let n: KubeObject | undefined;
          await eventually(
            `${node.name}'s flannel annotations`,
            async () => {
              n = await cluster?.client.resource(NODES).get('', node.name);
              return annotationsOf(n as KubeObject)['flannel.alpha.coreos.com/backend-type'] === mode.backend;
            },
            60_000,
          );
          const a = annotationsOf(n as KubeObject);
          const podCIDR = podCIDROf(n as KubeObject);
          assert.ok(podCIDR.endsWith('/24') && cidrContains(parseCidr(mode.clusterCIDR), podCIDR.split('/')[0] as string), podCIDR);
          assert.equal(a['flannel.alpha.coreos.com/public-ip'], node.host.ip);
          if (mode.backend === 'vxlan') {
            const data = JSON.parse(a['flannel.alpha.coreos.com/backend-data'] ?? '{}') as Obj;
            const link = JSON.parse(await node.host.exec('ip', ['-j', 'link', 'show', 'k8ts.1'])) as Obj[];
            assert.deepEqual(data, { VNI: 1, VtepMAC: link[0]?.['address'] });
          }
        }
      });

      it('routes each node’s podCIDR to the other, over the segment the test made', async () => {
        const c = cluster as MultiNodeCluster;
        const [a, b] = c.nodes as [(typeof c.nodes)[0], (typeof c.nodes)[0]];
        for (const [from, to] of [
          [a, b],
          [b, a],
        ] as const) {
          const cidr = podCIDROf(await c.client.resource(NODES).get('', to.name));
          const gateway = cidr.replace(/\.0\/24$/, '.1');
          await eventually(`a route on ${from.name} to ${to.name}'s podCIDR`, async () =>
            (await from.host.exec('ip', ['route', 'show', 'proto', '88'])).includes(cidr),
          );
          const route = await from.host.exec('ip', ['route', 'get', gateway]);
          // the safety check: the pod network's traffic stays on the test's segment
          if (mode.backend === 'host-gw') assert.match(route, new RegExp(`via ${to.host.ip.replaceAll('.', '\\.')} dev eth0`), route);
          else assert.match(route, /dev k8ts\.1/, route);
          // before the first pod: the bridges already have their gateways, and reach each other
          const own = podCIDROf(await c.client.resource(NODES).get('', from.name)).replace(/\.0\/24$/, '.1');
          await from.host.exec('busybox', ['ping', '-c', '1', '-W', '5', '-I', own, gateway]);
        }
      });

      it('runs an httpd pod on each node, and each reaches the other’s pod IP', async () => {
        const c = cluster as MultiNodeCluster;
        const pods = c.client.resource(PODS);
        for (const [i, node] of c.nodes.entries())
          await pods.create('default', whoamiPod(`web-${i}`, `hello from ${node.name}`, node.name));
        for (const i of c.nodes.keys()) podIPs.push(String(status(await podRunningWithIP(pods, 'default', `web-${i}`, 120_000))['podIP']));
        for (const [i, node] of c.nodes.entries()) {
          const other = (i + 1) % c.nodes.length;
          const page = ok(
            await k(['exec', `web-${i}`, '--', 'sh', '-c', `timeout 5 wget -q -O - http://${podIPs[other]}:8080/`]),
            `wget from ${node.name}'s pod to ${c.nodes[other]?.name}'s pod`,
          );
          assert.equal(page, `hello from ${c.nodes[other]?.name}\n`);
        }
        // pods get the network's MTU: the VXLAN device's (50 bytes of encapsulation less), or the segment's
        const mtu = ok(await k(['exec', 'web-0', '--', 'cat', '/sys/class/net/eth0/mtu']), 'the pod’s MTU').trim();
        assert.equal(mtu, mode.backend === 'vxlan' ? '1450' : '1500');
      });

      it('keeps the pod’s address between pods, and masquerades what leaves the cluster CIDR to the node IP', async () => {
        const c = cluster as MultiNodeCluster;
        const from = ok(
          await k(['exec', 'web-0', '--', 'sh', '-c', `timeout 5 wget -q -O - http://${podIPs[1]}:8080/cgi-bin/whoami`]),
          'whoami from pod to pod',
        );
        // busybox httpd listens on IPv6 and says [::ffff:10.238.0.2]
        assert.equal(from.trim().replace(/^\[::ffff:(.*)\]$/, '$1'), podIPs[0]);
        // the safety check: the machine's address is on the segment the test made
        const node = c.nodes[0] as (typeof c.nodes)[0];
        assert.match(await node.host.exec('ip', ['route', 'get', c.segment.hostIP]), / dev eth0 /);
        const server = await whoamiServer(c.segment.hostIP);
        try {
          const port = (server.address() as AddressInfo).port;
          const seen = ok(
            await k(['exec', 'web-0', '--', 'sh', '-c', `timeout 5 wget -q -O - http://${c.segment.hostIP}:${port}/`]),
            'wget from a pod to the machine',
          );
          assert.equal(seen.trim(), node.host.ip);
        } finally {
          server.close();
        }
      });

      it('keeps the node’s annotations and the pods’ reach across an agent restart', async () => {
        const c = cluster as MultiNodeCluster;
        const a = c.nodes[0] as (typeof c.nodes)[0];
        const before = annotationsOf(await c.client.resource(NODES).get('', a.name));
        await c.restartAgent(a);
        await eventually(`${a.name}'s pod network set up again`, () => a.stderr().includes('pod network across nodes'), 60_000);
        assert.deepEqual(annotationsOf(await c.client.resource(NODES).get('', a.name)), before);
        for (const [i, other] of [
          [0, 1],
          [1, 0],
        ] as const) {
          const page = ok(
            await k(['exec', `web-${i}`, '--', 'sh', '-c', `timeout 5 wget -q -O - http://${podIPs[other]}:8080/`]),
            `wget from web-${i} after the restart`,
          );
          assert.equal(page, `hello from ${c.nodes[other]?.name}\n`);
        }
      });

      it('spreads a Deployment over both nodes; its ClusterIP Service answers a pod of one node from both pods', async () => {
        const c = cluster as MultiNodeCluster;
        web = await deployWebAcrossNodes(c, k);
        const { clusterIP } = web;
        await answersFrom(`http://${clusterIP}/ from ${CLIENT}`, () => pageFrom(k, CLIENT, `http://${clusterIP}/`), webPodNames());
      });

      it('resolves the Service through kube-dns, which has an endpoint on each node’s DNS server', async () => {
        const c = cluster as MultiNodeCluster;
        for (const node of c.nodes) {
          let addresses: unknown[] = [];
          await eventually(`kube-system/kube-dns-${node.name}`, async () => {
            const slice = await c.client
              .resource(SLICES)
              .get('kube-system', `kube-dns-${node.name}`)
              .catch(() => undefined);
            addresses = ((slice?.['endpoints'] ?? []) as Obj[]).map((e) => e['addresses']);
            return addresses.length > 0;
          });
          assert.deepEqual(addresses, [[node.host.ip]]);
        }
        const lookup = async (server: string): Promise<void> => {
          const r = await k(['exec', CLIENT, '--', 'nslookup', 'web.default.svc.cluster.local', ...(server ? [server] : [])], {
            timeoutMs: 30_000,
          });
          const out = `${r.stdout}${r.stderr}`;
          assert.match(out, new RegExp(`Server:\\s+${(server || '10.96.0.10').replaceAll('.', '\\.')}\\b`), out);
          assert.match(out, new RegExp(`Address:\\s+${web.clusterIP.replaceAll('.', '\\.')}\\b`), out);
        };
        // each node's server, asked by its address (the other node's across the pod network)
        for (const node of c.nodes) await lookup(node.host.ip);
        // the pod's resolv.conf: kube-dns' cluster IP, which the proxy spreads over both servers (as their counters show)
        const before = await Promise.all(c.nodes.map(dnsRequests));
        await eventually(
          'queries to 10.96.0.10 answered by both nodes’ DNS servers',
          async () => {
            await lookup('');
            const now = await Promise.all(c.nodes.map(dnsRequests));
            return now.every((n, i) => n > (before[i] ?? 0));
          },
          60_000,
          100,
        );
      });

      it('answers a NodePort on each node’s IP, from the other node, from both pods', async () => {
        const c = cluster as MultiNodeCluster;
        for (const [i, node] of c.nodes.entries()) {
          const from = c.nodes[(i + 1) % c.nodes.length] as (typeof c.nodes)[0];
          const url = `http://${node.host.ip}:${web.nodePort}/`;
          const curl = () => from.host.exec('curl', ['-sS', '-m', '5', url]).catch(() => undefined);
          await answersFrom(`${url} from ${from.name}`, curl, webPodNames());
        }
      });

      it('a NetworkPolicy lets only pods labelled access=true of the other node into a pod', async () => {
        const c = cluster as MultiNodeCluster;
        const [a, b] = c.nodes as [(typeof c.nodes)[0], (typeof c.nodes)[0]];
        const target = web.pods.get(b.name) as { name: string; ip: string };
        const url = `http://${target.ip}:8080/`;
        assert.equal(await pageFrom(k, STRANGER, url), `${target.name}\n`, 'before the policy');
        ok(await k(['label', 'pod', target.name, 'guarded=true']), 'kubectl label');
        const policy = {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name: 'guarded-from-access', namespace: 'default' },
          spec: {
            podSelector: { matchLabels: { guarded: 'true' } },
            policyTypes: ['Ingress'],
            ingress: [{ from: [{ podSelector: { matchLabels: { access: 'true' } } }] }],
          },
        };
        ok(await k(['apply', '-f', '-'], { input: JSON.stringify(policy) }), 'kubectl apply the NetworkPolicy');
        await eventually(
          `${STRANGER} on ${a.name} shut out of ${target.name}`,
          async () => (await pageFrom(k, STRANGER, url)) === undefined,
          30_000,
          300,
        );
        assert.equal(await pageFrom(k, CLIENT, url), `${target.name}\n`, `${CLIENT} on ${a.name}, labelled access=true`);
        // the other web pod, on the client's own node, is not selected
        const other = web.pods.get(a.name) as { name: string; ip: string };
        assert.equal(await pageFrom(k, STRANGER, `http://${other.ip}:8080/`), `${other.name}\n`);
        assert.match(await b.host.exec('iptables-save', ['-t', 'filter']), /:KUBE-POD-FW-[A-Z2-7]{16} /);
        assert.doesNotMatch(await a.host.exec('iptables-save', ['-t', 'filter']), /KUBE-POD-FW-/, 'no pod of node A is isolated');
        ok(await k(['delete', 'networkpolicy', 'guarded-from-access']), 'kubectl delete the NetworkPolicy');
        await eventually(`${STRANGER} back in`, async () => (await pageFrom(k, STRANGER, url)) === `${target.name}\n`, 30_000, 300);
      });

      it('takes the routes to a node away when the node is deleted', async () => {
        const c = cluster as MultiNodeCluster;
        const [a, b] = c.nodes as [(typeof c.nodes)[0], (typeof c.nodes)[0]];
        await c.stopAgent(b);
        await c.client.resource(NODES).delete('', b.name);
        await eventually(
          `${a.name} without routes to ${b.name}`,
          async () => (await a.host.exec('ip', ['route', 'show', 'proto', '88'])).trim() === '',
          30_000,
        );
        if (mode.backend === 'vxlan') {
          assert.equal((await a.host.exec('ip', ['neigh', 'show', 'dev', 'k8ts.1', 'nud', 'permanent'])).trim(), '');
          assert.ok(
            !(await a.host.exec('bridge', ['fdb', 'show', 'dev', 'k8ts.1'])).includes(` dst ${b.host.ip} `),
            'an FDB entry to the gone node',
          );
        }
      });
    });
  }
});

describe('k8ts server in a namespace: the embedded node with the default --flannel-backend (vxlan)', { skip, timeout: 240_000 }, () => {
  let rn: RealNodeServer | undefined;

  after(async () => {
    if (rn) assert.deepEqual(await rn.stop(), [], 'the test left these behind');
  });

  it('sets up the VXLAN device and flannel’s annotations, with the bridge plugin’s masquerade off, and runs pods', async () => {
    rn = await startRealNodeServer({
      nodeName: 'k8ts-e2e-flannel-default',
      clusterCIDR: '10.238.128.0/17',
      netns: { subnet: '10.238.254.252/30' },
    });
    const netns = rn.netns as NetnsHost;
    const n = await nodeReady(rn.client, rn.nodeName, 90_000);
    await eventually('the vxlan annotations', async () => {
      const got = await rn?.client.resource(NODES).get('', rn.nodeName);
      return annotationsOf(got as KubeObject)['flannel.alpha.coreos.com/backend-type'] === 'vxlan';
    });
    assert.match(await netns.exec('ip', ['-d', 'link', 'show', 'k8ts.1']), /vxlan id 1 local 10\.238\.254\.254 dev eth0 .*dstport 8472/);
    assert.ok(podCIDROf(n) !== '');
    const pods = rn.client.resource(PODS);
    await pods.create('default', whoamiPod('web', 'hello', rn.nodeName));
    const podIP = String(status(await podRunningWithIP(pods, 'default', 'web', 90_000))['podIP']);
    assert.match(await netns.exec('ip', ['route', 'get', podIP]), new RegExp(` dev ${rn.bridge} `));
    assert.equal(await netns.exec('curl', ['-sS', '-m', '5', `http://${podIP}:8080/`]), 'hello\n');
    const nat = await netns.exec('iptables-save', ['-t', 'nat']);
    assert.ok(nat.includes('-A K8TS-POSTRTG -s 10.238.128.0/17 ! -d 10.238.128.0/17'), nat);
    assert.ok(
      !/-j MASQUERADE/.test(
        nat
          .split('\n')
          // kube-proxy's masquerade of marked service traffic is the service proxy's, not the pod network's
          .filter((l) => !l.includes('K8TS-POSTRTG') && !l.startsWith('-A KUBE-POSTROUTING '))
          .join('\n'),
      ),
      `one masquerade, not two:\n${nat}`,
    );
  });
});
