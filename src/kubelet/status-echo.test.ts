import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../machinery/object.js';
import { kubeletFixture } from './testing/kubelet-fixture.js';

test('a kubelet knows the pod status it wrote last, so that its echo needs no sync', async () => {
  const { kubelet, create, stored } = kubeletFixture();
  const pod = create({ containers: [{ name: 'c', image: 'busybox:1' }] });
  assert.equal(kubelet.wroteStatus(pod), false);
  await kubelet.syncPod('default/web', structuredClone(pod));
  const written = structuredClone(stored());
  assert.ok(written);
  assert.equal(kubelet.wroteStatus(written), true);
  (written['status'] as Record<string, unknown>)['phase'] = 'Failed';
  assert.equal(kubelet.wroteStatus(written), false, 'a status someone else changed is no echo');
  // the garbage collector asks it which pods are its own
  assert.ok(pod.metadata.uid);
  assert.equal(kubelet.knowsPodUID(pod.metadata.uid ?? ''), true);
  assert.equal(kubelet.knowsPodUID('another'), false);
});

test('a restarted kubelet writes no status the API already has (its nulls and key order aside)', async () => {
  const { kubelet, newKubelet, create, stored, cluster } = kubeletFixture();
  create({ containers: [{ name: 'c', image: 'busybox:1' }] });
  await kubelet.syncPod('default/web', structuredClone(stored()));
  // as the apiserver stores it: lastProbeTime: null in every condition, fields in another order
  const pod = structuredClone(stored()) as KubeObject;
  const st = pod['status'] as Record<string, unknown>;
  st['conditions'] = (st['conditions'] as Record<string, unknown>[]).map((c) =>
    Object.fromEntries(Object.entries({ lastProbeTime: null, ...c }).reverse()),
  );
  pod['status'] = Object.fromEntries(Object.entries(st).reverse());
  const before = cluster.actions.length;
  const restarted = newKubelet();
  await restarted.syncPod('default/web', pod);
  assert.deepEqual(
    cluster.actions.slice(before).filter((a) => a.verb === 'patch'),
    [],
    'no status write',
  );
  assert.equal(restarted.wroteStatus(pod), true, 'and its echo needs no sync');
});
