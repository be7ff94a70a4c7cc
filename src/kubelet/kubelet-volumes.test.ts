/** The kubelet's pod worker with volumes, on the fake runtime (simulated nodes: no disk is touched). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClientset } from '../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../client/testing/fake-informers.js';
import { FakeRecorder } from '../client/testing/fake-recorder.js';
import type { KubeObject } from '../machinery/object.js';
import { Kubelet } from './kubelet.js';
import { ClientPodObjects } from './pod-objects.js';
import { FakeRuntime } from './runtime/fake/fake-runtime.js';

type Obj = Record<string, unknown>;
const PODS = { group: '', version: 'v1', resource: 'pods' };
const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps' };

function setup() {
  const cluster = new FakeClientset();
  const clock = cluster.clock;
  const runtime = new FakeRuntime({ nodeIP: '10.240.0.1', podCIDR: '10.244.1.0/24', clock });
  const recorder = new FakeRecorder();
  const requeues: number[] = [];
  const kubelet = new Kubelet({
    nodeName: 'node-a',
    nodeIP: '10.240.0.1',
    runtime,
    runtimeName: 'fake',
    pods: cluster.resource(PODS),
    recorder,
    clock,
    objects: new ClientPodObjects(
      cluster,
      new FakeInformerFactory(cluster).forResource({ group: '', version: 'v1', resource: 'services' }).lister,
    ),
    requeue: (_key, ms) => requeues.push(ms),
  });
  cluster.tracker.put(PODS, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', uid: 'u1' },
    spec: {
      nodeName: 'node-a',
      containers: [
        {
          name: 'c',
          image: 'nginx',
          volumeMounts: [
            { name: 'cfg', mountPath: '/etc/cfg' },
            { name: 'tmp', mountPath: '/tmp', subPath: 'x' },
          ],
        },
      ],
      volumes: [
        { name: 'cfg', configMap: { name: 'settings' } },
        { name: 'tmp', emptyDir: {} },
      ],
    },
    status: { phase: 'Pending' },
  });
  const sync = async (): Promise<Obj> => {
    const pod = cluster.tracker.get(PODS, 'default', 'web') as KubeObject;
    await kubelet.syncPod('default/web', structuredClone(pod));
    return (cluster.tracker.get(PODS, 'default', 'web')?.['status'] ?? {}) as Obj;
  };
  return { cluster, runtime, recorder, requeues, sync };
}

describe('kubelet pod worker with volumes', () => {
  it('holds a pod ContainerCreating with FailedMount while its ConfigMap is missing, then starts it with its mounts', async () => {
    const t = setup();
    const waiting = await t.sync();
    assert.equal(waiting['phase'], 'Pending');
    assert.deepEqual(((waiting['containerStatuses'] as Obj[])[0]?.['state'] as Obj | undefined)?.['waiting'], {
      reason: 'ContainerCreating',
    });
    assert.deepEqual(t.recorder.events, [
      {
        object: 'Pod/default/web',
        type: 'Warning',
        reason: 'FailedMount',
        message: 'MountVolume.SetUp failed for volume "cfg" : configmap "settings" not found',
      },
    ]);
    assert.deepEqual(await t.runtime.listPodSandbox(), [], 'no sandbox before the volumes are set up');
    assert.deepEqual(t.requeues, [500]);

    t.cluster.tracker.put(CONFIGMAPS, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'default' },
      data: { a: '1' },
    });
    const running = await t.sync();
    assert.equal(running['phase'], 'Running');
    const [c] = await t.runtime.listContainers({});
    const status = await t.runtime.containerStatus(c?.id ?? '');
    assert.deepEqual(status.mounts, [
      { containerPath: '/etc/cfg', hostPath: '/pods/u1/volumes/kubernetes.io~configmap/cfg', readonly: true },
      { containerPath: '/tmp', hostPath: '/pods/u1/volumes/kubernetes.io~empty-dir/tmp/x', readonly: false },
    ]);
  });
});
