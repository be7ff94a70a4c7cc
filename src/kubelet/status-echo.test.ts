import assert from 'node:assert/strict';
import { test } from 'node:test';
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
