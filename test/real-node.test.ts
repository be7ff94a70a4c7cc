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
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HttpsClientset } from '../src/client/rest.js';
import { CommandError, runCommand } from '../src/kubelet/command.js';
import { ctr } from '../src/kubelet/containerd/ctr.js';
import { cleanupCniNetwork, hostportChainsExist } from '../src/kubelet/containerd/testing/cni-cleanup.js';
import { containerdUnavailable } from '../src/kubelet/containerd/testing/test-containerd.js';
import { killStrayContainerd, teardownContainerd } from '../src/kubelet/containerd/teardown.js';
import { BUSYBOX_IMAGE, writeBusyboxImage } from '../src/kubelet/images/busybox-image.js';
import { realNodeLayout } from '../src/kubelet/real-node.js';
import type { KubeObject } from '../src/machinery/object.js';
import { makeDataDir, REPO, startServer, type TestServer } from './support/server.js';
import { eventually } from './support/wait.js';

type Obj = Record<string, unknown>;
const PODS = { group: '', version: 'v1', resource: 'pods' };
const NODES = { group: '', version: 'v1', resource: 'nodes' };
const NODE = 'k8ts-e2e-node';
const CLUSTER_CIDR = '10.251.0.0/16';

const skip = await containerdUnavailable();
const bridge = `k8tst${randomBytes(2).toString('hex')}`;
let dataDir = '';
let hostportChainsExisted = true;
let server: TestServer | undefined;
let client: HttpsClientset | undefined;

const status = (o: KubeObject | undefined): Obj => (o?.['status'] ?? {}) as Obj;
const readyCondition = (node: KubeObject): Obj | undefined =>
  ((status(node)['conditions'] ?? []) as Obj[]).find((c) => c['type'] === 'Ready');

/** What of this test's is still on the machine: processes, mounts, the bridge, iptables rules. */
async function leftovers(): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((e) => /^\d+$/.test(e))) {
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ');
    if (cmdline.includes(dataDir)) found.push(`process ${pid}: ${cmdline}`);
  }
  for (const line of (await readFile('/proc/self/mountinfo', 'utf8')).split('\n')) if (line.includes(dataDir)) found.push(`mount ${line}`);
  if ((await runCommand('ip', ['-o', 'link', 'show'])).stdout.includes(`: ${bridge}:`)) found.push(`bridge ${bridge}`);
  for (const table of ['nat', 'filter']) {
    for (const line of (await runCommand('iptables-save', ['-t', table])).stdout.split('\n')) {
      if (line.includes(`"${bridge}"`)) found.push(`iptables -t ${table} ${line}`);
    }
  }
  return found;
}

before(async () => {
  if (skip) return;
  dataDir = await makeDataDir();
  hostportChainsExisted = await hostportChainsExist();
  const files = realNodeLayout(dataDir);
  await mkdir(files.images, { recursive: true });
  await writeBusyboxImage(join(files.images, 'busybox.tar'));
  server = await startServer({
    dataDir,
    args: ['--runtime', 'containerd', '--cluster-cidr', CLUSTER_CIDR, '--cni-bridge', bridge, '--node-name', NODE],
  });
  client = HttpsClientset.fromKubeconfig(server.kubeconfig);
});

after(async () => {
  if (skip || !dataDir) return;
  client?.close();
  if (server) {
    // bounded: SIGTERM, then SIGKILL after 45 s
    const timer = setTimeout(() => void server?.kill(), 45_000);
    await server.stop();
    clearTimeout(timer);
  }
  // the server keeps its containers across restarts (real-node.ts): remove them for good here
  const layout = realNodeLayout(dataDir).containerd;
  await killStrayContainerd(layout);
  await teardownContainerd(layout);
  await cleanupCniNetwork({ name: bridge, bridge, hostportChainsExisted });
  const left = await leftovers();
  await (server ? server.cleanup() : Promise.resolve());
  assert.deepEqual(left, [], 'the test left these behind');
});

describe('k8ts server --runtime containerd', { skip, timeout: 240_000 }, () => {
  it('registers the node Ready with the machine’s capacity and containerd’s version', async () => {
    const nodes = (client as HttpsClientset).resource(NODES);
    let node: KubeObject | undefined;
    await eventually(
      'the node Ready',
      async () => {
        node = await nodes.get('', NODE).catch(() => undefined);
        return node !== undefined && readyCondition(node)?.['status'] === 'True';
      },
      90_000,
    );
    const st = status(node);
    const info = st['nodeInfo'] as Obj;
    assert.match(String(info['containerRuntimeVersion']), /^containerd:\/\/\S+/);
    assert.ok(Number((st['capacity'] as Obj)['cpu']) >= 1);
    assert.equal((st['capacity'] as Obj)['pods'], '110');
    assert.ok(((st['addresses'] ?? []) as Obj[]).some((a) => a['type'] === 'InternalIP'));
    await eventually('spec.podCIDR in the cluster CIDR', async () => {
      node = await nodes.get('', NODE);
      return String((node['spec'] as Obj)['podCIDR'] ?? '').startsWith('10.251.');
    });
  });

  it('runs a busybox httpd pod that the host reaches by its pod IP, and removes it on delete', async () => {
    const pods = (client as HttpsClientset).resource(PODS);
    const script = 'mkdir -p /www && echo hello from k8ts > /www/index.html && exec httpd -f -p 8080 -h /www';
    await pods.create('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        containers: [{ name: 'httpd', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', script] }],
      },
    });
    let pod: KubeObject | undefined;
    await eventually(
      'the pod Running with a pod IP',
      async () => {
        pod = await pods.get('default', 'web');
        return status(pod)['phase'] === 'Running' && typeof status(pod)['podIP'] === 'string';
      },
      90_000,
    );
    const podIP = String(status(pod)['podIP']);
    assert.match(podIP, /^10\.251\.\d+\.\d+$/);
    assert.equal(((pod?.['spec'] ?? {}) as Obj)['nodeName'], NODE);

    let body = '';
    await eventually(
      `GET http://${podIP}:8080/`,
      async () => {
        const res = await fetch(`http://${podIP}:8080/`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
        body = res?.ok ? await res.text() : '';
        return body !== '';
      },
      20_000,
    );
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
    const socket = realNodeLayout(dataDir).containerd.socket;
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
    const socket = realNodeLayout(dataDir).containerd.socket;
    assert.ok((await k8ts('list', '--container-runtime-endpoint', `unix://${socket}`)).stdout.split('\n').includes(extra));
    const none = await k8ts('list', '--data-dir', join(dataDir, 'none')).then(
      () => undefined,
      (err: unknown) => err,
    );
    assert.ok(none instanceof CommandError);
    assert.equal(none.stderr.trim().split('\n').length, 1);
    assert.match(none.stderr, /^k8ts: no containerd is running at \S+containerd\.sock/);
  });
});
