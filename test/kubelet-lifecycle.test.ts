/**
 * What the kubelet does to pods and the node over time, on a real node (k8ts server on its own
 * containerd, in a network namespace of the test's): gRPC probes against a real
 * grpc.health.v1.Health server (readiness gating Ready, a liveness failure restarting the
 * container with upstream's events); garbage collection with the GC flags turned down (dead
 * containers beyond --maximum-dead-containers-per-container removed, an unused image removed once
 * image-fs usage is over --image-gc-high-threshold); and the eviction of a pod whose emptyDir
 * outgrows its sizeLimit.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { HttpsClientset } from '../src/client/rest.js';
import { BUSYBOX_IMAGE, writeBusyboxImage } from '../src/kubelet/images/busybox-image.js';
import { PAUSE_IMAGE } from '../src/kubelet/images/pause-image.js';
import { POD_UID_LABEL } from '../src/kubelet/runtime-view.js';
import { CriRuntime } from '../src/kubelet/runtime/cri/cri-runtime.js';
import type { KubeObject } from '../src/machinery/object.js';
import { type GrpcHealthServer, startGrpcHealthServer } from './support/grpc-health-server.js';
import { nodeReady, status } from './support/nodes.js';
import { type RealNodeServer, realNodeUnavailableForTests, startRealNodeServer } from './support/real-node-server.js';
import { eventually } from './support/wait.js';

type Obj = Record<string, unknown>;
const PODS = { group: '', version: 'v1', resource: 'pods' };
const EVENTS = { group: '', version: 'v1', resource: 'events' };
const NS = 'default';
/** An image nothing uses: the image GC's to remove. */
const UNUSED_IMAGE = 'docker.io/library/k8ts-unused:gc';

const skip = await realNodeUnavailableForTests();
let node: RealNodeServer | undefined;
let health: GrpcHealthServer | undefined;
let cri: CriRuntime | undefined;

const client = (): HttpsClientset => (node as RealNodeServer).client;
const pods = () => client().resource(PODS);
const condition = (p: KubeObject, type: string): Obj | undefined =>
  ((status(p)['conditions'] ?? []) as Obj[]).find((c) => c['type'] === type);
const restarts = (p: KubeObject): number => Number(((status(p)['containerStatuses'] ?? []) as Obj[])[0]?.['restartCount'] ?? 0);

function pod(name: string, spec: Obj, container: Obj): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: NS },
    spec: {
      terminationGracePeriodSeconds: 1,
      ...spec,
      containers: [{ name: 'c', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', ...container }],
    },
  };
}

/** The events about pod `name`, as `Type Reason Message`. */
async function eventsOf(name: string): Promise<string[]> {
  const list = await client().resource(EVENTS).list(NS);
  return list.items
    .filter((e) => (e['involvedObject'] as Obj)['name'] === name)
    .map((e) => `${String(e['type'])} ${String(e['reason'])} ${String(e['message'])}`);
}

const imageTags = async (): Promise<string[]> => ((await cri?.listImages()) ?? []).flatMap((i) => i.repoTags);

async function waitPod(name: string, what: string, check: (p: KubeObject) => boolean, timeoutMs = 60_000): Promise<KubeObject> {
  let got: KubeObject | undefined;
  try {
    await eventually(
      `${name}: ${what}`,
      async () => {
        got = await pods().get(NS, name);
        return check(got);
      },
      timeoutMs,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; status ${JSON.stringify(status(got))}; events ${(await eventsOf(name)).join(' | ')}`);
  }
  return got as KubeObject;
}

before(async () => {
  if (skip) return;
  node = await startRealNodeServer({
    nodeName: 'k8ts-lifecycle-node',
    clusterCIDR: '10.240.0.0/16',
    netns: { subnet: '10.240.255.0/30' },
    prepareImages: async (dir) => {
      // another config than busybox's, so another image id (the same layer)
      await writeBusyboxImage(join(dir, 'unused.tar'), { name: UNUSED_IMAGE, config: { Cmd: ['true'] } });
    },
    args: [
      // every image over 1 % usage is fair game once 15 s old (the busybox image is in use by then)
      '--image-gc-high-threshold=1',
      '--image-gc-low-threshold=0',
      '--minimum-image-ttl-duration=15s',
      '--image-gc-period=3s',
      '--container-gc-period=2s',
      '--maximum-dead-containers-per-container=1',
    ],
  });
  await nodeReady(node.client, node.nodeName, 90_000);
  cri = new CriRuntime({ endpoint: `unix://${node.socket}` });
  assert.ok((await imageTags()).includes(UNUSED_IMAGE), 'imported at start (and younger than 15 s)');
  // keeps the busybox image in use while other pods come and go
  await pods().create(NS, pod('keeper', {}, { command: ['sleep', '3600'] }));
  await waitPod('keeper', 'Running', (p) => status(p)['phase'] === 'Running');
});

after(async () => {
  await health?.stop();
  cri?.close();
  if (!node) return;
  assert.deepEqual(await node.stop(), [], 'the test left these behind');
});

describe('the kubelet over time: gRPC probes, garbage collection, eviction', { skip, timeout: 300_000 }, () => {
  it('gRPC probes: readiness gates Ready, a liveness failure restarts the container with upstream’s events', async () => {
    const n = node as RealNodeServer;
    health = await startGrpcHealthServer(n.netns?.command);
    await health.set('live', 'SERVING');
    await health.set('ready', 'SERVING');
    const grpc = (service: string, failureThreshold: number): Obj => ({
      grpc: { port: health?.port, service },
      periodSeconds: 1,
      failureThreshold,
    });
    // a hostNetwork pod: its pod IP is the node's, where the health server listens
    await pods().create(
      NS,
      pod('grpc', { hostNetwork: true }, { command: ['sleep', '3600'], readinessProbe: grpc('ready', 1), livenessProbe: grpc('live', 2) }),
    );
    const ready = await waitPod('grpc', 'Ready', (p) => condition(p, 'Ready')?.['status'] === 'True');
    assert.equal(status(ready)['podIP'], n.netns?.ip);

    await health.set('ready', 'NOT_SERVING');
    await waitPod('grpc', 'not Ready', (p) => condition(p, 'Ready')?.['status'] === 'False', 20_000);
    assert.ok(
      (await eventsOf('grpc')).includes('Warning Unhealthy Readiness probe failed: service unhealthy (responded with "NOT_SERVING")'),
      (await eventsOf('grpc')).join('\n'),
    );

    await health.set('live', 'NOT_SERVING');
    await waitPod('grpc', 'restarted', (p) => restarts(p) >= 1, 30_000);
    await health.set('live', 'SERVING');
    const events = await eventsOf('grpc');
    assert.ok(
      events.includes('Warning Unhealthy Liveness probe failed: service unhealthy (responded with "NOT_SERVING")'),
      events.join('\n'),
    );
    assert.ok(events.includes('Normal Killing Container c failed liveness probe, will be restarted'), events.join('\n'));

    await health.set('ready', 'SERVING');
    await waitPod('grpc', 'Ready again', (p) => condition(p, 'Ready')?.['status'] === 'True', 60_000);
    await pods().delete(NS, 'grpc', { gracePeriodSeconds: 0 });
  });

  it('removes dead containers beyond --maximum-dead-containers-per-container', async () => {
    await pods().create(NS, pod('crasher', {}, { command: ['sh', '-c', 'echo run; exit 1'] }));
    const crashed = await waitPod('crasher', 'restarted twice', (p) => restarts(p) >= 2, 90_000);
    const uid = crashed.metadata.uid ?? '';
    const dead = async () =>
      (await (cri as CriRuntime).listContainers()).filter((c) => c.labels[POD_UID_LABEL] === uid && c.state !== 'CONTAINER_RUNNING');
    await eventually('one dead container left of three attempts', async () => (await dead()).length === 1, 20_000);
    const [kept] = await dead();
    assert.ok((kept?.metadata.attempt ?? 0) >= 1, `the newest is kept: attempt ${kept?.metadata.attempt}`);
    await pods().delete(NS, 'crasher', { gracePeriodSeconds: 0 });
  });

  it('evicts a pod whose emptyDir outgrows its sizeLimit, as upstream’s eviction manager', async () => {
    const fill = 'dd if=/dev/zero of=/scratch/fill bs=1024 count=2048 && exec sleep 3600';
    await pods().create(
      NS,
      pod(
        'filler',
        { volumes: [{ name: 'scratch', emptyDir: { sizeLimit: '1Mi' } }] },
        { command: ['sh', '-c', fill], volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] },
      ),
    );
    const message = 'Usage of EmptyDir volume "scratch" exceeds the limit "1Mi". ';
    const evicted = await waitPod('filler', 'Evicted', (p) => status(p)['reason'] === 'Evicted', 60_000);
    assert.deepEqual([status(evicted)['phase'], status(evicted)['message']], ['Failed', message]);
    const [cs] = (status(evicted)['containerStatuses'] ?? []) as Obj[];
    assert.ok(((cs?.['state'] ?? {}) as Obj)['terminated'], JSON.stringify(cs));
    assert.ok((await eventsOf('filler')).includes(`Warning Evicted ${message}`), (await eventsOf('filler')).join('\n'));
    const uid = evicted.metadata.uid ?? '';
    const running = async () =>
      (await (cri as CriRuntime).listContainers({ state: 'CONTAINER_RUNNING' })).filter((c) => c.labels[POD_UID_LABEL] === uid);
    assert.deepEqual(await running(), [], 'its container is stopped');
    await new Promise((r) => setTimeout(r, 3_000));
    assert.deepEqual(await running(), [], 'and stays stopped');
    assert.equal(status(await pods().get(NS, 'filler'))['phase'], 'Failed');
    await pods().delete(NS, 'filler', { gracePeriodSeconds: 0 });
  });

  it('removes an unused image when image-fs usage is over --image-gc-high-threshold', async () => {
    await eventually(`${UNUSED_IMAGE} removed`, async () => !(await imageTags()).includes(UNUSED_IMAGE), 60_000);
    const left = await imageTags();
    assert.ok(left.includes(BUSYBOX_IMAGE), `the image in use stays: ${left.join(' ')}`);
    assert.ok(left.includes(PAUSE_IMAGE), `the sandbox image (pinned) stays: ${left.join(' ')}`);
  });
});
