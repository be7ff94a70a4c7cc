/**
 * Cluster DNS end to end on a real node in a network namespace: the node's DNS server (on the
 * node IP, port 53) answers pods — `--cluster-dns` points their resolv.conf straight at it, and
 * kube-dns' cluster IP 10.96.0.10 reaches it through the service proxy — with Services by full and short name,
 * `kubernetes.default`, a headless Service's pod IPs and its pods' hostnames, SRV records of a
 * named port, NXDOMAIN for a name nobody has, and names outside the cluster from an upstream
 * resolver the test runs on the machine side of the namespace's veth (`--dns-upstream`). The
 * server bootstrap's kube-dns Service and the node's EndpointSlice of it are checked too.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { HttpsClientset } from '../src/client/rest.js';
import type { KubeObject } from '../src/machinery/object.js';
import { queryTCP } from '../src/dns/testing/dns-client.js';
import { type StaticDnsServer, startStaticDnsServer } from '../src/dns/testing/static-dns-server.js';
import { runCommand } from '../src/kubelet/command.js';
import { BUSYBOX_IMAGE } from '../src/kubelet/images/busybox-image.js';
import { type Kubectl, kubectl } from './support/kubectl.js';
import { httpdPod, nodeReady, podRunningWithIP, status } from './support/nodes.js';
import { type RealNodeServer, realNodeUnavailableForTests, startRealNodeServer } from './support/real-node-server.js';
import { eventually } from './support/wait.js';

type Obj = Record<string, unknown>;
const PODS = { group: '', version: 'v1', resource: 'pods' };
const SERVICES = { group: '', version: 'v1', resource: 'services' };
const SLICES = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' };
const NODE = 'k8ts-dns-node';
const SUBNET = '10.236.255.0/30';
/** The namespace's node IP (.2) and the machine side of its veth (.1), where the upstream resolver listens. */
const NODE_IP = '10.236.255.2';
const UPSTREAM_IP = '10.236.255.1';
const UPSTREAM_PORT = 10053;

const skip = await realNodeUnavailableForTests();
let rn: RealNodeServer | undefined;
let upstream: StaticDnsServer | undefined;
let k: Kubectl;

function client(): HttpsClientset {
  return (rn as RealNodeServer).client;
}

function service(name: string, spec: Obj): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec };
}

/** `nslookup args…` in the client pod: its output and whether it succeeded. */
async function nslookup(...args: string[]): Promise<{ code: number; out: string }> {
  const r = await k(['exec', 'client', '--', 'nslookup', ...args], { timeoutMs: 30_000 });
  return { code: r.code, out: `${r.stdout}${r.stderr}` };
}

before(async () => {
  if (skip) return;
  rn = await startRealNodeServer({
    nodeName: NODE,
    clusterCIDR: '10.236.0.0/16',
    netns: { subnet: SUBNET },
    args: ['--cluster-dns', NODE_IP, '--dns-upstream', `${UPSTREAM_IP}:${UPSTREAM_PORT}`],
  });
  upstream = await startStaticDnsServer({
    host: UPSTREAM_IP,
    port: UPSTREAM_PORT,
    answer: (q) =>
      q.name.toLowerCase() === 'outside.example' && q.type === 'A'
        ? [{ type: 'A', name: q.name, ttl: 60, class: 'IN', data: '192.0.2.10' }]
        : undefined,
  });
  k = kubectl('1.33', rn.server.kubeconfig, join(rn.dataDir, 'kubectl-cache'));
});

after(async () => {
  await upstream?.close();
  if (!rn) return;
  assert.deepEqual(await rn.stop(), [], 'the test left these behind');
});

describe('cluster DNS on a real node', { skip, timeout: 300_000 }, () => {
  let webIP = '';
  let podIP = '';

  before(async () => {
    if (skip) return;
    await nodeReady(client(), NODE, 90_000);
    const pods = client().resource(PODS);
    const services = client().resource(SERVICES);
    const web = await services.create(
      'default',
      service('web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] }),
    );
    webIP = String((web['spec'] as Obj)['clusterIP']);
    await services.create(
      'default',
      service('nginx', { clusterIP: 'None', selector: { app: 'web' }, ports: [{ name: 'web', port: 8080 }] }),
    );
    const server = httpdPod('web-0', 'dns', { hostname: 'web-0', subdomain: 'nginx' });
    server.metadata.labels = { app: 'web' };
    await pods.create('default', server);
    await pods.create('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'client', namespace: 'default' },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'sh', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }],
      },
    });
    podIP = String(status(await podRunningWithIP(pods, 'default', 'web-0', 90_000))['podIP']);
    await podRunningWithIP(pods, 'default', 'client', 90_000);
  });

  it('creates kube-dns in kube-system and publishes the node as its endpoint', async () => {
    const kubeDNS = await client().resource(SERVICES).get('kube-system', 'kube-dns');
    assert.equal((kubeDNS['spec'] as Obj)['clusterIP'], '10.96.0.10');
    assert.deepEqual(kubeDNS.metadata.labels?.['k8s-app'], 'kube-dns');
    const ports = ((kubeDNS['spec'] as Obj)['ports'] as Obj[]).map((p) => `${p['name']} ${p['port']}/${p['protocol']}`);
    assert.deepEqual(ports, ['dns 53/UDP', 'dns-tcp 53/TCP', 'metrics 9153/TCP']);
    const slice = await client()
      .resource(SLICES)
      .get('kube-system', `kube-dns-${NODE}`)
      .catch((err: Error) => assert.fail(`${err.message}; server stderr: ${rn?.server.stderr()}`));
    assert.equal(slice.metadata.labels?.['kubernetes.io/service-name'], 'kube-dns');
    assert.equal(slice.metadata.labels?.['endpointslice.kubernetes.io/managed-by'], 'agent.k8ts.io');
    assert.deepEqual(
      slice.metadata.ownerReferences?.map((o) => `${o.kind}/${o.name}`),
      [`Node/${NODE}`],
    );
    assert.deepEqual(
      (slice['endpoints'] as Obj[]).map((e) => e['addresses']),
      [[NODE_IP]],
    );
    assert.deepEqual(
      (slice['ports'] as Obj[]).map((p) => `${p['name']} ${p['port']}/${p['protocol']}`),
      ['dns 53/UDP', 'dns-tcp 53/TCP', 'metrics 9153/TCP'],
    );
  });

  it('resolves a Service by its full name, its short name and kubernetes.default', async () => {
    // busybox's nslookup tries every search domain and fails when one of them is NXDOMAIN: look at the answer
    for (const name of ['web.default.svc.cluster.local', 'web']) {
      const r = await nslookup(name);
      assert.match(r.out, new RegExp(`Address:\\s+${webIP.replaceAll('.', '\\.')}\\b`), r.out);
    }
    // busybox's nslookup searches only dotless names; ping resolves through the C library's resolver
    // (search path, ndots:5), as applications do. Its echo request goes nowhere: no route leaves the namespace.
    const r = await k(['exec', 'client', '--', 'ping', '-c', '1', '-W', '1', 'kubernetes.default'], { timeoutMs: 30_000 });
    assert.match(`${r.stdout}${r.stderr}`, /PING kubernetes\.default \(10\.96\.0\.1\)/, `${r.stdout}${r.stderr}`);
  });

  it('resolves a headless Service and its pod’s hostname to the pod IP', async () => {
    await eventually(
      'the headless Service answers the pod IP',
      async () => (await nslookup('nginx.default.svc.cluster.local')).out.includes(podIP),
      30_000,
    );
    const r = await nslookup('web-0.nginx.default.svc.cluster.local');
    assert.match(r.out, new RegExp(`Address:\\s+${podIP.replaceAll('.', '\\.')}\\b`), r.out);
  });

  it('answers PTR for a service IP and a headless endpoint’s IP', async () => {
    const service = await nslookup(webIP);
    assert.match(service.out, /name = web\.default\.svc\.cluster\.local/, service.out);
    const endpoint = await nslookup(podIP);
    assert.match(endpoint.out, /name = web-0\.nginx\.default\.svc\.cluster\.local/, endpoint.out);
  });

  it('answers SRV records of a named port', async () => {
    const r = await nslookup('-type=SRV', '_web._tcp.nginx.default.svc.cluster.local');
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /8080 web-0\.nginx\.default\.svc\.cluster\.local/, r.out);
    const c = await nslookup('-type=SRV', '_http._tcp.web.default.svc.cluster.local');
    assert.match(c.out, /80 web\.default\.svc\.cluster\.local/, c.out);
  });

  it('says NXDOMAIN for a name nobody has', async () => {
    const r = await nslookup('nope.default.svc.cluster.local');
    assert.notEqual(r.code, 0);
    assert.match(r.out, /NXDOMAIN/, r.out);
  });

  it('forwards names outside the cluster to the upstream resolver', async () => {
    const r = await nslookup('outside.example');
    assert.match(r.out, /Address:\s+192\.0\.2\.10\b/, r.out);
    assert.ok((upstream as StaticDnsServer).queries.udp >= 1);
  });

  it('answers through kube-dns’ cluster IP, which the service proxy routes to the node’s server', async () => {
    await eventually(
      'an answer through 10.96.0.10',
      async () => (await nslookup('web.default.svc.cluster.local', '10.96.0.10')).out.includes(webIP),
      30_000,
    );
    const r = await nslookup('web.default.svc.cluster.local', '10.96.0.10');
    assert.match(r.out, /Server:\s+10\.96\.0\.10/, r.out);
    // and kube-dns' metrics port reaches the node's counters
    const metrics = await k(['exec', 'client', '--', 'timeout', '5', 'wget', '-q', '-O', '-', 'http://10.96.0.10:9153/metrics'], {
      timeoutMs: 30_000,
    });
    assert.match(
      metrics.stdout,
      /^coredns_dns_requests_total\{.*zone="cluster\.local\.".*type="A"\} \d+$/m,
      `${metrics.stdout}${metrics.stderr}`,
    );
  });

  it('lets a pod fetch a Service by its full and its short name (DNS, then the service proxy)', async () => {
    for (const name of ['web.default.svc.cluster.local', 'web']) {
      await eventually(
        `the page of http://${name}/`,
        async () =>
          (
            await k(['exec', 'client', '--', 'timeout', '5', 'wget', '-q', '-O', '-', `http://${name}/`], { timeoutMs: 30_000 })
          ).stdout.includes('dns'),
        30_000,
      );
    }
  });

  it('answers over TCP on the node IP', async () => {
    // the node IP is reached over the veth this test made, never out of the machine
    const route = await runCommand('ip', ['route', 'get', NODE_IP]);
    assert.match(route.stdout, new RegExp(`dev ${(rn as RealNodeServer).netns?.hostVeth}\\b`), route.stdout);
    const got = await queryTCP(NODE_IP, 53, {
      id: 1,
      type: 'query',
      questions: [{ name: 'web.default.svc.cluster.local', type: 'A', class: 'IN' }],
    });
    assert.deepEqual(
      got.answers?.map((a) => (a as { data: unknown }).data),
      [webIP],
    );
  });
});
