/**
 * A real node's faults, end to end on `k8ts server --runtime containerd`: a container whose
 * process dies is noticed (containerd 1.6 sends no container events: the PLEG relist does) and
 * restarted with restartCount 1; the server stopped with SIGTERM and started again on the same
 * data dir adopts its running containers (same IDs, restart counts, sandboxes; nothing
 * duplicated); containerd killed with -9 under running pods is restarted by the supervisor, the
 * kubelet's CRI connection comes back, the pods' containers are still the same, and new pods
 * start. Only the containerd this test's server started is killed (its PID file, checked
 * against its command line). Last, `k8ts killall --data-dir` stops the server and removes every
 * container, shim, mount, the bridge and the iptables rules, one line each, and leaves another
 * network's bridge and rules alone; a second run finds nothing.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ctr } from '../src/kubelet/containerd/ctr.js';
import { canConnect } from '../src/kubelet/containerd/supervisor.js';
import { BUSYBOX_IMAGE } from '../src/kubelet/images/busybox-image.js';
import { realNodeLayout } from '../src/kubelet/real-node.js';
import { CriRuntime } from '../src/kubelet/runtime/cri/cri-runtime.js';
import type { KubeObject } from '../src/machinery/object.js';
import { type RealNodeServer, realNodeUnavailableForTests, startRealNodeServer } from './support/real-node-server.js';
import { runCommand } from '../src/kubelet/command.js';
import { leftovers } from './support/real-node-server.js';
import { REPO } from './support/server.js';
import { eventually } from './support/wait.js';

type Obj = Record<string, unknown>;
const PODS = { group: '', version: 'v1', resource: 'pods' };
const NODES = { group: '', version: 'v1', resource: 'nodes' };
const NODE = 'k8ts-e2e-recovery';

const skip = await realNodeUnavailableForTests();
let node: RealNodeServer | undefined;
let cri: CriRuntime | undefined;

const status = (o: KubeObject | undefined): Obj => (o?.['status'] ?? {}) as Obj;
const containerStatuses = (p: KubeObject | undefined): Obj[] => (status(p)['containerStatuses'] ?? []) as Obj[];
const pods = () => (node as RealNodeServer).client.resource(PODS);

before(async () => {
  if (skip) return;
  node = await startRealNodeServer({ nodeName: NODE, clusterCIDR: '10.247.0.0/16' });
  cri = new CriRuntime({ endpoint: `unix://${node.socket}`, timeoutMs: 10_000 });
});

after(async () => {
  cri?.close();
  if (!node) return;
  assert.deepEqual(await node.stop(), [], 'the test left these behind');
});

async function createPod(name: string): Promise<void> {
  const script = `mkdir -p /www && echo ${name} > /www/index.html && exec httpd -f -p 8080 -h /www`;
  await pods().create('default', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'httpd', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', script] }],
    },
  });
}

/** Waits until the pod runs with its container ready; returns it. */
async function running(name: string, extra: (p: KubeObject) => boolean = () => true): Promise<KubeObject> {
  let pod: KubeObject | undefined;
  await eventually(
    `pod ${name} Running`,
    async () => {
      pod = await pods()
        .get('default', name)
        .catch(() => undefined);
      return status(pod)['phase'] === 'Running' && containerStatuses(pod)[0]?.['ready'] === true && extra(pod as KubeObject);
    },
    60_000,
  );
  return pod as KubeObject;
}

async function answers(pod: KubeObject, body: string): Promise<void> {
  const url = `http://${String(status(pod)['podIP'])}:8080/`;
  let got = '';
  await eventually(
    `GET ${url}`,
    async () => {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
      got = res?.ok ? await res.text() : '';
      return got !== '';
    },
    20_000,
  );
  assert.equal(got, `${body}\n`);
}

/** Every sandbox and container in the node's containerd: id and state, sorted. */
async function runtimeSnapshot(): Promise<string[]> {
  const rt = cri as CriRuntime;
  const sandboxes = (await rt.listPodSandbox()).map((s) => `sandbox ${s.metadata.name} ${s.id} ${s.state}`);
  const containers = (await rt.listContainers()).map((c) => `container ${c.labels['io.kubernetes.pod.name']} ${c.id} ${c.state}`);
  return [...sandboxes, ...containers].sort();
}

/** What the API says of a pod's container: its ID and restart count. */
const containerOf = (p: KubeObject): string =>
  `${String(containerStatuses(p)[0]?.['containerID'])} ${String(containerStatuses(p)[0]?.['restartCount'])}`;

async function nodeReady(): Promise<void> {
  await eventually('the node Ready', async () => {
    const n = await (node as RealNodeServer).client
      .resource(NODES)
      .get('', NODE)
      .catch(() => undefined);
    return ((status(n)['conditions'] ?? []) as Obj[]).some((c) => c['type'] === 'Ready' && c['status'] === 'True');
  });
}

describe('a real node’s faults', { skip, timeout: 240_000 }, () => {
  it('restarts a container whose process died (the PLEG notices without container events)', async () => {
    await createPod('victim');
    const before = await running('victim');
    const id = String(containerStatuses(before)[0]?.['containerID']).replace('containerd://', '');
    const tasks = await ctr(['tasks', 'ls'], { address: (node as RealNodeServer).socket });
    const pid = Number(
      tasks
        .split('\n')
        .find((l) => l.startsWith(id))
        ?.split(/\s+/)[1],
    );
    assert.ok(pid > 0, tasks);
    process.kill(pid, 'SIGKILL');
    const after = await running('victim', (p) => containerStatuses(p)[0]?.['restartCount'] === 1);
    const last = ((containerStatuses(after)[0]?.['lastState'] ?? {}) as Obj)['terminated'] as Obj;
    assert.equal(last['exitCode'], 137);
    assert.notEqual(containerStatuses(after)[0]?.['containerID'], `containerd://${id}`);
    await answers(after, 'victim');
  });

  it('adopts its running containers when the server is stopped and started again', async () => {
    await createPod('web');
    const web = await running('web');
    const victim = await running('victim');
    const beforeRuntime = await runtimeSnapshot();
    await (node as RealNodeServer).restart();
    await nodeReady();
    // a new pod running shows the kubelet is back at work; then nothing of the old ones changed
    await createPod('after-restart');
    await running('after-restart');
    assert.equal(containerOf(await running('web')), containerOf(web));
    assert.equal(containerOf(await running('victim')), containerOf(victim));
    const now = (await runtimeSnapshot()).filter((l) => !l.includes(' after-restart '));
    assert.deepEqual(now, beforeRuntime);
    await answers(web, 'web');
  });

  it('gets containerd back after kill -9, with the same containers, and starts new pods', async () => {
    const layout = realNodeLayout((node as RealNodeServer).dataDir).containerd;
    const pid = Number((await readFile(layout.pidFile, 'utf8')).trim());
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    assert.ok(cmdline.includes(layout.config), `pid ${pid} is this server's containerd: ${cmdline.join(' ')}`);
    const web = await running('web');
    const beforeRuntime = await runtimeSnapshot();
    process.kill(pid, 'SIGKILL');
    await eventually(
      'a new containerd answering',
      async () => {
        const next = Number((await readFile(layout.pidFile, 'utf8').catch(() => '')).trim());
        return next > 0 && next !== pid && (await canConnect(layout.socket));
      },
      30_000,
    );
    await eventually('CRI answering again', async () =>
      (cri as CriRuntime).status().then(
        () => true,
        () => false,
      ),
    );
    await createPod('after-crash');
    await running('after-crash');
    assert.equal(containerOf(await running('web')), containerOf(web));
    const now = (await runtimeSnapshot()).filter((l) => !l.includes(' after-crash '));
    assert.deepEqual(now, beforeRuntime);
    await answers(web, 'web');
    await nodeReady();
  });

  it('k8ts killall stops the node and removes what it set up, one line each', async () => {
    const n = node as RealNodeServer;
    const killall = async () =>
      (await runCommand(process.execPath, [join(REPO, 'bin', 'k8ts.js'), 'killall', '--data-dir', n.dataDir])).stdout.trim();
    // a bridge and an iptables rule of another CNI network, which killall must leave alone
    const other = `k8tsn${randomBytes(2).toString('hex')}`;
    const chain = `K8TS-TEST-${other.slice(5).toUpperCase()}`;
    const comment = `name: "${other}" id: "not-ours"`;
    await runCommand('ip', ['link', 'add', other, 'type', 'bridge']);
    let out: string[];
    let otherLeft: [boolean, boolean];
    try {
      await runCommand('iptables', ['-t', 'nat', '-N', chain]);
      await runCommand('iptables', ['-t', 'nat', '-A', chain, '-m', 'comment', '--comment', comment, '-j', 'RETURN']);
      out = (await killall()).split('\n');
      otherLeft = [
        (await runCommand('ip', ['-o', 'link', 'show'])).stdout.includes(`: ${other}:`),
        (await runCommand('iptables-save', ['-t', 'nat'])).stdout.includes(`-A ${chain} `),
      ];
    } finally {
      await runCommand('ip', ['link', 'del', other]).catch(() => undefined);
      await runCommand('iptables', ['-t', 'nat', '-F', chain]).catch(() => undefined);
      await runCommand('iptables', ['-t', 'nat', '-X', chain]).catch(() => undefined);
    }
    assert.deepEqual(otherLeft, [true, true], 'another network’s bridge and rule stay');
    const has = (re: RegExp) =>
      assert.ok(
        out.some((l) => re.test(l)),
        `${re} in:\n${out.join('\n')}`,
      );
    has(new RegExp(`^stopped k8ts server \\(pid ${n.server.process.pid}\\)$`));
    has(/^killed container [0-9a-f]{64} \(pid \d+/);
    has(/^killed containerd-shim \(pid \d+\)$/);
    has(/^unmounted \S+\/rootfs$/);
    has(new RegExp(`^deleted bridge ${n.bridge}$`));
    has(/^deleted iptables rule -t nat -A /);
    has(/^removed IP allocations /);
    assert.deepEqual(await leftovers(n.dataDir, n.bridge), []);
    assert.equal(await killall(), '', 'a second killall finds nothing');
  });
});
