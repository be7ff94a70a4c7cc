import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClientset } from '../client/testing/fake-clientset.js';
import { FakeInformerFactory } from '../client/testing/fake-informers.js';
import { FakeRecorder } from '../client/testing/fake-recorder.js';
import { Kubelet } from './kubelet.js';
import { ClientPodObjects } from './pod-objects.js';
import { FakeRuntime } from './runtime/fake/fake-runtime.js';

const PODS = { group: '', version: 'v1', resource: 'pods' };

test('a kubelet knows the pod status it wrote last, so that its echo needs no sync', async () => {
  const cluster = new FakeClientset();
  const kubelet = new Kubelet({
    nodeName: 'node-a',
    nodeIP: '10.240.0.1',
    runtime: new FakeRuntime({ nodeIP: '10.240.0.1', podCIDR: '10.244.1.0/24', clock: cluster.clock }),
    runtimeName: 'fake',
    pods: cluster.resource(PODS),
    recorder: new FakeRecorder(),
    clock: cluster.clock,
    objects: new ClientPodObjects(
      cluster,
      new FakeInformerFactory(cluster).forResource({ group: '', version: 'v1', resource: 'services' }).lister,
    ),
    requeue: () => undefined,
  });
  const pod = cluster.tracker.put(PODS, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default' },
    spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'busybox:1' }] },
    status: { phase: 'Pending' },
  });
  assert.equal(kubelet.wroteStatus(pod), false);
  await kubelet.syncPod('default/web', structuredClone(pod));
  const written = structuredClone(cluster.tracker.get(PODS, 'default', 'web'));
  assert.ok(written);
  assert.equal(kubelet.wroteStatus(written), true);
  (written['status'] as Record<string, unknown>)['phase'] = 'Failed';
  assert.equal(kubelet.wroteStatus(written), false, 'a status someone else changed is no echo');
  // the garbage collector asks it which pods are its own
  assert.ok(pod.metadata.uid);
  assert.equal(kubelet.knowsPodUID(pod.metadata.uid ?? ''), true);
  assert.equal(kubelet.knowsPodUID('another'), false);
});
