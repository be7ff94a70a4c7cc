/** The kubelet's pod worker with volumes, on the fake runtime (simulated nodes: no disk is touched). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kubeletFixture } from './testing/kubelet-fixture.js';

type Obj = Record<string, unknown>;
const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps' };

/** A pod whose container mounts a ConfigMap volume and a subPath of an emptyDir. */
function setup() {
  const t = kubeletFixture({ pod: { metadata: { uid: 'u1' } } });
  t.create({
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
  });
  return t;
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
    assert.deepEqual(
      t.requeues.map(([, ms]) => ms),
      [500],
    );

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
