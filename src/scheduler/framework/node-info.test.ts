import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectorFromSet } from '../../machinery/labels.js';
import { makeNode, makePod } from '../testing/fixtures.js';
import { NodeInfo, type PodMatcher } from './node-info.js';
import { PodInfo } from './pod-info.js';

test('NodeInfo.countMatchingPods follows pod additions and removals', () => {
  const ni = new NodeInfo(makeNode('n1'));
  const web: PodMatcher = { selector: selectorFromSet({ app: 'web' }), namespace: 'default' };
  const other: PodMatcher = { selector: selectorFromSet({ app: 'web' }), namespace: 'other' };
  assert.equal(ni.countMatchingPods(web), 0);
  const w1 = new PodInfo(makePod('w1', { nodeName: 'n1', labels: { app: 'web' } }));
  ni.addPod(w1);
  ni.addPod(new PodInfo(makePod('db', { nodeName: 'n1', labels: { app: 'db' } })));
  assert.equal(ni.countMatchingPods(web), 1, 'a counted matcher is recounted after a pod arrives');
  assert.equal(ni.countMatchingPods(other), 0, 'pods of another namespace do not count');
  ni.addPod(new PodInfo(makePod('w2', { nodeName: 'n1', labels: { app: 'web' } })));
  assert.equal(ni.countMatchingPods(web), 2);
  assert.ok(ni.removePod(w1.key));
  assert.equal(ni.countMatchingPods(web), 1);
  const deleting = makePod('w3', { nodeName: 'n1', labels: { app: 'web' } });
  deleting.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
  ni.addPod(new PodInfo(deleting));
  assert.equal(ni.countMatchingPods(web), 1, 'pods being deleted do not count');
});
