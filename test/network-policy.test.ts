/**
 * NetworkPolicy enforcement end to end (issue 14): a real node (k8ts server on its own
 * containerd) in a network namespace of the test's, busybox pods in two namespaces: an httpd
 * `web` (ports 8080 and 9090, probed for liveness and readiness over HTTP), a labelled client,
 * an unlabelled one, and a pod in a second, labelled namespace. Every check is a `timeout 3
 * wget` run in a client pod with kubectl exec. A default-deny ingress policy shuts everyone out
 * (the node itself still gets in, and web's probes keep passing); an allow by podSelector and
 * port lets the labelled client in on 8080 only; a namespaceSelector rule on a named port lets
 * the other namespace's pod in; an egress policy of the client denies, then allows an ipBlock
 * with an except and then one without; deleting the policies restores access and removes every
 * chain. Traffic stays inside the namespace (its pods, its bridge).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { HttpsClientset } from '../src/client/rest.js';
import { BUSYBOX_IMAGE } from '../src/kubelet/images/busybox-image.js';
import type { KubeObject } from '../src/machinery/object.js';
import { type Kubectl, kubectl } from './support/kubectl.js';
import { nodeReady, podRunningWithIP, status } from './support/nodes.js';
import { type RealNodeServer, realNodeUnavailableForTests, startRealNodeServer } from './support/real-node-server.js';
import { eventually } from './support/wait.js';

type Obj = Record<string, unknown>;
const PODS = { group: '', version: 'v1', resource: 'pods' };
const EVENTS = { group: '', version: 'v1', resource: 'events' };
const NAMESPACES = { group: '', version: 'v1', resource: 'namespaces' };
const POLICIES = { group: 'networking.k8s.io', version: 'v1', resource: 'networkpolicies' };
const NODE = 'k8ts-netpol-node';

const skip = await realNodeUnavailableForTests();
let node: RealNodeServer | undefined;
let k: Kubectl;
let cacheDir = '';
let webIP = '';

const client = (): HttpsClientset => (node as RealNodeServer).client;

function box(name: string, namespace: string, labels: Record<string, string>, script: string, extra: Obj = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'main', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', script], ...extra }],
    },
  };
}

const WEB_SCRIPT = 'mkdir -p /www && echo hello > /www/index.html && httpd -p 9090 -h /www && exec httpd -f -p 8080 -h /www';
// every second; three misses in a row (a blocked probe misses every time) restart or unready it
const probe = { httpGet: { path: '/', port: 'http' }, periodSeconds: 1, timeoutSeconds: 2, failureThreshold: 3 };

function policy(name: string, spec: Obj): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: 'default' }, spec };
}

/** Whether pod ns/name gets web's page on `port` (one wget, bounded by `timeout 3`); throws when exec itself fails. */
async function gets(from: string, port: number): Promise<boolean> {
  const [namespace = '', name = ''] = from.split('/');
  const script = `timeout 3 wget -q -O - http://${webIP}:${port}/; echo "wget exit $?"`;
  const r = await k(['exec', '-n', namespace, name, '--', 'sh', '-c', script], { timeoutMs: 20_000 });
  const exit = /wget exit (\d+)\n$/.exec(r.stdout);
  if (r.code !== 0 || !exit) throw new Error(`kubectl exec ${from} failed (${r.code}): ${r.stdout} ${r.stderr}`);
  return exit[1] === '0' && r.stdout.startsWith('hello\n');
}

const reaches = (from: string, port = 8080) => eventually(`${from} reaching web:${port}`, () => gets(from, port), 30_000, 300);
const blocked = (from: string, port = 8080) =>
  eventually(`${from} shut out of web:${port}`, async () => !(await gets(from, port)), 30_000, 300);

async function apply(p: KubeObject): Promise<void> {
  const policies = client().resource(POLICIES);
  const existing = await policies.get('default', p.metadata.name ?? '').catch(() => undefined);
  if (existing) await policies.update('default', { ...p, metadata: { ...p.metadata, resourceVersion: existing.metadata.resourceVersion } });
  else await policies.create('default', p);
}

async function filterTable(): Promise<string> {
  return (node as RealNodeServer).netns?.exec('iptables-save', ['-t', 'filter']) ?? '';
}

before(async () => {
  if (skip) return;
  cacheDir = await mkdtemp(join(tmpdir(), 'k8ts-netpol-kubectl-'));
  node = await startRealNodeServer({ nodeName: NODE, clusterCIDR: '10.242.0.0/16', netns: { subnet: '10.242.255.0/30' } });
  k = kubectl('1.33', node.server.kubeconfig, cacheDir);
  await nodeReady(client(), NODE, 90_000);
  await client()
    .resource(NAMESPACES)
    .create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tools', labels: { team: 'tools' } } });
  const pods = client().resource(PODS);
  const web = box('web', 'default', { app: 'web' }, WEB_SCRIPT, {
    ports: [{ name: 'http', containerPort: 8080 }, { containerPort: 9090 }],
    livenessProbe: probe,
    readinessProbe: probe,
  });
  await pods.create('default', web);
  await pods.create('default', box('client', 'default', { role: 'client' }, 'exec sleep 3600'));
  await pods.create('default', box('stranger', 'default', {}, 'exec sleep 3600'));
  await pods.create('tools', box('tool', 'tools', {}, 'exec sleep 3600'));
  webIP = String(status(await podRunningWithIP(pods, 'default', 'web', 90_000))['podIP']);
  for (const [ns, name] of [
    ['default', 'client'],
    ['default', 'stranger'],
    ['tools', 'tool'],
  ] as const)
    await podRunningWithIP(pods, ns, name, 90_000);
});

after(async () => {
  if (!node) return;
  const left = await node.stop();
  await rm(cacheDir, { recursive: true, force: true });
  assert.deepEqual(left, [], 'the test left these behind');
});

describe('NetworkPolicy on a real node', { skip, timeout: 300_000 }, () => {
  it('before any policy: every pod reaches web, over the node’s bridge', async () => {
    const route = (await node?.netns?.exec('ip', ['route', 'get', webIP])) ?? '';
    assert.match(route, new RegExp(`dev ${node?.bridge}`), `web's address is on the node's bridge: ${route}`);
    await reaches('default/client');
    await reaches('default/stranger');
    await reaches('tools/tool', 9090);
    assert.doesNotMatch(await filterTable(), /KUBE-ROUTER/, 'no chains while no pod is isolated');
    const bridged = (await node?.netns?.exec('cat', ['/proc/sys/net/bridge/bridge-nf-call-iptables'])) ?? '';
    assert.equal(bridged.trim(), '1', 'same-bridge traffic passes iptables');
  });

  it('a default-deny ingress policy shuts every pod of the namespace out; the node still gets in', async () => {
    await apply(policy('default-deny', { podSelector: {}, policyTypes: ['Ingress'] }));
    await blocked('default/client');
    await blocked('default/stranger');
    await blocked('tools/tool');
    const table = await filterTable();
    assert.match(table, /-A FORWARD -m comment --comment "kube-router netpol" -j KUBE-ROUTER-FORWARD/);
    assert.match(table, /:KUBE-POD-FW-[A-Z2-7]{16} /);
    assert.match(table, /:KUBE-NWPLCY-[A-Z2-7]{16} /);
    const page = await node?.netns?.exec('curl', ['-sS', '-m', '5', `http://${webIP}:8080/`]);
    assert.equal(page, 'hello\n', 'traffic from the node is always allowed');
  });

  it('an allow by podSelector and port lets the labelled client in on that port only', async () => {
    await apply(
      policy('allow-client', {
        podSelector: { matchLabels: { app: 'web' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { role: 'client' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
      }),
    );
    await reaches('default/client');
    assert.equal(await gets('default/client', 9090), false, 'port 9090 is not allowed');
    assert.equal(await gets('default/stranger', 8080), false, 'the unlabelled pod stays out');
  });

  it('a namespaceSelector rule on a named port lets the other namespace’s pod in', async () => {
    assert.equal(await gets('tools/tool', 8080), false);
    await apply(
      policy('allow-tools', {
        podSelector: { matchLabels: { app: 'web' } },
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'tools' } } }], ports: [{ port: 'http' }] }],
      }),
    );
    await reaches('tools/tool');
    assert.equal(await gets('tools/tool', 9090), false, 'the named port is 8080 only');
  });

  it('an egress policy denies the client, then allows an ipBlock (except excluded)', async () => {
    await apply(policy('client-egress', { podSelector: { matchLabels: { role: 'client' } }, policyTypes: ['Egress'] }));
    await blocked('default/client');
    await apply(
      policy('client-egress', {
        podSelector: { matchLabels: { role: 'client' } },
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: '10.242.0.0/16', except: [`${webIP}/32`] } }] }],
      }),
    );
    // the rules changed, and web is still the excepted address
    await eventually('the except in the rules', async () => (await filterTable()).includes('-d 10.242.128.0/17'), 30_000, 300);
    assert.equal(await gets('default/client', 8080), false, 'the except keeps web out');
    await apply(
      policy('client-egress', {
        podSelector: { matchLabels: { role: 'client' } },
        policyTypes: ['Egress'],
        egress: [{ to: [{ ipBlock: { cidr: `${webIP}/32` } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
      }),
    );
    await reaches('default/client');
  });

  it('web’s liveness and readiness probes kept passing while it was isolated', async () => {
    const web = await client().resource(PODS).get('default', 'web');
    const ready = ((status(web)['conditions'] ?? []) as Obj[]).find((c) => c['type'] === 'Ready');
    assert.equal(ready?.['status'], 'True');
    const restarts = ((status(web)['containerStatuses'] ?? []) as Obj[])[0]?.['restartCount'];
    const events = (await client().resource(EVENTS).list('default', { fieldSelector: 'involvedObject.name=web' })).items;
    const said = events.map((e) => `${e['reason']}: ${e['message']}`).join('\n');
    assert.equal(restarts, 0, `no liveness failure restarted it; events:\n${said}`);
  });

  it('deleting the policies restores access and removes every chain', async () => {
    for (const name of ['default-deny', 'allow-client', 'allow-tools', 'client-egress'])
      await client().resource(POLICIES).delete('default', name);
    await reaches('default/stranger');
    await reaches('default/client', 9090);
    await reaches('tools/tool', 9090);
    await eventually('no chains left', async () => !/KUBE-(ROUTER|POD-FW|NWPLCY)/.test(await filterTable()), 30_000, 300);
  });
});
