/**
 * `k8ts server --container-runtime-endpoint unix:///… --cni-conf-dir DIR` on a containerd the
 * test started itself (no CNI config yet): the embedded node gets Ready once its conflist lands
 * in DIR, and a pod runs. Then `k8ts killall --data-dir D` stops the server and removes what
 * this node made in that runtime — its pods' sandboxes and containers and the conflist it wrote —
 * and leaves the runtime running with a sandbox that is not this node's.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { HttpsClientset } from '../src/client/rest.js';
import { CONFLIST_FILE } from '../src/kubelet/cni/conflist.js';
import { canConnect } from '../src/kubelet/containerd/supervisor.js';
import { startTestContainerd, type TestContainerd } from '../src/kubelet/containerd/testing/test-containerd.js';
import { BUSYBOX_IMAGE } from '../src/kubelet/images/busybox-image.js';
import { POD_UID_LABEL } from '../src/kubelet/runtime-view.js';
import { CriRuntime } from '../src/kubelet/runtime/cri/cri-runtime.js';
import { nodeReady, podRunningWithIP } from './support/nodes.js';
import { leftovers, realNodeUnavailableForTests } from './support/real-node-server.js';
import { REPO, startServer, type TestServer } from './support/server.js';

const PODS = { group: '', version: 'v1', resource: 'pods' };
const NODE = 'k8ts-external-runtime-node';

const skip = await realNodeUnavailableForTests();
let containerd: TestContainerd | undefined;
let server: TestServer | undefined;
let client: HttpsClientset | undefined;
let cri: CriRuntime | undefined;

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

before(async () => {
  if (skip) return;
  containerd = await startTestContainerd({ conflist: false });
  cri = new CriRuntime({ endpoint: `unix://${containerd.socket}` });
  server = await startServer({
    args: [
      ...['--runtime', 'containerd', '--cluster-cidr', '10.241.0.0/16', '--node-name', NODE, '--cni-bridge', containerd.bridge],
      ...['--container-runtime-endpoint', `unix://${containerd.socket}`, '--cni-conf-dir', containerd.layout.cniConfDir],
    ],
  });
  client = HttpsClientset.fromKubeconfig(server.kubeconfig);
});

after(async () => {
  if (skip) return;
  client?.close();
  cri?.close();
  await server?.stop();
  const dataDir = server?.dataDir ?? '';
  await containerd?.stop();
  const left = dataDir ? await leftovers(dataDir, containerd?.bridge ?? '') : [];
  await server?.cleanup();
  assert.deepEqual(left, [], 'the test left these behind');
});

describe('k8ts server --container-runtime-endpoint, then k8ts killall', { skip, timeout: 180_000 }, () => {
  it('the node gets Ready with its conflist in --cni-conf-dir, and a pod runs', async () => {
    await nodeReady(client as HttpsClientset, NODE, 60_000);
    assert.ok(await exists(join((containerd as TestContainerd).layout.cniConfDir, CONFLIST_FILE)), 'the conflist in --cni-conf-dir');
    const pods = (client as HttpsClientset).resource(PODS);
    await pods.create('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'sleeper', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }] },
    });
    const pod = await podRunningWithIP(pods, 'default', 'sleeper', 60_000);
    assert.match(String((pod['status'] as Record<string, unknown>)['podIP']), /^10\.241\.\d+\.\d+$/);
  });

  it('k8ts killall removes this node’s sandboxes, containers and conflist, and nothing else of the runtime’s', async () => {
    const runtime = cri as CriRuntime;
    const tc = containerd as TestContainerd;
    const uid = (await (client as HttpsClientset).resource(PODS).get('default', 'sleeper')).metadata.uid ?? '';
    // a sandbox of someone else's in the same runtime
    const foreign = await runtime.runPodSandbox({
      metadata: { name: 'foreign', namespace: 'elsewhere', uid: 'not-this-node', attempt: 0 },
      labels: { [POD_UID_LABEL]: 'not-this-node' },
      linux: { hostNetwork: true },
    } as Parameters<CriRuntime['runPodSandbox']>[0]);
    const ours = async () => (await runtime.listPodSandbox()).filter((s) => s.labels[POD_UID_LABEL] === uid);
    assert.equal((await ours()).length, 1);

    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(REPO, 'bin', 'k8ts.js'), 'killall', '--data-dir', server?.dataDir ?? ''],
      {
        timeout: 120_000,
      },
    );
    assert.match(stdout, /^stopped k8ts server \(pid \d+\)$/m);
    assert.match(stdout, /^removed pod sandbox \w+ of default\/sleeper and its 1 container\(s\) from /m);
    assert.match(stdout, new RegExp(`^removed CNI config ${join(tc.layout.cniConfDir, CONFLIST_FILE)}$`, 'm'));

    assert.deepEqual(await ours(), [], 'this node’s sandbox is gone');
    assert.deepEqual(
      (await runtime.listContainers()).filter((c) => c.labels[POD_UID_LABEL] === uid),
      [],
      'and its container',
    );
    assert.ok(!(await exists(join(tc.layout.cniConfDir, CONFLIST_FILE))), 'the conflist is gone');
    assert.ok(await canConnect(tc.socket), 'the runtime keeps running');
    assert.deepEqual(
      (await runtime.listPodSandbox()).map((s) => s.id),
      [foreign],
      'the other sandbox stays',
    );
    await runtime.stopPodSandbox(foreign);
    await runtime.removePodSandbox(foreign);
  });
});
