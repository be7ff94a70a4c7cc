/**
 * `k8ts server --runtime containerd` end to end, as root with Debian's containerd, runc, CNI
 * plugins and busybox-static: the server makes this machine a node on its own containerd, a
 * busybox httpd pod runs with an IP from the node's podCIDR (a test-only cluster CIDR and
 * bridge), the test process reaches it over the bridge, and deleting the pod removes its
 * containers. Teardown, even after a failure, leaves no containerd, shim, mount, network
 * namespace, bridge or iptables rule behind. Skipped with the reason when root or the packages
 * are missing (under CI=true that fails instead).
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { HttpsClientset } from '../src/client/rest.js';
import { CommandError, runCommand } from '../src/kubelet/command.js';
import { ctr } from '../src/kubelet/containerd/ctr.js';
import { BUSYBOX_IMAGE, writeBusyboxImage } from '../src/kubelet/images/busybox-image.js';
import { httpdPod, nodeReady, pageOf, podRunningWithIP, status } from './support/nodes.js';
import { type RealNodeServer, realNodeUnavailableForTests, startRealNodeServer } from './support/real-node-server.js';
import { REPO } from './support/server.js';
import { pkiPaths } from '../src/pki/layout.js';
import { eventually } from './support/wait.js';
import { kubectl, ok } from './support/kubectl.js';

type Obj = Record<string, unknown>;
const PODS = { group: '', version: 'v1', resource: 'pods' };
const NODES = { group: '', version: 'v1', resource: 'nodes' };
const NODE = 'k8ts-e2e-node';

const skip = await realNodeUnavailableForTests();
let node: RealNodeServer | undefined;
let client: HttpsClientset | undefined;
let dataDir = '';

before(async () => {
  if (skip) return;
  node = await startRealNodeServer({ nodeName: NODE, clusterCIDR: '10.251.0.0/16' });
  client = node.client;
  dataDir = node.dataDir;
});

after(async () => {
  if (!node) return;
  assert.deepEqual(await node.stop(), [], 'the test left these behind');
});

describe('k8ts server --runtime containerd', { skip, timeout: 240_000 }, () => {
  it('registers the node Ready with the machine’s capacity and containerd’s version', async () => {
    const nodes = (client as HttpsClientset).resource(NODES);
    let n = await nodeReady(client as HttpsClientset, NODE, 90_000);
    const st = status(n);
    const info = st['nodeInfo'] as Obj;
    assert.match(String(info['containerRuntimeVersion']), /^containerd:\/\/\S+/);
    assert.ok(Number((st['capacity'] as Obj)['cpu']) >= 1);
    assert.equal((st['capacity'] as Obj)['pods'], '110');
    assert.ok(((st['addresses'] ?? []) as Obj[]).some((a) => a['type'] === 'InternalIP'));
    await eventually('spec.podCIDR in the cluster CIDR', async () => {
      n = await nodes.get('', NODE);
      return String((n['spec'] as Obj)['podCIDR'] ?? '').startsWith('10.251.');
    });
  });

  it('runs a busybox httpd pod that the host reaches by its pod IP, and removes it on delete', async () => {
    const pods = (client as HttpsClientset).resource(PODS);
    await pods.create('default', httpdPod('web', 'hello from k8ts'));
    const pod = await podRunningWithIP(pods, 'default', 'web', 90_000);
    const podIP = String(status(pod)['podIP']);
    assert.match(podIP, /^10\.251\.\d+\.\d+$/);
    assert.equal(((pod['spec'] ?? {}) as Obj)['nodeName'], NODE);

    const body = await pageOf(`http://${podIP}:8080/`, 20_000);
    assert.equal(body, 'hello from k8ts\n');

    await pods.delete('default', 'web', { gracePeriodSeconds: 1 });
    await eventually(
      'the pod gone',
      async () =>
        await pods.get('default', 'web').then(
          () => false,
          () => true,
        ),
      60_000,
    );
    const socket = (node as RealNodeServer).socket;
    await eventually(
      'no containers left in containerd',
      async () => (await ctr(['containers', 'ls', '-q'], { address: socket })).trim() === '',
      30_000,
    );
  });

  it('k8ts images import and list reach the node’s containerd, and say so when none runs', async () => {
    const k8ts = (...args: string[]) => runCommand(process.execPath, [join(REPO, 'bin', 'k8ts.js'), 'images', ...args]);
    const archive = join(dataDir, 'extra.tar');
    const extra = 'docker.io/library/busybox-extra:k8ts';
    await writeBusyboxImage(archive, { name: extra });
    assert.match((await k8ts('import', archive, '--data-dir', dataDir)).stdout, /imported .*extra\.tar/);
    const listed = (await k8ts('list', '--data-dir', dataDir)).stdout.split('\n');
    assert.ok(listed.includes(extra) && listed.includes(BUSYBOX_IMAGE), listed.join(', '));
    const socket = (node as RealNodeServer).socket;
    assert.ok((await k8ts('list', '--container-runtime-endpoint', `unix://${socket}`)).stdout.split('\n').includes(extra));
    const none = await k8ts('list', '--data-dir', join(dataDir, 'none')).then(
      () => undefined,
      (err: unknown) => err,
    );
    assert.ok(none instanceof CommandError);
    assert.equal(none.stderr.trim().split('\n').length, 1);
    assert.match(none.stderr, /^k8ts: no containerd is running at \S+containerd\.sock/);
  });

  it('runs a Deployment of busybox httpd whose pods the host reaches by their IPs', async () => {
    const c = client as HttpsClientset;
    const deployments = c.resource({ group: 'apps', version: 'v1', resource: 'deployments' });
    const labels = { app: 'web-deploy' };
    const script = 'mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www';
    await deployments.create('default', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web-deploy', namespace: 'default' },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [{ name: 'httpd', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', script] }],
          },
        },
      },
    });
    await eventually(
      'the Deployment available with 2 ready replicas',
      async () => Number(status(await deployments.get('default', 'web-deploy'))['readyReplicas'] ?? 0) === 2,
      90_000,
    );
    const pods = (await c.resource(PODS).list('default', { labelSelector: 'app=web-deploy' })).items;
    assert.equal(pods.length, 2);
    for (const pod of pods) {
      const body = await pageOf(`http://${String(status(pod)['podIP'])}:8080/`, 20_000);
      assert.equal(body, `${pod.metadata.name}\n`, 'each pod answers with its own hostname');
    }
    await deployments.delete('default', 'web-deploy', { propagationPolicy: 'Foreground' });
    await eventually(
      'the Deployment’s pods gone',
      async () => (await c.resource(PODS).list('default', { labelSelector: 'app=web-deploy' })).items.length === 0,
      60_000,
    );
  });

  it('its kubelet reads the Secret of its own pod, not one of a pod on another node, and modifies only its own Node', async () => {
    const c = client as HttpsClientset;
    const secrets = c.resource({ group: '', version: 'v1', resource: 'secrets' });
    const pods = c.resource(PODS);
    const other = 'k8ts-e2e-other-node';
    await c.resource(NODES).create('', { apiVersion: 'v1', kind: 'Node', metadata: { name: other } });
    for (const name of ['mine', 'theirs']) await secrets.create('default', { metadata: { name }, stringData: { page: name } });
    const withSecret = (name: string, nodeName: string, secretName: string) =>
      httpdPod(name, 'x', { nodeName, volumes: [{ name: 's', secret: { secretName } }] });
    await pods.create('default', withSecret('uses-mine', NODE, 'mine'));
    await pods.create('default', withSecret('uses-theirs', other, 'theirs'));
    // the kubelet, now without system:masters, mounts its pod's Secret
    await podRunningWithIP(pods, 'default', 'uses-mine', 90_000);
    const asNode = kubectl('1.33', join(dataDir, 'kubelet-containerd.conf'), join(dataDir, 'kubectl-cache'));
    const [own, foreign, patchOther, restrictedLabel, listSecrets] = await Promise.all([
      asNode(['get', 'secret', 'mine', '-n', 'default', '-o', 'jsonpath={.data.page}']),
      asNode(['get', 'secret', 'theirs', '-n', 'default']),
      asNode(['label', 'node', other, 'stolen=yes']),
      asNode(['label', 'node', NODE, 'node-restriction.kubernetes.io/trusted=yes']),
      asNode(['get', 'secrets', '-n', 'default']),
    ]);
    assert.equal(Buffer.from(ok(own, 'get own secret'), 'base64').toString(), 'mine');
    assert.match(
      foreign.stderr,
      /secrets "theirs" is forbidden: User "system:node:k8ts-e2e-node" cannot get resource "secrets" in API group "" in the namespace "default": no relationship found between node 'k8ts-e2e-node' and this object/,
    );
    assert.match(
      patchOther.stderr,
      /nodes "k8ts-e2e-other-node" is forbidden: node "k8ts-e2e-node" is not allowed to modify node "k8ts-e2e-other-node"/,
    );
    assert.match(restrictedLabel.stderr, /is not allowed to modify labels: node-restriction.kubernetes.io\/trusted/);
    assert.match(listSecrets.stderr, /cannot list resource "secrets"/);
    for (const name of ['uses-mine', 'uses-theirs']) await pods.delete('default', name, { gracePeriodSeconds: 0 });
    await c.resource(NODES).delete('', other);
  });

  it('a pod’s projected ServiceAccount token, read inside its container, authenticates as the account until the pod is gone', async () => {
    const c = client as HttpsClientset;
    const server = (node as RealNodeServer).server;
    const admin = kubectl('1.33', server.kubeconfig, join(dataDir, 'kubectl-cache'));
    ok(await admin(['create', 'serviceaccount', 'reader', '-n', 'default']), 'serviceaccount');
    ok(
      await admin(['create', 'rolebinding', 'reader-view', '--clusterrole=view', '--serviceaccount=default:reader', '-n', 'default']),
      'rolebinding',
    );
    // ServiceAccount admission gives the pod the kube-api-access volume; the kubelet fills it with a pod-bound token
    const pods = c.resource(PODS);
    await pods.create('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'token-reader' },
      spec: {
        serviceAccountName: 'reader',
        terminationGracePeriodSeconds: 0,
        containers: [
          {
            name: 'c',
            image: BUSYBOX_IMAGE,
            imagePullPolicy: 'IfNotPresent',
            command: ['sh', '-c', 'cat /var/run/secrets/kubernetes.io/serviceaccount/token; echo; sleep 3600'],
          },
        ],
      },
    });
    await podRunningWithIP(pods, 'default', 'token-reader', 90_000);
    let token = '';
    await eventually(
      'the container printed its token',
      async () => {
        token = (await admin(['logs', 'token-reader', '-n', 'default'])).stdout.trim();
        return token.split('.').length === 3;
      },
      30_000,
    );
    const empty = join(dataDir, 'empty.conf');
    await writeFile(empty, 'apiVersion: v1\nkind: Config\n');
    const bearer = kubectl('1.33', empty, join(dataDir, 'kubectl-cache-bearer'));
    const asPod = (args: string[]) =>
      bearer([...args, '--server', server.url, '--certificate-authority', pkiPaths(dataDir).caCert, '--token', token]);
    assert.equal(
      ok(await asPod(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']), 'whoami'),
      'system:serviceaccount:default:reader',
    );
    assert.match(ok(await asPod(['get', 'pods', '-n', 'default']), 'get pods as the account'), /token-reader/);
    assert.match((await asPod(['delete', 'pod', 'token-reader', '-n', 'default'])).stderr, /cannot delete resource "pods"/);
    ok(await admin(['delete', 'pod', 'token-reader', '-n', 'default', '--wait=true', '--timeout=60s']), 'delete pod');
    // bound to the pod: once it is gone the token no longer authenticates
    await eventually(
      'the token is refused',
      async () => /Unauthorized/.test((await asPod(['get', 'pods', '-n', 'default'])).stderr),
      30_000,
    );
  });
});
