import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeNode, makePod } from '../testing/fixtures.js';
import { SchedulerCache } from './cache.js';

test('assume, confirm, forget and expire', () => {
  const clock = { t: 0 };
  const cache = new SchedulerCache({ ttlMs: 1000, now: () => clock.t });
  cache.addNode(makeNode('n1'));
  const pod = makePod('p', { nodeName: 'n1', cpu: '1' });
  cache.assumePod(pod);
  assert.equal(cache.get('n1')!.requested.milliCPU, 1000);
  assert.ok(cache.isAssumedPod(pod));
  assert.throws(() => cache.assumePod(pod));
  cache.forgetPod(pod);
  assert.equal(cache.get('n1')!.requested.milliCPU, 0);

  cache.assumePod(pod);
  cache.addPod(pod);
  assert.ok(!cache.isAssumedPod(pod), 'informer confirmed it');
  cache.finishBinding(pod);
  clock.t = 5000;
  cache.cleanupAssumedPods();
  assert.equal(cache.get('n1')!.pods.length, 1, 'confirmed pods never expire');

  const other = makePod('q', { nodeName: 'n1', cpu: '1' });
  cache.assumePod(other);
  cache.cleanupAssumedPods();
  assert.equal(cache.get('n1')!.pods.length, 2, 'no expiry before binding finished');
  cache.finishBinding(other);
  clock.t += 999;
  cache.cleanupAssumedPods();
  assert.equal(cache.get('n1')!.pods.length, 2);
  clock.t += 1;
  cache.cleanupAssumedPods();
  assert.equal(cache.get('n1')!.pods.length, 1, 'expired');
});

test('pods before their node, node removal, and zone interleaving', () => {
  const cache = new SchedulerCache();
  cache.addPod(makePod('early', { nodeName: 'late', cpu: '1' }));
  assert.equal(cache.get('late'), undefined);
  cache.addNode(makeNode('late'));
  assert.equal(cache.get('late')!.requested.milliCPU, 1000);
  cache.removeNode(makeNode('late'));
  assert.equal(cache.list().length, 0);
  cache.removePod(makePod('early', { nodeName: 'late' }));
  const zone = (n: string, z: string) => makeNode(n, { labels: { 'topology.kubernetes.io/zone': z } });
  for (const n of [zone('a1', 'a'), zone('a2', 'a'), zone('b1', 'b'), zone('b2', 'b')]) cache.addNode(n);
  assert.deepEqual(
    cache.list().map((n) => n.name),
    ['a1', 'b1', 'a2', 'b2'],
  );
  const anti = makePod('anti', {
    nodeName: 'b1',
    affinity: {
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: {} }] },
    },
  });
  cache.addPod(anti);
  assert.deepEqual(
    cache.havePodsWithRequiredAntiAffinityList().map((n) => n.name),
    ['b1'],
  );
  cache.removePod(anti);
  assert.equal(cache.havePodsWithAffinityList().length, 0);
});
