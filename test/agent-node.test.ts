/**
 * `k8ts agent --runtime containerd` joining a `k8ts server --disable-agent`, on a containerd that
 * was already running (`--container-runtime-endpoint unix:///…`, the test's own containerd with
 * no CNI config yet, `--cni-conf-dir` its CNI conf dir). The node registers NotReady with
 * upstream's "container runtime network not ready" message while containerd has no network,
 * turns Ready once the agent wrote the conflist for its podCIDR, carries the machine's
 * architecture, and a pod scheduled to it by nodeSelector runs and answers on its pod IP.
 * Stopping the agent leaves the runtime running (k8ts did not start it); the test's teardown
 * removes everything.
 *
 * On that node, image pulls from a private registry (Debian's docker-registry with htpasswd on
 * 127.0.0.1, the busybox image pushed with skopeo): a pod with an imagePullSecret pulls, one
 * without gets ErrImagePull then ImagePullBackOff with upstream's messages, an image the registry
 * does not have fails the same way while the other pods run, a ServiceAccount's
 * imagePullSecrets reach its pods, and an untagged (:latest) image is pulled for every pod.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HttpsClientset } from '../src/client/rest.js';
import { canConnect } from '../src/kubelet/containerd/supervisor.js';
import { startTestContainerd, type TestContainerd } from '../src/kubelet/containerd/testing/test-containerd.js';
import { writeBusyboxImage } from '../src/kubelet/images/busybox-image.js';
import { hostPlatform } from '../src/machinery/platform.js';
import type { KubeObject } from '../src/machinery/object.js';
import { type DockerRegistry, registryUnavailable, startDockerRegistry } from './support/docker-registry.js';
import { agentReady, httpdPod, nodeReady, pageOf, podRunningWithIP, readyCondition, status } from './support/nodes.js';
import { leftovers, realNodeUnavailableForTests } from './support/real-node-server.js';
import { REPO, startServer, type TestServer } from './support/server.js';
import { eventually } from './support/wait.js';

type Obj = Record<string, unknown>;
const PODS = { group: '', version: 'v1', resource: 'pods' };
const NODES = { group: '', version: 'v1', resource: 'nodes' };
const SECRETS = { group: '', version: 'v1', resource: 'secrets' };
const SERVICEACCOUNTS = { group: '', version: 'v1', resource: 'serviceaccounts' };
const EVENTS = { group: '', version: 'v1', resource: 'events' };
const NODE = 'k8ts-e2e-agent';

const skip = await realNodeUnavailableForTests();
const skipRegistry = skip ?? (await registryUnavailable());
let registry: DockerRegistry | undefined;
let containerd: TestContainerd | undefined;
let server: TestServer | undefined;
let client: HttpsClientset | undefined;
let agent: ChildProcess | undefined;
let agentDir = '';
const watching = new AbortController();
/** The Ready condition of the agent's node, every time a watch event showed it. */
const readySeen: Obj[] = [];

async function startAgent(kubeconfig: string, tc: TestContainerd): Promise<void> {
  const args = [
    ...['agent', '--runtime', 'containerd', '--kubeconfig', kubeconfig, '--data-dir', agentDir, '--node-name', NODE],
    // on the machine itself: no pod network across nodes (its VXLAN device would be the machine's)
    ...[
      '--flannel-backend',
      'none',
      '--cni-bridge',
      tc.bridge,
      '--container-runtime-endpoint',
      `unix://${tc.socket}`,
      '--cni-conf-dir',
      tc.layout.cniConfDir,
    ],
    // not in a network namespace: the ingress would take the machine's ports 80 and 443
    '--disable-ingress',
    // on the machine's own network: no service proxy (its iptables rules would be the machine's)
    '--disable-kube-proxy',
    // on the machine's own network: no DNS server on its address
    '--disable-dns',
  ];
  const child = spawn(process.execPath, [join(REPO, 'bin', 'k8ts.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  agent = child;
  await agentReady(child, 60_000);
}

before(async () => {
  if (skip) return;
  agentDir = await mkdtemp(join(tmpdir(), 'k8ts-agent-'));
  containerd = await startTestContainerd({ conflist: false });
  server = await startServer({ args: ['--disable-agent', '--cluster-cidr', '10.248.0.0/16'] });
  client = HttpsClientset.fromKubeconfig(server.kubeconfig);
  client.resource(NODES).watch(
    '',
    {},
    (e) => {
      if (e.object.metadata?.name === NODE && e.type !== 'DELETED') readySeen.push(readyCondition(e.object) ?? {});
    },
    watching.signal,
  );
  await startAgent(server.kubeconfig, containerd);
  if (skipRegistry) return;
  registry = await startDockerRegistry({ alice: 's3cret' });
  const archive = join(agentDir, 'busybox.tar');
  await writeBusyboxImage(archive);
  for (const tag of ['1', '2', '3', 'latest']) await registry.push(archive, `private/busybox:${tag}`, 'alice', 's3cret');
});

after(async () => {
  if (skip) return;
  watching.abort();
  await registry?.stop();
  if (agent && agent.exitCode === null && agent.signalCode === null) {
    const exited = once(agent, 'exit');
    agent.kill('SIGTERM');
    await exited;
  }
  const socket = containerd?.socket ?? '';
  const runtimeKept = await canConnect(socket);
  await containerd?.stop();
  client?.close();
  await server?.stop();
  await server?.cleanup();
  const left = containerd ? await leftovers(agentDir, containerd.bridge) : [];
  left.push(...(containerd ? await leftovers(containerd.dir, containerd.bridge) : []));
  await rm(agentDir, { recursive: true, force: true });
  assert.ok(runtimeKept, 'the agent stopped a runtime it did not start');
  assert.deepEqual(left, [], 'the test left these behind');
});

describe('k8ts agent --runtime containerd --container-runtime-endpoint', { skip, timeout: 180_000 }, () => {
  it('registers NotReady while the runtime has no network, then Ready with its podCIDR and the host’s arch', async () => {
    const n = await nodeReady(client as HttpsClientset, NODE, 60_000);
    const first = readySeen[0];
    assert.equal(first?.['status'], 'False', JSON.stringify(readySeen));
    assert.equal(first?.['reason'], 'KubeletNotReady');
    assert.equal(
      first?.['message'],
      'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized',
    );
    assert.match(String(((n?.['spec'] ?? {}) as Obj)['podCIDR']), /^10\.248\.\d+\.0\/24$/);
    const arch = hostPlatform().architecture;
    assert.equal(n?.metadata.labels?.['kubernetes.io/arch'], arch);
    assert.equal((status(n)['nodeInfo'] as Obj)['architecture'], arch);
    assert.match(String((status(n)['nodeInfo'] as Obj)['containerRuntimeVersion']), /^containerd:\/\/\S+/);
  });

  it('runs a pod scheduled to it by nodeSelector, reachable on its pod IP', async () => {
    const pods = (client as HttpsClientset).resource(PODS);
    await pods.create(
      'default',
      httpdPod('on-agent', 'hello from the agent', { nodeSelector: { 'kubernetes.io/hostname': NODE }, terminationGracePeriodSeconds: 1 }),
    );
    const pod = await podRunningWithIP(pods, 'default', 'on-agent', 60_000);
    assert.equal(((pod['spec'] ?? {}) as Obj)['nodeName'], NODE);
    const podIP = String(status(pod)['podIP']);
    assert.match(podIP, /^10\.248\.\d+\.\d+$/);
    const body = await pageOf(`http://${podIP}:8080/`, 20_000);
    assert.equal(body, 'hello from the agent\n');
  });
});

/** A busybox pod on the agent's node that sleeps. */
function sleeper(name: string, image: string, spec: Obj = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      nodeSelector: { 'kubernetes.io/hostname': NODE },
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'main', image, command: ['sleep', '3600'] }],
      ...spec,
    },
  };
}

const waitingOf = (p: KubeObject | undefined): Obj | undefined =>
  ((((status(p)['containerStatuses'] ?? []) as Obj[])[0]?.['state'] ?? {}) as Obj)['waiting'] as Obj | undefined;

/** The messages of the pod's events, "Type Reason message". */
async function eventsOf(name: string): Promise<string[]> {
  const list = await (client as HttpsClientset).resource(EVENTS).list('default');
  return list.items
    .filter((e) => ((e['involvedObject'] ?? {}) as Obj)['name'] === name)
    .map((e) => `${String(e['type'])} ${String(e['reason'])} ${String(e['message'])}`);
}

async function phaseRunning(name: string): Promise<KubeObject> {
  let pod: KubeObject | undefined;
  await eventually(
    `pod ${name} Running`,
    async () => {
      pod = await (client as HttpsClientset).resource(PODS).get('default', name);
      return status(pod)['phase'] === 'Running';
    },
    60_000,
  );
  return pod as KubeObject;
}

describe('image pulls with imagePullSecrets from a private registry', { skip: skipRegistry, timeout: 180_000 }, () => {
  const image = (tagged: string) => `${(registry as DockerRegistry).host}/private/${tagged}`;

  it('pulls with the pod’s imagePullSecret', async () => {
    const auth = Buffer.from('alice:s3cret').toString('base64');
    const config = { auths: { [(registry as DockerRegistry).host]: { auth } } };
    await (client as HttpsClientset).resource(SECRETS).create('default', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'regcred', namespace: 'default' },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': Buffer.from(JSON.stringify(config)).toString('base64') },
    });
    await (client as HttpsClientset)
      .resource(PODS)
      .create('default', sleeper('private', image('busybox:1'), { imagePullSecrets: [{ name: 'regcred' }] }));
    await phaseRunning('private');
    await eventually('the Pulled event', async () =>
      (await eventsOf('private')).some((e) => e.startsWith(`Normal Pulled Successfully pulled image "${image('busybox:1')}" in `)),
    );
    assert.ok((await eventsOf('private')).includes(`Normal Pulling Pulling image "${image('busybox:1')}"`));
  });

  it('without credentials: ErrImagePull, then ImagePullBackOff; an image the registry lacks fails alike while others run', async () => {
    const pods = (client as HttpsClientset).resource(PODS);
    await pods.create('default', sleeper('no-secret', image('busybox:2')));
    await pods.create('default', sleeper('absent', image('nothing:1'), { imagePullSecrets: [{ name: 'regcred' }] }));
    const failedPrefix = (ref: string) =>
      `Failed to pull image "${ref}": rpc error: code = Unknown desc = failed to pull and unpack image "${ref}": `;
    let pod: KubeObject | undefined;
    await eventually('no-secret in ImagePullBackOff', async () => {
      pod = await pods.get('default', 'no-secret');
      return waitingOf(pod)?.['reason'] === 'ImagePullBackOff';
    });
    const backOff = String(waitingOf(pod)?.['message']);
    const prefix = `Back-off pulling image "${image('busybox:2')}": ErrImagePull: ${failedPrefix(image('busybox:2'))}`;
    assert.ok(backOff.startsWith(prefix), backOff);
    assert.match(backOff, /401 Unauthorized/);
    await eventually('the Failed and BackOff events', async () => {
      const events = await eventsOf('no-secret');
      return (
        events.some((e) => e.startsWith(`Warning Failed ${failedPrefix(image('busybox:2'))}`)) &&
        events.includes('Warning Failed Error: ErrImagePull') &&
        events.includes(`Normal BackOff Back-off pulling image "${image('busybox:2')}"`)
      );
    });
    await eventually('absent failing to pull', async () => {
      pod = await pods.get('default', 'absent');
      return ['ErrImagePull', 'ImagePullBackOff'].includes(String(waitingOf(pod)?.['reason']));
    });
    assert.match(String(waitingOf(pod)?.['message']), /not found/);
    assert.equal(status(await pods.get('default', 'private'))['phase'], 'Running');
  });

  it('takes the ServiceAccount’s imagePullSecrets', async () => {
    await (client as HttpsClientset).resource(SERVICEACCOUNTS).create('default', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'puller', namespace: 'default' },
      imagePullSecrets: [{ name: 'regcred' }],
    });
    const created = await (client as HttpsClientset)
      .resource(PODS)
      .create('default', sleeper('by-account', image('busybox:3'), { serviceAccountName: 'puller' }));
    assert.deepEqual((created['spec'] as Obj)['imagePullSecrets'], [{ name: 'regcred' }]);
    await phaseRunning('by-account');
  });

  it('pulls an untagged (:latest) image for every pod, present or not (policy Always)', async () => {
    const pods = (client as HttpsClientset).resource(PODS);
    const untagged = image('busybox');
    const first = await pods.create('default', sleeper('latest-1', untagged, { imagePullSecrets: [{ name: 'regcred' }] }));
    const containers = (first['spec'] as Obj)['containers'] as Obj[];
    assert.equal(containers[0]?.['imagePullPolicy'], 'Always');
    await phaseRunning('latest-1');
    await pods.create('default', sleeper('latest-2', untagged, { imagePullSecrets: [{ name: 'regcred' }] }));
    await phaseRunning('latest-2');
    await eventually('latest-2 pulled again', async () =>
      (await eventsOf('latest-2')).includes(`Normal Pulling Pulling image "${untagged}"`),
    );
    assert.ok(!(await eventsOf('latest-2')).some((e) => e.includes('already present')));
  });
});
