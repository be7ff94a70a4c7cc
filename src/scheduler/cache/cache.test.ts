import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectorFromSet } from '../../machinery/labels.js';
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

test('topology counts follow pods and nodes, and agree with counting every node', () => {
  const ZONE = 'topology.kubernetes.io/zone';
  const cache = new SchedulerCache();
  const web = { selector: selectorFromSet({ app: 'web' }), namespace: 'default' };
  const brute = (): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const ni of cache.list()) {
      const v = ni.labels[ZONE];
      if (v !== undefined) out[v] = (out[v] ?? 0) + ni.countMatchingPods(web);
    }
    return out;
  };
  const counts = (): Record<string, number> => Object.fromEntries(cache.topologyCounts(web, ZONE));
  cache.addNode(makeNode('a1', { labels: { [ZONE]: 'a' } }));
  cache.addNode(makeNode('b1', { labels: { [ZONE]: 'b' } }));
  cache.addNode(makeNode('plain'));
  const w1 = makePod('w1', { nodeName: 'a1', labels: { app: 'web' } });
  cache.addPod(w1);
  assert.deepEqual(counts(), { a: 1, b: 0 });
  const steps: [string, () => void][] = [
    ['a matching pod arrives', () => cache.addPod(makePod('w2', { nodeName: 'b1', labels: { app: 'web' } }))],
    ['an assumed pod counts', () => cache.assumePod(makePod('w3', { nodeName: 'b1', labels: { app: 'web' } }))],
    ['a pod elsewhere does not', () => cache.addPod(makePod('w4', { nodeName: 'plain', labels: { app: 'web' } }))],
    ['other labels do not', () => cache.addPod(makePod('db', { nodeName: 'a1', labels: { app: 'db' } }))],
    ['relabelled away', () => cache.updatePod(w1, { ...w1, metadata: { ...w1.metadata, labels: { app: 'old' } } })],
    ['a node moves zone', () => cache.updateNode(makeNode('b1'), makeNode('b1', { labels: { [ZONE]: 'c' } }))],
    ['a pod goes', () => cache.removePod(makePod('w2', { nodeName: 'b1', labels: { app: 'web' } }))],
  ];
  for (const [name, step] of steps) {
    step();
    assert.deepEqual(counts(), brute(), name);
  }
  assert.deepEqual(counts(), { a: 0, c: 1 });
});
